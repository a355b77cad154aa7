"""``/spamhaus <IP or bounce | help | watches>``: acknowledged at once, with nothing on the clock before the
ack; everything else, the asker's language included, happens after it.

Then: "checking …" to the asker if the answer is not ready at once, a summary in the channel and
the full report in its thread. Help and bad input (no IP, a private one ...) are answered to the
asker only. If the bot cannot post in the channel, the response_url carries the whole answer.
Slash commands come without a thread, so there is no placeholder to update.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.async_app import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.i18n import t
from bot.render.blocks import full_message, notice_message, present_for_slack, summary_message
from bot.render.home import watches_message
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.slack.incoming import is_help, plain_text
from bot.slack.recheck_value import MessageKind, button_value
from bot.slack.replies import NOT_POSTABLE, Respond
from bot.slack.response_url import ResponseUrl
from bot.slack.watches import WATCH_TIMEOUT
from bot.state.base import StoreError

log = logging.getLogger(__name__)

WATCHES_WORDS = frozenset({"watches", "watch", "watching", "監看"})
# A command answered later than this (seconds) first tells the asker it is being checked.
PROGRESS_AFTER = 0.3


def listener(deps: Deps) -> Listener:
    async def spamhaus_command(ack: AsyncAck, command: dict, client: AsyncWebClient) -> None:
        await ack()
        with deps.in_flight.track():
            # Every field read defensively: a payload without one must still get its answer (or apology).
            respond = ResponseUrl(command.get("response_url"), session=client.session, redactor=deps.redactor)
            await answer(deps, client, respond, channel_id=command.get("channel_id"), user_id=command.get("user_id"),
                         text=str(command.get("text") or ""))

    return spamhaus_command


async def answer(deps: Deps, client: AsyncWebClient, respond: Respond, *, channel_id: str | None,
                 user_id: str | None, text: str) -> None:
    lang = await deps.locales.lang_for(client, user_id)
    text = plain_text(text)
    if is_help(text):
        await replies.quietly(respond(response_type="ephemeral", **notice_message(t(lang, "slack.help"))))
        return
    if text.strip().lower() in WATCHES_WORDS:
        await _list_watches(deps, respond, channel_id, lang)
        return
    go, notice = replies.admitted(deps, user=user_id, channel=channel_id, lang=lang)
    if not go:
        if notice:
            await replies.quietly(respond(response_type="ephemeral", **notice_message(notice)))
        return
    try:
        bounce = await deps.parse(text)
        busy = notice_message(t(lang, "slack.busy"))
        diagnosing = asyncio.ensure_future(replies.diagnose_all(
            deps, bounce, on_busy=lambda: replies.quietly(respond(response_type="ephemeral", **busy))))
        done, _ = await asyncio.wait({diagnosing}, timeout=PROGRESS_AFTER)
        if not done:
            await replies.quietly(respond(response_type="ephemeral", text=t(lang, "slack.command.ack")))
        diagnoses = await diagnosing
        if len(diagnoses) > 1 and channel_id:  # several blocked IPs: one answer with each, in the channel
            recheck = button_value(diagnoses[0], text=text, kind=MessageKind.FULL, lang=lang,
                                   texts=deps.recheck_texts)
            await _post_or_respond(client, respond, channel_id,
                                   replies.answer_message(diagnoses, lang, recheck=recheck))
            return
        diagnosis = diagnoses[0]
        view = present_for_slack(diagnosis, lang)
        if diagnosis.ip_problem or not channel_id:
            # No channel to post in (a payload without one): the whole answer to the asker alone.
            await respond(response_type="ephemeral", replace_original=False, **full_message(view))
            return
        recheck = button_value(diagnosis, text=text, kind=MessageKind.SUMMARY, lang=lang, texts=deps.recheck_texts)
        try:
            posted = await client.chat_postMessage(channel=channel_id, **summary_message(view, recheck_value=recheck))
        except SlackApiError as error:
            if replies.error_code(error) not in NOT_POSTABLE:
                raise
            log.info("cannot post in %s (%s): answering through response_url", channel_id, replies.error_code(error))
            recheck = button_value(diagnosis, text=text, kind=MessageKind.FULL, lang=lang, texts=deps.recheck_texts)
            await respond(response_type="in_channel", replace_original=False,
                          **full_message(view, recheck_value=recheck))
            return
        await client.chat_postMessage(channel=channel_id, thread_ts=posted["ts"], **full_message(view))
    except Exception:
        await replies.apologise(respond, lang, replies.log_failure("slash command", channel=channel_id, user=user_id))


async def _list_watches(deps: Deps, respond: Respond, channel_id: str | None, lang: str) -> None:
    """``/spamhaus watches``: the channel's active watches, each with Stop, to the asker alone."""
    try:
        if deps.store is None or not channel_id:
            raise StoreError("no state store")
        found = await asyncio.wait_for(deps.store.watches(channel_id), WATCH_TIMEOUT)
    except (StoreError, TimeoutError):
        await replies.quietly(respond(response_type="ephemeral",
                                      **notice_message(t(lang, "slack.watch.unavailable"))))
        return
    await replies.quietly(respond(response_type="ephemeral", **watches_message(found, lang)))


async def _post_or_respond(client: AsyncWebClient, respond: Respond, channel_id: str, message: dict) -> None:
    """In the channel; where the bot cannot post, through the response_url."""
    try:
        await client.chat_postMessage(channel=channel_id, **message)
    except SlackApiError as error:
        if replies.error_code(error) not in NOT_POSTABLE:
            raise
        await respond(response_type="in_channel", replace_original=False, **message)
