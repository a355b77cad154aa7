"""Message shortcut "Diagnose bounce": the chosen message is diagnosed and answered in its thread,
or to the asker alone when the bot is not in the channel. Its text, the messages it forwards, a
bounce mailed in by the Email app and uploaded bounce files are read (bot/slack/content.py).
Acknowledged first, like every shortcut.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import notice_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.incoming import is_request
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
    content = await deps.read(message, client, bot_user_id=bot_user_id)
    text = content.text
    if not text:
        notice = replies.file_notice(content, lang) or t(lang, "slack.shortcut.no_text")
        await replies.quietly(respond(response_type="ephemeral", **notice_message(notice)))
        return
    try:
        bounce = await deps.parse(text)
        thread_ts = message.get("thread_ts") or message["ts"]
        if not channel_id:
            raise ValueError("the shortcut's payload names no channel")
    except Exception:
        await replies.apologise(respond, lang, replies.log_failure("reading the message", channel=channel_id))
        return
    if content.unreadable and not is_request(bounce):  # "see the attached bounce", and the file is shut
        await replies.quietly(respond(response_type="ephemeral",
                                      **notice_message(replies.file_notice(content, lang) or "")))
        return
    await replies.answer_in_thread(client, deps, channel=channel_id, thread_ts=thread_ts, bounce=bounce, text=text,
                                   lang=lang, respond=respond, user_id=user_id)

