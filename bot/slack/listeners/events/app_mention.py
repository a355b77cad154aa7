"""``@bot <bounce or IP>``, answered in the thread; ``@bot`` with no IP or bounce (``@bot help``,
``@bot hi``) gets the help there. A bounce file shared with the mention is read too
(bot/slack/content.py); one that cannot be read gets why. The same message also arrives as a ``message`` event (see
message.py): whichever comes first answers, the other finds the (channel, ts) already answered.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import notice_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.incoming import is_help, is_request


def listener(deps: Deps) -> Listener:
    async def app_mention(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        with deps.in_flight.track():
            await answer(deps, client, event, bot_user_id=context.bot_user_id)

    return app_mention


async def answer(deps: Deps, client: AsyncWebClient, event: dict, *, bot_user_id: str | None) -> None:
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts or event.get("bot_id"):
        return
    if not await deps.replies.first_time(("reply", channel, ts)):
        return
    content = await deps.read(event, client, bot_user_id=bot_user_id)
    text = content.text
    thread_ts = event.get("thread_ts") or ts
    lang = await deps.locales.lang_for(client, event.get("user"))
    has_files = bool(content.files_read or content.unreadable)
    bounce = None if is_help(text) and not has_files else await deps.screen(text)
    if bounce is None or not is_request(bounce):
        notice = replies.file_notice(content, lang) or t(lang, "slack.help")
        await replies.post_quietly(client, channel=channel, thread_ts=thread_ts, **notice_message(notice))
        return
    await replies.answer_in_thread(client, deps, channel=channel, thread_ts=thread_ts, bounce=bounce, text=text,
                                   lang=lang, user_id=event.get("user"))
