"""The "Open Spamhaus lookup" URL button: Slack opens the page itself but still sends the click,
which must be acked. Nothing else to do."""

from slack_bolt.async_app import AsyncAck


async def open_lookup(ack: AsyncAck) -> None:
    await ack()
