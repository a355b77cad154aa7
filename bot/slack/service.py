"""What the bot does for each kind of Slack input, in one place; listeners only unpack and call.

The shape of every answer is the same: say "checking …" where the answer will be, run the
diagnosis, replace the placeholder with the result (``chat.update``). A failure anywhere becomes
a short apology with a reference id; the details, with that id, go to the log, never to Slack.

Channel messages are screened with the bounce parser first (no network): only text that looks
like a blocklist or reputation rejection is diagnosed, so ordinary chat costs nothing.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.diagnosis.model import Bounce, Diagnosis
from bot.diagnosis.parse import is_plausible_ip_text, parse_bounce
from bot.i18n import LANGS, t
from bot.render.blocks import (
    MAX_BUTTON_VALUE,
    code,
    escape,
    full_message,
    home_view,
    notice_message,
    present_for_slack,
    summary_message,
    unescape,
)
from bot.slack.dedupe import Deduper
from bot.slack.incoming import PERSON_SUBTYPES, is_help, plain_text
from bot.slack.language import LocaleCache

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]

# A slash command answered later than this (seconds) first tells the asker it is being checked.
PROGRESS_AFTER = 0.3
# chat.postMessage errors that mean "the bot cannot post here", where the response_url still works.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action",
                          "cannot_dm_bot", "ekm_access_denied"})


def _tracked(method):
    """Count the call as work in flight, so a shutdown can let it finish (``wait_idle``)."""

    @functools.wraps(method)
    async def wrapper(self, *args, **kwargs):
        task = asyncio.current_task()
        self._in_flight.add(task)
        try:
            return await method(self, *args, **kwargs)
        finally:
            self._in_flight.discard(task)

    return wrapper


class DiagnosisService:
    def __init__(self, settings: Settings, diagnoser, *, locales: LocaleCache | None = None,
                 replies: Deduper | None = None):
        self.settings = settings
        self.diagnoser = diagnoser
        self.locales = locales or LocaleCache(settings.default_lang)
        self.replies = replies or Deduper()  # (channel, ts) already answered
        # The diagnosis bounds its own lookups; this only guards against a hang in the pipeline itself.
        self.timeout = diagnoser.answer_deadline
        self._in_flight: set[asyncio.Task] = set()

    async def wait_idle(self, timeout: float) -> None:
        """Let answers being worked on finish (at most ``timeout`` seconds): for a clean shutdown."""
        busy = {task for task in self._in_flight if task is not asyncio.current_task() and not task.done()}
        if busy:
            log.info("waiting up to %.0f s for %d answer(s) in progress", timeout, len(busy))
            await asyncio.wait(busy, timeout=timeout)

    async def lang_of(self, client: AsyncWebClient, user_id: str | None) -> str:
        return await self.locales.lang_for(client, user_id)

    # --- screening ------------------------------------------------------------------------------

    @staticmethod
    def looks_like_rejection(text: str) -> bool:
        """A blocklist or reputation rejection, or an IP with SMTP rejection codes. No network."""
        bounce = _screen(text)
        if bounce is None:
            return False
        if bounce.blocklist is not None:
            return True
        return bool(bounce.blocked_ip and (bounce.smtp_code or bounce.enhanced_code))

    @staticmethod
    def looks_like_a_request(text: str) -> bool:
        """Something to diagnose when it is addressed to the bot (a mention, a direct message): an
        IP address (even a malformed one), a bounce, or a rejection code. "Thanks!" is not. No network."""
        bounce = _screen(text)
        if bounce is None:
            return False
        return bool(bounce.blocked_ip or bounce.problem or bounce.blocklist or bounce.smtp_code
                    or bounce.enhanced_code or is_plausible_ip_text(text))

    # --- slash command --------------------------------------------------------------------------

    @_tracked
    async def slash_command(self, client: AsyncWebClient, respond: Respond, *, channel_id: str, user_id: str,
                            text: str) -> None:
        """After an empty ack: "checking …" to the asker if the answer is not ready at once, then a
        summary in the channel and the full report in its thread. Help and bad input are answered
        to the asker only. If the bot cannot post in the channel, the response_url carries it."""
        lang = await self.lang_of(client, user_id)
        text = plain_text(text)
        if is_help(text):
            await self._quietly(respond(response_type="ephemeral", **notice_message(t(lang, "slack.help"))))
            return
        try:
            diagnosing = asyncio.ensure_future(self._diagnose(text))
            done, _ = await asyncio.wait({diagnosing}, timeout=PROGRESS_AFTER)
            if not done:
                await self._quietly(respond(response_type="ephemeral", text=t(lang, "slack.command.ack")))
            diagnosis = await diagnosing
            view = present_for_slack(diagnosis, lang)
            if diagnosis.ip_problem:
                await respond(response_type="ephemeral", replace_original=False, **full_message(view))
                return
            summary = summary_message(view, recheck_value=self._recheck_value(diagnosis, text, "summary", lang))
            try:
                posted = await client.chat_postMessage(channel=channel_id, **summary)
            except SlackApiError as error:
                if _error_code(error) not in NOT_POSTABLE:
                    raise
                log.info("cannot post in %s (%s): answering through response_url", channel_id, _error_code(error))
                full = full_message(view, recheck_value=self._recheck_value(diagnosis, text, "full", lang))
                await respond(response_type="in_channel", replace_original=False, **full)
                return
            await client.chat_postMessage(channel=channel_id, thread_ts=posted["ts"], **full_message(view))
        except Exception:
            ref = self._log_failure("slash command", channel=channel_id, user=user_id)
            await self._quietly(respond(response_type="ephemeral", replace_original=False,
                                        **notice_message(t(lang, "slack.apology", ref=ref))))

    # --- messages and mentions ------------------------------------------------------------------

    @_tracked
    async def channel_message(self, client: AsyncWebClient, event: dict, *, bot_user_id: str | None) -> None:
        """A message in a channel the bot is in, or in its DMs. Channels: only rejections are
        answered, in the message's thread. DMs: IPs and bounces are answered in the thread too (the
        details stay together when several bounces are pasted), "help" gets the help, and ordinary
        chat ("thanks!") gets nothing."""
        if event.get("bot_id") or event.get("subtype") not in PERSON_SUBTYPES or event.get("hidden"):
            return
        channel, ts = event.get("channel"), event.get("ts")
        if not channel or not ts:
            return
        text = plain_text(event.get("text", ""), bot_user_id=bot_user_id)
        direct = event.get("channel_type") == "im"
        if direct and not (is_help(text) or self.looks_like_a_request(text)):
            return
        if not direct and not self.looks_like_rejection(text):
            return
        if not self.replies.first_time(("reply", channel, ts)):
            return
        lang = await self.lang_of(client, event.get("user"))
        if direct and is_help(text):  # a DM conversation: the help is the next message, not a thread
            await self._post_quietly(client, channel=channel, thread_ts=event.get("thread_ts"),
                                     **notice_message(t(lang, "slack.help")))
            return
        await self._answer_in_thread(client, channel=channel, thread_ts=event.get("thread_ts") or ts, text=text,
                                     lang=lang)

    @_tracked
    async def mention(self, client: AsyncWebClient, event: dict, *, bot_user_id: str | None) -> None:
        """``@bot <bounce or IP>`` answered in the thread; ``@bot`` with no IP or bounce (``@bot help``,
        ``@bot hi``) gets the help there. The same message also arrives as a ``message`` event:
        whichever comes first answers."""
        channel, ts = event.get("channel"), event.get("ts")
        if not channel or not ts or event.get("bot_id"):
            return
        if not self.replies.first_time(("reply", channel, ts)):
            return
        text = plain_text(event.get("text", ""), bot_user_id=bot_user_id)
        thread_ts = event.get("thread_ts") or ts
        lang = await self.lang_of(client, event.get("user"))
        if is_help(text) or not self.looks_like_a_request(text):
            await self._post_quietly(client, channel=channel, thread_ts=thread_ts,
                                     **notice_message(t(lang, "slack.help")))
            return
        await self._answer_in_thread(client, channel=channel, thread_ts=thread_ts, text=text, lang=lang)

    # --- message shortcut -----------------------------------------------------------------------

    @_tracked
    async def message_shortcut(self, client: AsyncWebClient, respond: Respond, *, channel_id: str, message: dict,
                               user_id: str | None, bot_user_id: str | None) -> None:
        """"Diagnose bounce" on a message: answered in that message's thread, or to the asker
        alone when the bot is not in the channel."""
        lang = await self.lang_of(client, user_id)
        text = plain_text(_message_text(message), bot_user_id=bot_user_id)
        if not text:
            await self._quietly(respond(response_type="ephemeral",
                                        **notice_message(t(lang, "slack.shortcut.no_text"))))
            return
        await self._answer_in_thread(client, channel=channel_id, thread_ts=message.get("thread_ts") or message["ts"],
                                     text=text, lang=lang, respond=respond)

    # --- re-check button ------------------------------------------------------------------------

    @_tracked
    async def recheck(self, client: AsyncWebClient, respond: Respond, *, channel_id: str | None,
                      message_ts: str | None, value: str, user_id: str | None) -> None:
        """Diagnose again without caches and update the message that holds the button. The message
        keeps the language it was written in (the button carries it): everyone in the channel sees
        it, so a click by someone with another Slack language must not rewrite it in theirs."""
        clicker_lang = await self.lang_of(client, user_id)
        try:
            request = json.loads(value)
            text = unescape(request.get("t") or "") or request["ip"]
            kind = request.get("k", "full")
            lang = request.get("l") if request.get("l") in LANGS else clicker_lang
            diagnosis = await self._diagnose(text, fresh=True)
            view = present_for_slack(diagnosis, lang)
            render = summary_message if kind == "summary" else full_message
            message = render(view, recheck_value=self._recheck_value(diagnosis, text, kind, lang))
            if not await self._update(client, channel_id, message_ts, message):
                # A message posted through response_url (bot not in the channel) can only be replaced there.
                await respond(replace_original=True, **message)
                return
            if kind == "summary":
                await client.chat_postMessage(channel=channel_id, thread_ts=message_ts, **full_message(view))
        except Exception:
            ref = self._log_failure("re-check", channel=channel_id, ts=message_ts)
            await self._quietly(respond(response_type="ephemeral", replace_original=False,
                                        **notice_message(t(clicker_lang, "slack.apology", ref=ref))))

    @staticmethod
    async def _update(client: AsyncWebClient, channel_id: str | None, ts: str | None, message: dict) -> bool:
        if not channel_id or not ts:
            return False
        try:
            await client.chat_update(channel=channel_id, ts=ts, **message)
        except SlackApiError as error:
            log.info("chat.update not possible in %s (%s)", channel_id, _error_code(error))
            return False
        return True

    # --- App Home -------------------------------------------------------------------------------

    @_tracked
    async def publish_home(self, client: AsyncWebClient, *, user_id: str) -> None:
        try:
            lang = await self.lang_of(client, user_id)
            await client.views_publish(user_id=user_id, view=home_view(lang))
        except Exception:
            self._log_failure("App Home", user=user_id)

    # --- the shared flow ------------------------------------------------------------------------

    async def _answer_in_thread(self, client: AsyncWebClient, *, channel: str, thread_ts: str | None, text: str,
                                lang: str, respond: Respond | None = None) -> None:
        try:
            placeholder = await client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                                        **notice_message(self._checking(text, lang)))
        except SlackApiError as error:
            if respond is None or _error_code(error) not in NOT_POSTABLE:
                self._log_failure("posting the placeholder", channel=channel)
                return
            await self._answer_privately(respond, text=text, lang=lang)
            return
        except Exception:
            self._log_failure("posting the placeholder", channel=channel)
            return
        reply_ts = placeholder["ts"]
        try:
            diagnosis = await self._diagnose(text)
            view = present_for_slack(diagnosis, lang)
            message = full_message(view, recheck_value=self._recheck_value(diagnosis, text, "full", lang))
            await client.chat_update(channel=channel, ts=reply_ts, **message)
        except Exception:
            ref = self._log_failure("diagnosis in thread", channel=channel, ts=reply_ts)
            await self._quietly(client.chat_update(channel=channel, ts=reply_ts,
                                                   **notice_message(t(lang, "slack.apology", ref=ref))))

    async def _answer_privately(self, respond: Respond, *, text: str, lang: str) -> None:
        try:
            diagnosis = await self._diagnose(text)
            message = full_message(present_for_slack(diagnosis, lang), preface=t(lang, "slack.not_in_channel"))
            await respond(response_type="ephemeral", replace_original=False, **message)
        except Exception:
            ref = self._log_failure("private answer")
            await self._quietly(respond(response_type="ephemeral", replace_original=False,
                                        **notice_message(t(lang, "slack.apology", ref=ref))))

    async def _diagnose(self, text: str, *, fresh: bool = False) -> Diagnosis:
        return await asyncio.wait_for(self.diagnoser.diagnose(text, fresh=fresh), self.timeout)

    def _checking(self, text: str, lang: str) -> str:
        try:
            ip = parse_bounce(text).blocked_ip
        except Exception:
            ip = None
        return t(lang, "slack.checking.ip", ip=code(escape(ip))) if ip else t(lang, "slack.checking.text")

    @staticmethod
    def _recheck_value(diagnosis: Diagnosis, text: str, kind: str, lang: str) -> str | None:
        """What the re-check button carries: the IP, the message's kind and language and, when it
        fits, the bounce text itself (so the re-check keeps the bounce's context), escaped like any
        text the bot sends."""
        if not diagnosis.ip:
            return None
        value = json.dumps({"ip": diagnosis.ip, "k": kind, "l": lang, "t": escape(text)}, ensure_ascii=False)
        if len(value) > MAX_BUTTON_VALUE:
            value = json.dumps({"ip": diagnosis.ip, "k": kind, "l": lang})
        return value

    async def _post_quietly(self, client: AsyncWebClient, **message) -> None:
        try:
            await client.chat_postMessage(**message)
        except Exception:
            self._log_failure("posting a message", channel=message.get("channel"))

    @staticmethod
    def _log_failure(what: str, **ids) -> str:
        """Log the current exception with a fresh reference id, and return the id for the apology."""
        ref = secrets.token_hex(4).upper()
        where = " ".join(f"{key}={value}" for key, value in ids.items() if value)
        log.exception("%s failed (ref %s) %s", what, ref, where)
        return ref

    @staticmethod
    async def _quietly(call: Awaitable[Any]) -> None:
        try:
            await call
        except Exception:
            log.warning("could not deliver the apology either", exc_info=True)


def _screen(text: str) -> Bounce | None:
    """The bounce parser on a message nobody asked us about yet: never raises."""
    if not text.strip():
        return None
    try:
        return parse_bounce(text)
    except Exception:
        log.exception("bounce parser failed while screening a message")
        return None


def _error_code(error: SlackApiError) -> str:
    try:
        return str(error.response.get("error", ""))
    except Exception:
        return ""


def _message_text(message: dict) -> str:
    """The text of a message and of its legacy attachments (mail integrations put bounces there)."""
    parts = [message.get("text") or ""]
    for attachment in message.get("attachments") or ():
        parts += [attachment.get(key) or "" for key in ("pretext", "text")]
        if not attachment.get("text"):
            parts.append(attachment.get("fallback") or "")
    return "\n".join(part for part in parts if part)
