"""The steps every Slack flow shares: limits, placeholder, diagnosis, update, and the apology when it fails.

An answer in a thread has one shape: say "checking …" where the answer will be (a placeholder
posted in the thread), run the diagnosis within the answer timeout, replace the placeholder with
the result (``chat.update``). A failure anywhere becomes a short apology with a reference id; the
details, with that id, go to the log (``log_failure``), never to Slack. When the placeholder
cannot be posted or updated (Slack failing past the client's retries), the answer is posted as a
new message in the thread: a failed placeholder must not cost the answer. When the bot cannot post
in the channel (``NOT_POSTABLE``) and the request came with a response_url, the answer goes to the
asker alone through it.

Before any of that, the asker and the channel must be within their checks a minute
(bot/slack/limits.py); a check over the bound of checks at once says the bot is busy and waits.
``InFlight`` counts the answers being worked on, so that a shutdown lets them finish.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.diagnosis.model import Bounce, Diagnosis
from bot.i18n import t
from bot.render.blocks import code, escape, full_message, notice_message, present_for_slack, several_message
from bot.slack import watches
from bot.slack.content import Content
from bot.slack.deps import Deps
from bot.slack.limits import Admission, Busy
from bot.slack.recheck_value import MessageKind, button_value

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]  # Bolt's ``respond`` or bot.slack.response_url.ResponseUrl
OnBusy = Callable[[], Awaitable[None]]

# chat.postMessage errors that mean "the bot cannot post here", where the response_url still works.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action",
                          "cannot_dm_bot", "ekm_access_denied"})


class LookupAbandoned(RuntimeError):
    """A lookup under this answer was cancelled by something other than this answer's own task."""


async def diagnose(deps: Deps, bounce: Bounce, *, fresh: bool = False, on_busy: OnBusy | None = None) -> Diagnosis:
    """The diagnosis of a bounce the listener parsed (its first blocked IP); see ``diagnose_all``."""
    return (await diagnose_all(deps, bounce, fresh=fresh, on_busy=on_busy, every=False))[0]


async def diagnose_all(deps: Deps, bounce: Bounce, *, fresh: bool = False, on_busy: OnBusy | None = None,
                       every: bool = True) -> tuple[Diagnosis, ...]:
    """The diagnoses of a bounce the listener parsed (one per blocked IP, or only the first), in a
    check slot, bounded by the answer timeout. Counted for /metrics by outcome. Raises on failure
    (the caller apologises), never with a bare CancelledError unless this very task is being
    cancelled (a shutdown)."""
    try:
        async with deps.gate.slots.slot(wait=deps.answer_timeout, on_busy=on_busy):
            work = (deps.diagnoser.diagnose_all(bounce, fresh=fresh) if every
                    else _one(deps.diagnoser.diagnose_bounce(bounce, fresh=fresh)))
            diagnoses = await asyncio.wait_for(work, deps.answer_timeout)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
        deps.metrics.checks.labels("failed").inc()
        raise LookupAbandoned("a lookup under this answer was cancelled") from None
    except Busy:
        deps.metrics.checks.labels("busy").inc()
        raise
    except Exception:
        deps.metrics.checks.labels("failed").inc()
        raise
    for diagnosis in diagnoses:
        deps.metrics.checked(diagnosis)
        deps.lookups.saw(diagnosis)
    _in_background(watches.remember(deps.store, diagnoses))
    return diagnoses


_BACKGROUND: set[asyncio.Task[Any]] = set()


def _in_background(work: Awaitable[Any]) -> None:
    """Bookkeeping that must not hold up an answer (the store may be slow): a task of its own."""
    task = asyncio.ensure_future(work)
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


async def _one(work: Awaitable[Diagnosis]) -> tuple[Diagnosis, ...]:
    return (await work,)


def answer_message(diagnoses: tuple[Diagnosis, ...], lang: str, *, recheck: str | None,
                   preface: str | None = None) -> dict[str, Any]:
    """The whole answer: one diagnosis in full, several (a bounce blaming several IPs) one after another."""
    if len(diagnoses) == 1:
        return full_message(present_for_slack(diagnoses[0], lang), recheck_value=recheck, preface=preface)
    return several_message([present_for_slack(diagnosis, lang) for diagnosis in diagnoses], recheck_value=recheck,
                           preface=preface)


def admitted(deps: Deps, *, user: str | None, channel: str | None, lang: str) -> tuple[bool, str | None]:
    """(True, None) when the check may go on; else (False, what to tell the asker, or None when
    they were told already this minute)."""
    admission, which = deps.gate.admit(user=user, channel=channel)
    if admission == Admission.OK:
        return True, None
    deps.metrics.checks.labels("rate_limited").inc()
    if admission == Admission.LIMITED:
        log.info("rate limit: %s=%s is over its checks a minute", which, user if which == "user" else channel)
        return False, t(lang, f"slack.limited.{which}")
    return False, None


