"""Slack message text -> the text a person pasted, and whether it is worth answering.

Slack escapes ``&``, ``<`` and ``>`` in incoming text and wraps links, e-mail addresses, mentions
and channel names in ``<...>`` (``<http://zen.spamhaus.org|zen.spamhaus.org>``,
``<mailto:a@b.example|a@b.example>``, ``<@U123>``). The bounce parser needs the original words.

Messages nobody asked the bot about are screened with the parsed bounce (no network): only a
blocklist or reputation rejection is answered, so ordinary chat costs nothing. The listener parses
once and hands the same ``Bounce`` to the screening, the placeholder and the diagnosis.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from bot.diagnosis.model import Bounce

log = logging.getLogger(__name__)

_WRAPPED = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
# Message subtypes that carry something a person wrote; every other subtype is ignored.
PERSON_SUBTYPES = (None, "file_share", "thread_broadcast")
HELP_WORDS = frozenset({"", "help", "-h", "--help", "?", "說明", "幫助"})


def plain_text(text: str, *, bot_user_id: str | None = None) -> str:
    """Unwrap Slack's markup and unescape. Mentions of the bot disappear; other mentions become
    ``@U123``; auto-links become their visible text (plus the target when the two differ)."""

    def unwrap(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            user = target[1:]
            return "" if bot_user_id and user == bot_user_id else f"@{label or user}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if label and label not in (target, target.split("://", 1)[-1]):
            return f"{label} ({target})"  # the target may hold what the label hides (an IP in a lookup link)
        return label or target

    text = _WRAPPED.sub(unwrap, text or "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def is_help(text: str) -> bool:
    return text.strip().lower() in HELP_WORDS


def screen(parse: Callable[[str], Bounce], text: str) -> Bounce | None:
    """The bounce parser on a message nobody asked us about yet: None for empty text, and never raises."""
    if not text.strip():
        return None
    try:
        return parse(text)
    except Exception:
        log.exception("bounce parser failed while screening a message")
        return None


def is_rejection(bounce: Bounce | None) -> bool:
    """A blocklist or reputation rejection, or an IP with SMTP rejection codes: worth answering
    in a channel unasked."""
    if bounce is None:
        return False
    if bounce.blocklist is not None:
        return True
    return bool(bounce.blocked_ip and (bounce.smtp_code or bounce.enhanced_code))


def is_request(bounce: Bounce | None) -> bool:
    """Something to diagnose when it is addressed to the bot (a mention, a direct message): an IP
    address (a malformed one too: the parser says ``problem="malformed"``), a bounce, or a rejection
    code. "Thanks!" is not."""
    if bounce is None:
        return False
    return bool(bounce.blocked_ip or bounce.problem or bounce.blocklist or bounce.smtp_code
                or bounce.enhanced_code)

