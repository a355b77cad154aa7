"""An e-mail message (an ``.eml`` file, a bounce mailed into Slack or uploaded there) as the text the
parser reads, through the standard library's ``email`` package.

A bounce is usually a ``multipart/report`` (RFC 3464, RFC 6522): a human-readable part, a
``message/delivery-status`` part whose fields (``Diagnostic-Code``, ``Remote-MTA``, ``Status``,
``Final-Recipient``) are the evidence, and the returned message or its headers. Parts may be base64
or quoted-printable and header fields folded: ``email`` undoes both. The returned message goes last,
after a marker the parser knows, so its addresses read as relay hops and its ``From`` tells the
direction.
"""

from __future__ import annotations

import email
import html
import re
from email import policy
from email.message import EmailMessage, Message

_MAX_PARTS = 60  # a bounce has a handful; a hostile file must not cost more
RETURNED_MARKER = "----- Original message -----"  # one of parse.phrases.RETURNED_MESSAGE_MARKERS
_HEADER_START = re.compile(rb"\A(?:[\t ]*\r?\n)*(?:[!-9;-~]{1,76}:[^\r\n]*\r?\n(?:[\t ][^\r\n]*\r?\n)*){2,}")
_TAGS = re.compile(r"<[^<>]{0,2000}>")
_BLOCK_END = re.compile(r"<(?:br|/p|/div|/tr|/li|/h\d)\b[^>]{0,200}>", re.IGNORECASE)


MAIL_TYPES = frozenset({"message/rfc822", "message/global", "multipart/report"})


def file_text(data: bytes, *, name: str = "", mimetype: str = "") -> str:
    """The text of a file someone gave us (a path on the command line, an upload in Slack): an e-mail
    message (named ``.eml``, typed as mail, or starting with header fields) through ``email``;
    anything else as UTF-8 text. One reading for the terminal and Slack, so both diagnose alike."""
    named_mail = name.lower().endswith(".eml") or mimetype.lower() in MAIL_TYPES
    if named_mail or looks_like_message(data):
        try:
            return message_text(data)
        except Exception:  # email is lenient, but a hostile file must never cost the answer
            pass
    return _decoded_text(data)


def _decoded_text(data: bytes) -> str:
    """Plain text as editors save it: UTF-8 (with or without a byte-order mark), or UTF-16 with one
    (Windows tools save bounces that way); anything undecodable becomes U+FFFD, never an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def looks_like_message(data: bytes) -> bool:
    """The bytes start with two or more header fields (a whole message, not a pasted reply)."""
    return _HEADER_START.match(data[:20_000]) is not None


def message_text(data: bytes) -> str:
    """The message's readable text: its own headers that matter, each text part, the delivery-status
    fields, then the returned message's headers after ``RETURNED_MARKER``."""
    message = email.message_from_bytes(data, policy=policy.default)
    pieces: list[str] = []
    returned: list[str] = []
    budget = [_MAX_PARTS]
    pieces.append(_headers(message, ("From", "To", "Subject", "Date")))
    _read(message, pieces, returned, budget)
    if returned:
        pieces.append(RETURNED_MARKER)
        pieces.extend(returned)
    return "\n".join(piece for piece in pieces if piece.strip())


def _read(part: Message, pieces: list[str], returned: list[str], budget: list[int]) -> None:
    if budget[0] <= 0:
        return
    budget[0] -= 1
    kind = part.get_content_type()
    if kind == "message/delivery-status":  # email reads its field groups as sub-messages
        pieces.append(_delivery_status(part))
    elif kind in ("message/rfc822", "message/global"):
        inner = part.get_payload()
        original = inner[0] if isinstance(inner, list) and inner else None
        if isinstance(original, Message):
            returned.append(_headers(original))
    elif part.is_multipart():
        payload = part.get_payload()
        subparts = [sub for sub in payload if isinstance(sub, Message)] if isinstance(payload, list) else []
        if kind == "multipart/alternative":  # the plain text is enough; HTML only when it is alone
            plain = [sub for sub in subparts if sub.get_content_type() == "text/plain"]
            subparts = plain or subparts[-1:]
        for sub in subparts:
            _read(sub, pieces, returned, budget)
    elif kind in ("text/rfc822-headers", "message/global-headers"):
        returned.append(_decoded(part))
    elif kind == "text/html":
        pieces.append(_html_text(_decoded(part)))
    elif part.get_content_maintype() == "text":
        pieces.append(_decoded(part))


def _decoded(part: Message) -> str:
    """A text part's content, base64 or quoted-printable undone, in its charset (or UTF-8)."""
    try:
        if isinstance(part, EmailMessage):
            content = part.get_content()
            if isinstance(content, str):
                return content
    except (LookupError, ValueError, UnicodeError):
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return str(part.get_payload())


def _delivery_status(part: Message) -> str:
    """RFC 3464 fields, one per line, unfolded: ``Diagnostic-Code: smtp; 550 ...``."""
    groups = part.get_payload()
    lines: list[str] = []
    for group in groups if isinstance(groups, list) else ():
        if isinstance(group, Message):
            lines.extend(f"{name}: {' '.join(str(value).split())}" for name, value in group.items())
            lines.append("")
    return "\n".join(lines) if lines else _decoded(part)


def _headers(message: Message, names: tuple[str, ...] | None = None) -> str:
    items = message.items() if names is None else [(name, message[name]) for name in names if message[name]]
    return "\n".join(f"{name}: {' '.join(str(value).split())}" for name, value in items)


def _html_text(markup: str) -> str:
    return html.unescape(_TAGS.sub(" ", _BLOCK_END.sub("\n", markup)))
