from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient


async def diagnose_bounce(ack, shortcut: dict, respond: AsyncRespond, client: AsyncWebClient,
                          context: AsyncBoltContext) -> None:
    """Message shortcut "Diagnose bounce": the chosen message is diagnosed, answered in its thread."""
    await ack()
    await context["service"].message_shortcut(client, respond, channel_id=shortcut["channel"]["id"],
                                              message=shortcut.get("message") or {},
                                              user_id=(shortcut.get("user") or {}).get("id"),
                                              bot_user_id=context.bot_user_id)
