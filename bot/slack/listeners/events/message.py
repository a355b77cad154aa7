"""Every message in the channels the bot is in, and in its DMs. Events need no ack of their own:
Bolt answers Slack before the listener runs.

What is read: the text, forwarded or shared messages (attachments), bounces mailed in by Slack's
Email app and uploaded ``.eml``/``.txt`` files (bot/slack/content.py). Bot posts are ignored, the
bot's own above all, except a bounce the Email app mailed into the channel.

Channels: screened without network, and answered only when what was read is a blocklist or
reputation rejection, in the message's thread. DMs: IPs and bounces are answered in the thread
too (the details stay together when several bounces are pasted), "help" gets the help as the next
message, a file that could not be read gets why, and ordinary chat ("thanks!") gets nothing. The
text is parsed once: that ``Bounce`` decides whether to answer, names the IP in the placeholder and
is diagnosed.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import notice_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.files import is_mail_in
from bot.slack.incoming import PERSON_SUBTYPES, is_help, is_rejection, is_request


def listener(deps: Deps) -> Listener:
    async def message(event: dict, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        with deps.in_flight.track():
            await answer(deps, client, event, bot_user_id=context.bot_user_id, bot_id=context.bot_id)

    return message


async def ignore_message() -> None:
    """Edits, deletions, joins, bot posts ...: acknowledged and ignored."""
    return None


def worth_reading(event: dict, *, bot_user_id: str | None, bot_id: str | None) -> bool:
    """A person's message, or a bounce mailed in by the Email app; never the bot's own post, and
    never another app's."""
    if event.get("subtype") not in PERSON_SUBTYPES or event.get("hidden"):
        return False
    if (bot_id and event.get("bot_id") == bot_id) or (bot_user_id and event.get("user") == bot_user_id):
        return False
    return not event.get("bot_id") or is_mail_in(event)


async def answer(deps: Deps, client: AsyncWebClient, event: dict, *, bot_user_id: str | None,
                 bot_id: str | None = None) -> None:
    if not worth_reading(event, bot_user_id=bot_user_id, bot_id=bot_id):
        return
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        return
    content = await deps.read(event, client, bot_user_id=bot_user_id)
    text = content.text
    direct = event.get("channel_type") == "im"
    help_asked = direct and not content.files_read and not content.unreadable and is_help(text)
    bounce = None if help_asked else await deps.screen(text)
    about_files = direct and not is_request(bounce) and bool(content.unreadable or content.files_read)
    if direct and not (help_asked or is_request(bounce) or about_files):
        return
    if not direct and not is_rejection(bounce):
        return
    if not await deps.replies.first_time(("reply", channel, ts)):
        return
    user = None if content.mail_in else event.get("user")  # Slackbot speaks no language of its own
    lang = await deps.locales.lang_for(client, user)
    thread_ts = event.get("thread_ts") or ts
    notice = replies.file_notice(content, lang) if about_files else None
    if notice:  # a file in a DM that could not be read, or holds no rejection: say so in its thread
        await replies.post_quietly(client, channel=channel, thread_ts=thread_ts, **notice_message(notice))
        return
    if help_asked or bounce is None:  # help in a DM conversation: the next message, not a thread
        await replies.post_quietly(client, channel=channel, thread_ts=event.get("thread_ts"),
                                   **notice_message(t(lang, "slack.help")))
        return
    await replies.answer_in_thread(client, deps, channel=channel, thread_ts=thread_ts,
                                   bounce=bounce, text=text, lang=lang, user_id=user)
