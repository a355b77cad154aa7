async def open_lookup(ack) -> None:
    """A URL button: Slack opens the page itself but still sends the click, which must be acked."""
    await ack()
