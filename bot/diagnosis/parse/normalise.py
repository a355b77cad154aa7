"""The paste as plain text, and whether it can be read at all.

A pipeline of small steps, each a no-op on text that does not need it: Unicode width (full-width
digits and brackets), line ends, HTML entities, ``>`` quoting, markdown, quoted-printable soft
breaks, terminal hard wraps, and addresses split by a wrap. Slack's own markup (``<url|label>``) is
undone by the Slack surface before the text reaches the core.
"""

from __future__ import annotations

import html
import ipaddress
import re
import unicodedata
from collections import Counter

from bot.diagnosis.addresses import parse_ip

# A Slack message holds at most 40,000 characters and a whole NDR with headers is rarely over
# 100 KB, so 2 million characters leaves room for any real paste (and lets a 1 MB paste be
# parsed and timed) while bounding the work. Longer input is refused without being scanned, and
# so is input that normalisation grows past it (NFKC turns U+FDFA into 18 characters).
MAX_INPUT_CHARS = 2_000_000
_NFKC_PIECE = 8_192  # characters normalised at a time, so that growth is seen before it is paid for

_LITERAL_WRAPPERS = "[]()<>`'\"*"


def extract_ip_literal(text: str) -> str | None:
    """The address when the whole trimmed input is one IP (optionally in brackets), else None."""
    if len(text) > 200:
        return None
    candidate = _nfkc(text).strip().strip(_LITERAL_WRAPPERS).strip()
    if candidate.lower().startswith("ipv6:"):
        candidate = candidate[5:]
    address = parse_ip(candidate)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address) if address else None


_IP_SHAPED = re.compile(r"\[?(?:\d{1,4}(?:\.\d{1,4}){1,5}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,8})\]?")


def is_plausible_ip_text(text: str) -> bool:
    """True when the trimmed input is shaped like one address, valid or not ("300.1.2.3", "1.2.3")."""
    return len(text) <= 200 and _IP_SHAPED.fullmatch(_nfkc(text).strip().lower()) is not None


def normalise(text: str) -> str:
    """The paste as plain text: the pipeline every parse starts with (public for tests and tools).
    A result longer than ``MAX_INPUT_CHARS`` is cut short (the caller refuses it as too large)."""
    for step in _STEPS:
        text = step(text)
        if len(text) > MAX_INPUT_CHARS:
            return text
    return text



def _nfkc(text: str) -> str:
    """Full-width digits, dots and brackets become ASCII; U+0130 would change length when lowered.
    Normalised piece by piece, each ending before an ASCII character where there is one (nothing
    composes with a character before it across ASCII), and stopped once past ``MAX_INPUT_CHARS``."""
    if text.isascii():
        return text
    pieces: list[str] = []
    size = start = 0
    while start < len(text) and size <= MAX_INPUT_CHARS:
        end = min(start + _NFKC_PIECE, len(text))
        if end < len(text):
            cut = _last_ascii(text, start + 1, end)
            end = cut if cut is not None else end
        piece = unicodedata.normalize("NFKC", text[start:end])
        pieces.append(piece)
        size += len(piece)
        start = end
    return "".join(pieces).replace("\u0130", "I")


_ASCII = re.compile(r"[\x00-\x7f][^\x00-\x7f]*$")


def _last_ascii(text: str, start: int, end: int) -> int | None:
    found = _ASCII.search(text, start, end)
    return found.start() if found else None


def _line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Entities with their closing ";" only: "?ip=1.2.3.4&times=2" in a pasted link is not "×".
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


def _entities(text: str) -> str:
    """HTML entities (``&lt;``, ``&#64;``, ``&nbsp;``) as the characters they stand for."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda match: html.unescape(match.group(0)).replace("\xa0", " "), text)


# Up to the last ">" and one blank after it (which belongs to the mark). A plain replacement, not
# a function: a paste of many short quoted lines would call it once per line.
_QUOTE_MARKS = re.compile(r"\n[ \t]*>(?:[> \t]*>)?[ \t]?")


def _quoting(text: str) -> str:
    """Strip ``> `` quote marks at any depth (also the ``>>>`` of SMTP transcripts: harmless),
    keeping the indentation of quoted header continuation lines."""
    if ">" not in text:
        return text
    return _QUOTE_MARKS.sub("\n", "\n" + text)[1:]


_STARS = re.compile(r"\*+")


def _emphasis(match: re.Match[str]) -> str:
    """``*`` or ``**`` that opens (after a blank) or closes (before a blank) emphasis goes."""
    stars, text, start, end = match.group(0), match.string, match.start(), match.end()
    before, after = text[start - 1:start], text[end:end + 1]
    opens = (not before or not (before.isalnum() or before in ".[_")) and after.strip() != ""
    closes = before.strip() != "" and (not after or not (after.isalnum() or after in ".]_"))
    return "" if len(stars) <= 2 and (opens or closes) else stars


_MAX_EMPHASIS_MARKS = 10_000  # a paste with more stars than this is not markdown: leave them


def _markdown(text: str) -> str:
    """Backticks and ``*bold*`` marks go; runs like ``[****]`` or ``1.2.3.*`` stay (redactions)."""
    if "`" in text:
        text = text.replace("`", "")
    stars = text.count("*")
    return _STARS.sub(_emphasis, text) if 0 < stars <= _MAX_EMPHASIS_MARKS else text


_SOFT_BREAK = re.compile(r"=(?<!==)\n")
_QP_SPACE_AT_END = re.compile(r"=(?:20|09)(?=\n)")


def _quoted_printable(text: str) -> str:
    """Soft line breaks (``=`` at the end of a line) and ``=3D``; other ``=XX`` stay as they are,
    because ``?ip=41...`` in a plain part must not be decoded."""
    if "=" not in text:
        return text
    text = _SOFT_BREAK.sub("", text)
    text = _QP_SPACE_AT_END.sub(" ", text)
    return text.replace("=3D", "=").replace("=3d", "=")


def _hard_wraps(text: str) -> str:
    """Text copied from a terminal is cut at a fixed width, even inside a word or an address: no
    line is longer than the width and many are exactly that long. Then join those lines to the
    next without a space. Word-wrapped mail has ragged line lengths and is left alone."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    lengths = Counter(map(len, set(lines)))  # distinct lines by length, counted in C: a paste may have a million
    width = max(lengths)
    if width < 60:
        return text
    full = lengths[width]
    near = sum(count for length, count in lengths.items() if length >= width - 10)
    if full < 3 or full * 2 < near:
        return text
    joined: list[str] = []
    for line in lines:
        joined.append(line)
        joined.append("" if len(line) == width else "\n")
    return "".join(joined[:-1])


