from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient


async def message(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """Every message in channels the bot is in: screened without network, answered only when it
    looks like a blocklist rejection (or is a direct message)."""
    await context["service"].channel_message(client, event, bot_user_id=context.bot_user_id)


async def ignore_message() -> None:
    return None
