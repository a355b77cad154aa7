from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient


async def app_home_opened(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    if event.get("tab") == "home":
        await context["service"].publish_home(client, user_id=event["user"])
