"""What the "Re-check now" button carries from the answer it sits on to the click.

The value is small JSON: ``{"ip": ..., "k": "full" | "summary", "l": lang, "t": bounce text}``. The
bounce text keeps the re-check in the bounce's context; it is escaped like any text the bot sends,
and left out when it would push the value past Slack's 2,000 characters. Buttons already posted
in Slack keep their value for good, so ``decode`` also reads what older versions of the bot wrote
(a bare IP, keys missing) and refuses anything else with ``UnreadableValue``.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.diagnosis.model import Diagnosis
from bot.i18n import LANGS
from bot.render.blocks import MAX_BUTTON_VALUE, escape, unescape


class MessageKind(StrEnum):
    """Which message holds the button: a slash command's summary (details in its thread) or a full answer."""

    SUMMARY = "summary"
    FULL = "full"


class UnreadableValue(ValueError):
    """A button value this bot never wrote."""


@dataclass(frozen=True)
class RecheckValue:
    ip: str
    kind: MessageKind
    lang: str  # the language the message was written in: a re-check keeps it, whoever clicks
    text: str = ""  # the bounce as pasted (plain text); empty when it did not fit

    @property
    def subject(self) -> str:
        """What to diagnose again: the bounce when the button carries it, else the IP."""
        return self.text or self.ip

    def encode(self) -> str:
        fields = {"ip": self.ip, "k": str(self.kind), "l": self.lang}
        value = json.dumps({**fields, "t": escape(self.text)}, ensure_ascii=False)
        if len(value) > MAX_BUTTON_VALUE:
            value = json.dumps(fields)
        return value

    @classmethod
    def decode(cls, value: str, *, clicker_lang: str) -> RecheckValue:
        """The value of a clicked button. ``clicker_lang`` stands in when the value names no language
        this bot speaks. Raises ``UnreadableValue`` for anything that does not name a valid IP."""
        value = (value or "").strip()
        if _is_ip(value):  # the oldest buttons carried the IP alone
            return cls(ip=value, kind=MessageKind.FULL, lang=clicker_lang)
        try:
            fields: Any = json.loads(value)
        except ValueError:
            raise UnreadableValue("the re-check value is not JSON") from None
        ip = fields.get("ip") if isinstance(fields, dict) else None
        if not isinstance(ip, str) or not _is_ip(ip):
            raise UnreadableValue("the re-check value names no valid IP")
        lang = fields.get("l")
        text = fields.get("t")
        return cls(
            ip=ip,
            kind=MessageKind.SUMMARY if fields.get("k") == MessageKind.SUMMARY else MessageKind.FULL,
            lang=lang if isinstance(lang, str) and lang in LANGS else clicker_lang,
            text=unescape(text) if isinstance(text, str) else "",
        )


def button_value(diagnosis: Diagnosis, *, text: str, kind: MessageKind, lang: str) -> str | None:
    """The encoded value for the answer to ``text``, or None when there is no IP to re-check."""
    if not diagnosis.ip:
        return None
    return RecheckValue(ip=diagnosis.ip, kind=kind, lang=lang, text=text).encode()


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
