"""Slack message text -> the text a person pasted.

Slack escapes ``&``, ``<`` and ``>`` in incoming text and wraps links, e-mail addresses, mentions
and channel names in ``<...>`` (``<http://zen.spamhaus.org|zen.spamhaus.org>``,
``<mailto:a@b.example|a@b.example>``, ``<@U123>``). The bounce parser needs the original words.
"""

from __future__ import annotations

import re

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
