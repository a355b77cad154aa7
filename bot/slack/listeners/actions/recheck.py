from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.response_url import ResponseUrl


async def recheck(ack, body: dict, action: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """"Re-check now": fresh lookups, and the message holding the button is updated in place."""
    await ack()
    container = body.get("container") or {}
    await context["service"].recheck(client, ResponseUrl(body.get("response_url"), session=client.session),
                                     channel_id=(body.get("channel") or {}).get("id"),
                                     message_ts=container.get("message_ts") or (body.get("message") or {}).get("ts"),
                                     value=action.get("value", ""), user_id=(body.get("user") or {}).get("id"))
