"""Message shortcut "Diagnose bounce": the chosen message is diagnosed and answered in its thread,
or to the asker alone when the bot is not in the channel. Acknowledged first, like every shortcut.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import notice_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.incoming import plain_text
from bot.slack.replies import Respond
from bot.slack.response_url import ResponseUrl


def listener(deps: Deps) -> Listener:
    async def diagnose_bounce(ack: AsyncAck, shortcut: dict, client: AsyncWebClient,
                              context: AsyncBoltContext) -> None:
        await ack()
        with deps.in_flight.track():
            respond = ResponseUrl(shortcut.get("response_url"), session=client.session, redactor=deps.redactor)
            await answer(deps, client, respond, channel_id=(shortcut.get("channel") or {}).get("id"),
                         message=shortcut.get("message") or {}, user_id=(shortcut.get("user") or {}).get("id"),
                         bot_user_id=context.bot_user_id)

    return diagnose_bounce


async def answer(deps: Deps, client: AsyncWebClient, respond: Respond, *, channel_id: str | None, message: dict,
                 user_id: str | None, bot_user_id: str | None) -> None:
    lang = await deps.locales.lang_for(client, user_id)
    text = plain_text(_message_text(message), bot_user_id=bot_user_id)
    if not text:
        await replies.quietly(respond(response_type="ephemeral", **notice_message(t(lang, "slack.shortcut.no_text"))))
        return
    try:
        bounce = await deps.parse(text)
        thread_ts = message.get("thread_ts") or message["ts"]
        if not channel_id:
            raise ValueError("the shortcut's payload names no channel")
    except Exception:
        await replies.apologise(respond, lang, replies.log_failure("reading the message", channel=channel_id))
        return
    await replies.answer_in_thread(client, deps, channel=channel_id, thread_ts=thread_ts, bounce=bounce, text=text,
                                   lang=lang, respond=respond, user_id=user_id)


def _message_text(message: dict) -> str:
    """The text of a message and of its legacy attachments (mail integrations put bounces there)."""
    parts = [message.get("text") or ""]
    for attachment in message.get("attachments") or ():
        parts += [attachment.get(key) or "" for key in ("pretext", "text")]
        if not attachment.get("text"):
            parts.append(attachment.get("fallback") or "")
    return "\n".join(part for part in parts if part)
