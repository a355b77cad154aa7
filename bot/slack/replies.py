"""The steps every Slack flow shares: placeholder, diagnosis, update, and the apology when it fails.

An answer in a thread has one shape: say "checking …" where the answer will be (a placeholder
posted in the thread), run the diagnosis within the answer timeout, replace the placeholder with
the result (``chat.update``). A failure anywhere becomes a short apology with a reference id; the
details, with that id, go to the log (``log_failure``), never to Slack. When the bot cannot post
in the channel (``NOT_POSTABLE``) and the request came with a response_url, the answer goes to the
asker alone through it.

``InFlight`` counts the answers being worked on, so that a shutdown lets them finish.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.diagnosis.model import Bounce, Diagnosis
from bot.i18n import t
from bot.render.blocks import code, escape, full_message, notice_message, present_for_slack
from bot.slack.deps import Deps
from bot.slack.recheck_value import MessageKind, button_value

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]  # Bolt's ``respond`` or bot.slack.response_url.ResponseUrl

# chat.postMessage errors that mean "the bot cannot post here", where the response_url still works.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action",
                          "cannot_dm_bot", "ekm_access_denied"})


async def diagnose(deps: Deps, bounce: Bounce, *, fresh: bool = False) -> Diagnosis:
    """The diagnosis of a bounce the listener parsed, bounded by the answer timeout."""
    return await asyncio.wait_for(deps.diagnoser.diagnose_bounce(bounce, fresh=fresh), deps.answer_timeout)


def checking_text(bounce: Bounce, lang: str) -> str:
    """The placeholder: "Checking 203.0.113.5 …" when the bounce names the IP, else a general one."""
    ip = bounce.blocked_ip
    return t(lang, "slack.checking.ip", ip=code(escape(ip))) if ip else t(lang, "slack.checking.text")


async def answer_in_thread(client: AsyncWebClient, deps: Deps, *, channel: str, thread_ts: str | None,
                           bounce: Bounce, text: str, lang: str, respond: Respond | None = None) -> None:
    """Placeholder in the thread, diagnosis, the placeholder replaced by the full answer (or by the
    apology). ``text`` is what was pasted, for the re-check button. With ``respond``, a channel the
    bot cannot post in gets the answer privately through it instead."""
    try:
        placeholder = await client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                                    **notice_message(checking_text(bounce, lang)))
    except SlackApiError as error:
        if respond is None or error_code(error) not in NOT_POSTABLE:
            log_failure("posting the placeholder", channel=channel)
            return
        await _answer_privately(respond, deps, bounce=bounce, lang=lang)
        return
    except Exception:
        log_failure("posting the placeholder", channel=channel)
        return
    reply_ts = placeholder["ts"]
    try:
        diagnosis = await diagnose(deps, bounce)
        view = present_for_slack(diagnosis, lang)
        recheck = button_value(diagnosis, text=text, kind=MessageKind.FULL, lang=lang)
        await client.chat_update(channel=channel, ts=reply_ts, **full_message(view, recheck_value=recheck))
    except Exception:
        ref = log_failure("diagnosis in thread", channel=channel, ts=reply_ts)
        await quietly(client.chat_update(channel=channel, ts=reply_ts,
                                         **notice_message(t(lang, "slack.apology", ref=ref))))


async def _answer_privately(respond: Respond, deps: Deps, *, bounce: Bounce, lang: str) -> None:
    try:
        diagnosis = await diagnose(deps, bounce)
        message = full_message(present_for_slack(diagnosis, lang), preface=t(lang, "slack.not_in_channel"))
        await respond(response_type="ephemeral", replace_original=False, **message)
    except Exception:
        await apologise(respond, lang, log_failure("private answer"))


async def apologise(respond: Respond, lang: str, ref: str) -> None:
    """The apology with its reference id, to the asker alone."""
    await quietly(respond(response_type="ephemeral", replace_original=False,
                          **notice_message(t(lang, "slack.apology", ref=ref))))


async def post_quietly(client: AsyncWebClient, **message: Any) -> None:
    """Post a message whose failure is only worth a log line (the help, for instance)."""
    try:
        await client.chat_postMessage(**message)
    except Exception:
        log_failure("posting a message", channel=message.get("channel"))


def log_failure(what: str, **ids: str | None) -> str:
    """Log the current exception with a fresh reference id, and return the id for the apology."""
    ref = secrets.token_hex(4).upper()
    where = " ".join(f"{key}={value}" for key, value in ids.items() if value)
    log.exception("%s failed (ref %s) %s", what, ref, where)
    return ref


async def quietly(call: Awaitable[Any]) -> None:
    """Await a message whose failure is only worth a warning: an apology, the help, a progress note."""
    try:
        await call
    except Exception:
        log.warning("could not deliver the apology either", exc_info=True)


def error_code(error: SlackApiError) -> str:
    """Slack's error word (``not_in_channel``, ``ratelimited`` ...), or "" when there is none."""
    try:
        return str(error.response.get("error", ""))
    except Exception:
        return ""