def checking_text(bounce: Bounce, lang: str) -> str:
    """The placeholder: "Checking 203.0.113.5 …" when the bounce names the IP, else a general one."""
    ip = bounce.blocked_ip
    return t(lang, "slack.checking.ip", ip=code(escape(ip))) if ip else t(lang, "slack.checking.text")


async def answer_in_thread(client: AsyncWebClient, deps: Deps, *, channel: str, thread_ts: str | None,
                           bounce: Bounce, text: str, lang: str, respond: Respond | None = None,
                           user_id: str | None = None) -> None:
    """Placeholder in the thread, diagnosis, the placeholder replaced by the full answer (or by the
    apology). ``text`` is what was pasted, for the re-check button. With ``respond``, a channel the
    bot cannot post in gets the answer privately through it instead."""
    go, notice = admitted(deps, user=user_id, channel=channel, lang=lang)
    if not go:
        if notice:
            await post_quietly(client, channel=channel, thread_ts=thread_ts, **notice_message(notice))
        return
    placeholder_ts: str | None = None
    try:
        placeholder = await client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                                    **notice_message(checking_text(bounce, lang)))
        placeholder_ts = placeholder["ts"]
    except SlackApiError as error:
        if error_code(error) in NOT_POSTABLE:
            if respond is None:
                log_failure("posting the placeholder", channel=channel)
            else:
                await _answer_privately(respond, deps, bounce=bounce, lang=lang)
            return
        log_failure("posting the placeholder (the answer will be a new message)", channel=channel)
    except Exception:
        log_failure("posting the placeholder (the answer will be a new message)", channel=channel)

    async def busy() -> None:
        if placeholder_ts:
            await quietly(client.chat_update(channel=channel, ts=placeholder_ts,
                                             **notice_message(t(lang, "slack.busy"))))

    try:
        diagnoses = await diagnose_all(deps, bounce, on_busy=busy)
        recheck = button_value(diagnoses[0], text=text, kind=MessageKind.FULL, lang=lang, texts=deps.recheck_texts)
        message = answer_message(diagnoses, lang, recheck=recheck)
    except Exception:
        ref = log_failure("diagnosis in thread", channel=channel, ts=placeholder_ts)
        message = notice_message(t(lang, "slack.apology", ref=ref))
    await deliver(client, channel=channel, thread_ts=thread_ts, placeholder_ts=placeholder_ts, message=message)


async def deliver(client: AsyncWebClient, *, channel: str, thread_ts: str | None, placeholder_ts: str | None,
                  message: dict[str, Any]) -> None:
    """The placeholder replaced by ``message``; when that fails (or there is no placeholder), the
    message posted in the thread instead."""
    if placeholder_ts:
        try:
            await client.chat_update(channel=channel, ts=placeholder_ts, **message)
            return
        except Exception as error:
            log.warning("chat.update of the placeholder in %s failed (%s): posting the answer as a new message",
                        channel, type(error).__name__)
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
    except Exception:
        log_failure("delivering the answer", channel=channel, ts=placeholder_ts)


async def _answer_privately(respond: Respond, deps: Deps, *, bounce: Bounce, lang: str) -> None:
    try:
        diagnoses = await diagnose_all(deps, bounce, on_busy=lambda: quietly(respond(
            response_type="ephemeral", replace_original=False, **notice_message(t(lang, "slack.busy")))))
        message = answer_message(diagnoses, lang, recheck=None, preface=t(lang, "slack.not_in_channel"))
        await respond(response_type="ephemeral", replace_original=False, **message)
    except Exception:
        await apologise(respond, lang, log_failure("private answer"))


def file_notice(content: Content, lang: str) -> str | None:
    """Why the files of a message gave nothing to diagnose: the first one that could not be read,
    else that those read hold no rejection. None when the message had no file."""
    if content.unreadable:
        reason = content.unreadable[0][1]
        names = [name for name, why in content.unreadable if why is reason]
        return t(lang, f"slack.file.{reason}", names=_file_names(names))
    if content.files_read:
        return t(lang, "slack.file.nothing", names=_file_names(content.files_read))
    return None


def _file_names(names: Iterable[str]) -> str:
    """Untrusted names, each as code (escaped), at most three."""
    shown = [code(escape(name[:80])) or "`?`" for name in names][:3]
    return ", ".join(shown)


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
        log.warning("could not deliver a notice (apology, help or progress)", exc_info=True)


def error_code(error: SlackApiError) -> str:
    """Slack's error word (``not_in_channel``, ``ratelimited`` ...), or "" when there is none."""
    try:
        return str(error.response.get("error", ""))
    except Exception:
        return ""
