"""What the "Re-check now" button carries from the answer it sits on to the click.

The value is small JSON: ``{"ip": ..., "k": "full" | "summary", "l": lang, "r": reference}``. The
reference names the pasted bounce in ``RecheckTexts``, a bounded map in this process, so that a
re-check keeps the bounce's context while the text itself never travels: a button's value is sent
to everyone in the channel's clients, and the paste may hold what was never meant for Slack (an
operator's DQS key in a zone name its own MTA wrote). After a restart, or once the map has let the
text go, the reference finds nothing and the re-check is of the IP, as the oldest buttons are.

Buttons already posted in Slack keep their value for good, so ``decode`` also reads what older
versions of the bot wrote (a bare IP, keys missing, the bounce itself in ``"t"``) and refuses
anything else with ``UnreadableValue``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import secrets
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.diagnosis.model import Diagnosis
from bot.i18n import LANGS
from bot.render.blocks import MAX_BUTTON_VALUE, unescape


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
    text: str = ""  # the bounce itself, as buttons of older versions carried it (plain text)
    ref: str = ""  # the bounce's reference in RecheckTexts

    def subject(self, texts: RecheckTexts | None = None) -> str:
        """What to diagnose again: the bounce when the button carries it or its reference is still
        known here, else the IP."""
        kept = texts.get(self.ref) if texts is not None and self.ref else None
        return self.text or kept or self.ip

    def encode(self) -> str:
        fields = {"ip": self.ip, "k": str(self.kind), "l": self.lang}
        if self.ref:
            fields["r"] = self.ref
        return json.dumps(fields)

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
        ref = fields.get("r")
        return cls(
            ip=ip,
            kind=MessageKind.SUMMARY if fields.get("k") == MessageKind.SUMMARY else MessageKind.FULL,
            lang=lang if isinstance(lang, str) and lang in LANGS else clicker_lang,
            text=unescape(text) if isinstance(text, str) else "",
            ref=ref if isinstance(ref, str) and len(ref) <= _MAX_REF else "",
        )


_MAX_REF = 64


class RecheckTexts:
    """Pasted bounces by a random reference, most recently kept last; the oldest are let go past
    ``max_texts`` entries or ``max_chars`` characters in all. The same text keeps its reference."""

    def __init__(self, max_texts: int = 5_000, max_chars: int = 10_000_000,
                 persist: Callable[[str, str], None] | None = None):
        self.max_texts = max_texts
        self.max_chars = max_chars
        # Told each new (reference, text): the app keeps them in the state store, so that a button
        # clicked after a restart, or on another instance, still re-checks the whole bounce.
        self.persist = persist
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._refs: dict[bytes, str] = {}  # digest of a text -> its reference
        self._chars = 0

    def keep(self, text: str) -> str:
        """The reference for ``text`` ("" for a text too large to keep)."""
        if not text or len(text) > self.max_chars:
            return ""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        ref = self._refs.get(digest)
        if ref is not None:
            self._texts.move_to_end(ref)
            return ref
        ref = secrets.token_urlsafe(12)
        self.remember(ref, text, digest)
        if self.persist is not None:
            self.persist(ref, text)
        return ref

    def remember(self, ref: str, text: str, digest: bytes | None = None) -> None:
        """Keep ``text`` under ``ref`` (a reference made here, or found in the state store)."""
        if ref in self._texts or not text or len(text) > self.max_chars:
            return
        digest = digest or hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        self._texts[ref] = text
        self._refs[digest] = ref
        self._chars += len(text)
        while len(self._texts) > self.max_texts or self._chars > self.max_chars:
            _, old = self._texts.popitem(last=False)
            self._chars -= len(old)
            self._refs.pop(hashlib.sha256(old.encode("utf-8", "surrogatepass")).digest(), None)

    def get(self, ref: str) -> str | None:
        return self._texts.get(ref)

    def __len__(self) -> int:
        return len(self._texts)


def button_value(diagnosis: Diagnosis, *, text: str, kind: MessageKind, lang: str,
                 texts: RecheckTexts | None = None) -> str | None:
    """The encoded value for the answer to ``text``, or None when there is no IP to re-check. With
    ``texts`` the value refers to the bounce kept there; without, it names the IP alone."""
    if not diagnosis.ip:
        return None
    ref = texts.keep(text) if texts is not None and text.strip() != diagnosis.ip else ""
    value = RecheckValue(ip=diagnosis.ip, kind=kind, lang=lang, ref=ref).encode()
    return value if len(value) <= MAX_BUTTON_VALUE else None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