_MAX_SPLIT_JOINS = 2_000  # more broken addresses than this is not a pasted bounce
# Only a line that ends in a digit or a dot can hold the head: other lines never cost a call.
_LINE_BREAK_BEFORE_DIGIT = re.compile(r"\n(?<=[\d.]\n)[ \t]*(?=[.\d])")
_ADDRESS_HEAD = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){0,3}\.?$")
_ADDRESS_TAIL = re.compile(r"\.?\d{1,3}(?:\.\d{1,3}){0,3}(?![\d])")


def _split_addresses(text: str) -> str:
    """``192.0.2.`` / ``22`` on two lines is one address when neither half is an address itself
    (or the two halves sit inside one pair of brackets)."""
    if "\n" not in text:
        return text

    def join(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        head = _ADDRESS_HEAD.search(text, max(0, start - 16), start)
        tail = _ADDRESS_TAIL.match(text, end)
        if head is None or tail is None:
            return match.group(0)
        whole = head.group(0) + tail.group(0)
        if ".." in whole or _ipv4(whole) is None:
            return match.group(0)
        bracketed = text[head.start() - 1:head.start()] == "[" and text[tail.end():tail.end() + 1] == "]"
        if bracketed or (_ipv4(head.group(0)) is None and _ipv4(tail.group(0)) is None):
            return ""
        return match.group(0)

    return _LINE_BREAK_BEFORE_DIGIT.sub(join, text, count=_MAX_SPLIT_JOINS)


# Defanged indicators as security teams paste them: "93[.]184[.]216[.]5", "hxxps://", "a[@]b".
_DEFANGED = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\[:\]|\[@\]|\bhxxp(?=s?(?::|\[:\]))", re.IGNORECASE)
_REFANGED = {"[.]": ".", "(.)": ".", "{.}": ".", "[dot]": ".", "[:]": ":", "[@]": "@", "hxxp": "http"}


def _defanged(text: str) -> str:
    if "[" not in text and "(." not in text and "{." not in text and "hxxp" not in text.lower():
        return text
    return _DEFANGED.sub(lambda match: _REFANGED[match.group(0).lower()], text)


# A multi-line SMTP reply ("550-5.7.1 first line", "550-5.7.1 next", "550 5.7.1 last"), as Gmail sends
# them: the continuation lines lose their code, so a sentence split over lines reads as one. Only a
# line whose previous line starts with the same code and a hyphen is joined.
_CONTINUATION = re.compile(r"\n[ \t]{0,12}([245]\d\d)[- ](?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?")
_CONTINUED = re.compile(r"[ \t]{0,12}(?:[<>*-]{1,3}[ \t]+)?(?:[\w.-]{0,80}\[?[\w.:]{0,45}\]? said: )?([245]\d\d)-")
_MAX_CONTINUATIONS = 5_000


def _reply_continuations(text: str) -> str:
    if "-" not in text or "\n" not in text:
        return text

    def join(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", max(0, match.start() - 300), match.start()) + 1
        previous = _CONTINUED.match(text, line_start)
        same = previous is not None and previous.group(1) == match.group(1) and previous.end() <= match.start()
        return " " if same else match.group(0)

    return _CONTINUATION.sub(join, text, count=_MAX_CONTINUATIONS)


_STEPS = (_nfkc, _line_ends, _entities, _quoting, _markdown, _quoted_printable, _hard_wraps, _split_addresses,
          _defanged, _reply_continuations)


def _ipv4(text: str) -> str | None:
    address = parse_ip(text) if ":" not in text else None
    return str(address) if address and address.version == 4 else None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    """NULs and other control characters (tab, line ends, form feed and ESC of ISO-2022-JP aside)
    or undecodable bytes (U+FFFD) in a tenth of the text, or several NULs."""
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    bad = len(_CONTROL.findall(sample))
    return bad > 0 and (bad * 10 >= len(sample) or sample.count("\x00") >= 4)


def unusable(text: str) -> str | None:
    if len(text) > MAX_INPUT_CHARS:
        return "too_large"
    if not text.strip():
        return "empty"
    if _looks_binary(text):
        return "binary"
    return None


