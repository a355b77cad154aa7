"""Every message in the channels the bot is in, and in its DMs. Events need no ack of their own:
Bolt answers Slack before the listener runs.

Channels: screened without network, and answered only when the text is a blocklist or
reputation rejection, in the message's thread. DMs: IPs and bounces are answered in the thread
too (the details stay together when several bounces are pasted), "help" gets the help as the next
message, and ordinary chat ("thanks!") gets nothing. The text is parsed once: that ``Bounce``
decides whether to answer, names the IP in the placeholder and is diagnosed.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import notice_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.incoming import PERSON_SUBTYPES, is_help, is_rejection, is_request, plain_text


def listener(deps: Deps) -> Listener:
    async def message(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        with deps.in_flight.track():
            await answer(deps, client, event, bot_user_id=context.bot_user_id)

    return message


async def ignore_message() -> None:
    """Edits, deletions, joins, bot posts ...: acknowledged and ignored."""
    return None


async def answer(deps: Deps, client: AsyncWebClient, event: dict, *, bot_user_id: str | None) -> None:
    if event.get("bot_id") or event.get("subtype") not in PERSON_SUBTYPES or event.get("hidden"):
        return
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return
    text = plain_text(event.get("text", ""), bot_user_id=bot_user_id)
    direct = event.get("channel_type") == "im"
    help_asked = direct and is_help(text)
    bounce = None if help_asked else await deps.screen(text)
    if direct and not (help_asked or is_request(bounce)):
        return
    if not direct and not is_rejection(bounce):
        return
    if not deps.replies.first_time(("reply", channel, ts)):
        return
    lang = await deps.locales.lang_for(client, event.get("user"))
    if help_asked or bounce is None:  # help in a DM conversation: the next message, not a thread
        await replies.post_quietly(client, channel=channel, thread_ts=event.get("thread_ts"),
                                   **notice_message(t(lang, "slack.help")))
        return
    await replies.answer_in_thread(client, deps, channel=channel, thread_ts=event.get("thread_ts") or ts,
                                   bounce=bounce, text=text, lang=lang, user_id=event.get("user"))
