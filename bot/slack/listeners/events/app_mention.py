from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient


async def app_mention(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    await context["service"].mention(client, event, bot_user_id=context.bot_user_id)
