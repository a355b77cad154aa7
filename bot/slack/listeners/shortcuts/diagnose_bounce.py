from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.response_url import ResponseUrl


async def diagnose_bounce(ack, shortcut: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """Message shortcut "Diagnose bounce": the chosen message is diagnosed, answered in its thread."""
    await ack()
    await context["service"].message_shortcut(client, ResponseUrl(shortcut.get("response_url"), session=client.session),
                                              channel_id=shortcut["channel"]["id"],
                                              message=shortcut.get("message") or {},
                                              user_id=(shortcut.get("user") or {}).get("id"),
                                              bot_user_id=context.bot_user_id)
