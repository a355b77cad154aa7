from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.response_url import ResponseUrl


async def spamhaus_command(ack, command: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """``/spamhaus <IP or bounce | help>``: acknowledged at once, with nothing on the clock before
    the ack; everything else, the asker's language included, happens after it."""
    await ack()
    await context["service"].slash_command(client, ResponseUrl(command.get("response_url"), session=client.session),
                                           channel_id=command["channel_id"], user_id=command["user_id"],
                                           text=command.get("text", ""))
