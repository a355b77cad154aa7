"""``@bot <bounce or IP>``, answered in the thread; ``@bot`` with no IP or bounce (``@bot help``,
``@bot hi``) gets the help there. The same message also arrives as a ``message`` event (see
message.py): whichever comes first answers, the other finds the (channel, ts) already answered.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import notice_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.incoming import is_help, is_request, plain_text


def listener(deps: Deps) -> Listener:
    async def app_mention(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        with deps.in_flight.track():
            await answer(deps, client, event, bot_user_id=context.bot_user_id)

    return app_mention


async def answer(deps: Deps, client: AsyncWebClient, event: dict, *, bot_user_id: str | None) -> None:
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts or event.get("bot_id"):
        return
    if not deps.replies.first_time(("reply", channel, ts)):
        return
    text = plain_text(event.get("text", ""), bot_user_id=bot_user_id)
    thread_ts = event.get("thread_ts") or ts
    lang = await deps.locales.lang_for(client, event.get("user"))
    bounce = None if is_help(text) else await deps.screen(text)
    if bounce is None or not is_request(bounce):
        await replies.post_quietly(client, channel=channel, thread_ts=thread_ts,
                                   **notice_message(t(lang, "slack.help")))
        return
    await replies.answer_in_thread(client, deps, channel=channel, thread_ts=thread_ts, bounce=bounce, text=text,
                                   lang=lang, user_id=event.get("user"))
