"""Pasted text -> ``Bounce``: which IP the receiver blocked, which list it named, and why.

The engine reads the tables in ``formats.py``; it knows no phrasing of its own. Steps:

1. Reject unusable input at once: too large, empty, binary.
2. Normalise the paste (a pipeline of small functions): Unicode width, line ends, Slack markup and
   entities, quoting, markdown, quoted-printable, hard-wrapped lines and addresses split by a wrap.
3. Find every IPv4/IPv6 address and score it by the words around it (``formats.BEFORE_IP`` /
   ``AFTER_IP``), by the header it sits in and by whether it is in the returned original message.
4. Find the list the text names (``formats.NAMED_LISTS``, then ``GENERIC_LISTS``), or else the
   non-blocklist reason (``formats.REJECTION_KINDS``).
5. Choose the blocked IP only for an IP-blocklist or reputation rejection, and only an address in
   a blamed position: never the rejecting MX, a relay hop, a resolver or a version string.

Every regular expression has bounded repetition and every per-address step looks at a short
window, so the time grows linearly with the input (see ``MAX_INPUT_CHARS``).
"""

from __future__ import annotations

import bisect
import ipaddress
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from bot.diagnosis import formats
from bot.diagnosis.formats import ListRule
from bot.diagnosis.model import BlocklistMention, Bounce, Candidate

# A Slack message holds at most 40,000 characters and a whole NDR with headers is rarely over
# 100 KB, so 2 million characters leaves room for any real paste (and lets a 1 MB paste be
# parsed and timed) while bounding the work. Longer input is refused without being scanned.
MAX_INPUT_CHARS = 2_000_000

SNIPPET_CHARS = 160
_WINDOW = 130  # characters of context read on each side of an address
# Every address read is scored (tens of microseconds each), so a log dump must not cost more than a
# bounce: a real bounce names a handful of addresses (at most 7 in the corpus) and its best reading
# of the blocked one comes first or second. Addresses near a list name are read past both caps.
_MAX_OCCURRENCES_PER_IP = 3  # later repeats of the same address add nothing
_MAX_DISTINCT_IPS = 100
_MAX_HEADER_FIELDS = 20_000  # a bounce has dozens; a paste of header lines must not cost more
_SHORT_INPUT = 300  # up to this many characters a lone address needs no blocklist wording


# --------------------------------------------------------------------------------------------
# Public helpers
# --------------------------------------------------------------------------------------------

_LITERAL_WRAPPERS = "[]()<>`'\"*"


def extract_ip_literal(text: str) -> str | None:
    """The address when the whole trimmed input is one IP (optionally in brackets), else None."""
    if len(text) > 200:
        return None
    candidate = _nfkc(text).strip().strip(_LITERAL_WRAPPERS).strip()
    if candidate.lower().startswith("ipv6:"):
        candidate = candidate[5:]
    return _valid_ip(candidate)


_IP_SHAPED = re.compile(r"\[?(?:\d{1,4}(?:\.\d{1,4}){1,5}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,8})\]?")


def is_plausible_ip_text(text: str) -> bool:
    """True when the trimmed input is shaped like one address, valid or not ("300.1.2.3", "1.2.3")."""
    return len(text) <= 200 and _IP_SHAPED.fullmatch(_nfkc(text).strip().lower()) is not None


def normalise(text: str) -> str:
    """The paste as plain text: the pipeline every parse starts with (public for tests and tools)."""
    for step in _NORMALISERS:
        text = step(text)
    return text


# --------------------------------------------------------------------------------------------
# Normalisation pipeline
# --------------------------------------------------------------------------------------------


def _nfkc(text: str) -> str:
    """Full-width digits, dots and brackets become ASCII; U+0130 would change length when lowered."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u0130", "I")
    return text


def _line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MAX_LINKS = 5_000  # a Slack message (40,000 characters) holds fewer; the rest stay as they are
# Possessive: the character after the link or label is one they cannot contain, so giving
# characters back could never help; it would only re-read an unclosed "<https://..." backwards.
_SLACK_LINK = re.compile(r"<((?:https?|ftp|mailto|tel):[^<>|\s]{1,2000}+)(?:\|([^<>\n]{0,500}+))?>", re.I)


def _slack_links(text: str) -> str:
    """``<url|label>`` -> ``url label`` (the link target may hold the IP); ``<mailto:a|a>`` -> ``a``."""
    if "<" not in text:
        return text

    def plain(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.lower().startswith("mailto:"):
            return label or target[7:]
        return f"{target} {label}" if label and label != target else target

    return _SLACK_LINK.sub(plain, text, count=_MAX_LINKS)


_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "),
             ("&amp;", "&"))


def _entities(text: str) -> str:
    if "&" not in text:
        return text
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


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
        if ".." in whole or _valid_ipv4(whole) is None:
            return match.group(0)
        bracketed = text[head.start() - 1:head.start()] == "[" and text[tail.end():tail.end() + 1] == "]"
        if bracketed or (_valid_ipv4(head.group(0)) is None and _valid_ipv4(tail.group(0)) is None):
            return ""
        return match.group(0)

    return _LINE_BREAK_BEFORE_DIGIT.sub(join, text, count=_MAX_SPLIT_JOINS)


_NORMALISERS = (_nfkc, _line_ends, _slack_links, _entities, _quoting, _markdown, _quoted_printable, _hard_wraps,
                _split_addresses)


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

# IPv4: a dotted quad (group 1) that is a whole run of digits and dots, full stops after it aside.
# It starts with a character class, so the regex engine skips text without digits quickly, and
# checks what comes before only then; possessive repeats never give digits back, so each run is
# read once however long it is, and a run that is not an address costs no Python code.
_DOTTED_QUAD = re.compile(r"([0-9](?<![\d.][0-9])\d{0,2}+(?:\.\d{1,3}+){3})\.*+(?![\d.])")
# IPv6 is found from its first colon (not glued to a dot or colon), only where "::" or seven
# colons follow: times ("09:12:44") and MAC addresses never reach Python code. The hex digits
# before the colon are added back by hand.
_IPV6_TAIL = re.compile(r":(?<![.:]:)(?=:|(?:[0-9a-f]{0,4}:){1,7}:|(?:[0-9a-f]{0,4}:){6})[0-9a-f]{0,4}:[0-9a-f:]{0,36}")
_HEX = frozenset("0123456789abcdef")
_MAX_ADDRESS_MATCHES = 100_000  # dotted quads read: a 1 MB log holds about 10,000, and each costs little
_MAX_IPV6_RUNS = 5_000  # colon runs read, rejected ones included (each costs Python code)


def _valid_ipv4(text: str) -> str | None:
    parts = text.split(".")
    if len(parts) != 4 or not all(part.isdigit() and len(part) <= 3 and int(part) <= 255 for part in parts):
        return None
    return ".".join(str(int(part)) for part in parts)


@lru_cache(maxsize=4096)
def _valid_ip(text: str) -> str | None:
    """Normalised address text, or None. Leading zeros in IPv4 octets are read as decimal."""
    if "." in text and ":" not in text:
        text = _valid_ipv4(text) or ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _never_blocked(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    return address.is_loopback or address.is_unspecified or address.is_multicast or ip == "255.255.255.255"


@dataclass
class _Occurrence:
    ip: str
    start: int
    end: int
    score: int = 0
    rules: list[tuple[str, int, str]] = field(default_factory=list)  # (rule, score, role)
    blames: bool = False

    def add(self, name: str, score: int, role: str, *, blames: bool = False) -> None:
        self.rules.append((name, score, role))
        self.score += score
        self.blames = self.blames or blames

    @property
    def negative(self) -> bool:
        return any(score < 0 for _, score, _ in self.rules)

    @property
    def main_rule(self) -> tuple[str, int, str]:
        if not self.rules:
            return ("mentioned", 0, "unknown")
        return max(self.rules, key=lambda rule: (abs(rule[1]), rule[1]))


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


@dataclass
class _Document:
    text: str  # normalised, original case: snippets come from here
    low: str  # the same, lower-cased (same length): every pattern runs on this
    header_spans: list[tuple[int, int, bool]]  # (start, end, is_received) of relay/auth header fields
    report_end: int  # where the returned copy of the original message starts
    report: str  # low[:report_end] with the header fields blanked: where list names and reasons are read
    first_hits: dict[str, int] = field(default_factory=dict)  # needle -> first position in report

    @classmethod
    def read(cls, text: str) -> _Document:
        """``text`` gets a leading newline so that header patterns ("\\nfrom:") match on line one."""
        text = "\n" + text
        low = text.lower()
        if len(low) != len(text):  # cannot happen after _nfkc; keep positions aligned regardless
            low = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
        fields = itertools.islice(formats.HEADER_FIELDS.finditer(low), _MAX_HEADER_FIELDS)
        spans = [(m.start(), m.end(), m.group(0).startswith("\nreceived:")) for m in fields]
        ends = [pos for pos in (low.find(marker) for marker in formats.RETURNED_MESSAGE_MARKERS) if pos > 0]
        report_end = min(ends) if ends else len(low)
        pieces, cursor = [], 0
        for start, end, _ in spans:
            if start >= report_end:
                break
            pieces.append(low[cursor:start])
            pieces.append(" " * (min(end, report_end) - start))
            cursor = min(end, report_end)
        pieces.append(low[cursor:report_end])
        return cls(text, low, spans, report_end, "".join(pieces))

    def header_at(self, pos: int) -> tuple[int, int, bool] | None:
        index = bisect.bisect_right(self.header_spans, (pos, len(self.low) + 1, True)) - 1
        if index >= 0 and self.header_spans[index][0] <= pos < self.header_spans[index][1]:
            return self.header_spans[index]
        return None

    def snippet(self, start: int, end: int) -> str:
        """The text around [start, end) on one line, at most SNIPPET_CHARS long."""
        room = max(0, SNIPPET_CHARS - (end - start)) // 2
        left = max(0, start - room)
        piece = " ".join(self.text[left:end + room].split())
        if len(piece) > SNIPPET_CHARS:
            piece = piece[:SNIPPET_CHARS]
        return piece


_WS = re.compile(r"\s+")
_OPENERS = "[(<\"'"
_AFTER_SCORE = re.compile(r"^[ \t]+\d{1,5}(?=[ \t]*[\])])")  # Gmail "[192.0.2.22      18]"
_AFTER_CLOSERS = re.compile(r"^[\s\])>\"']*")
_AFTER_PORT = re.compile(r"^:\d{1,5}\b")


def _before_window(doc: _Document, start: int) -> str:
    window = _WS.sub(" ", doc.low[max(0, start - _WINDOW):start]).rstrip()
    if window.endswith("ipv6:"):
        window = window[:-5]
    if window[-1:] and window[-1] in _OPENERS:
        window = window[:-1].rstrip()
    return window


def _after_window(doc: _Document, end: int) -> str:
    window = doc.low[end:end + _WINDOW]
    window = _AFTER_SCORE.sub("", window)
    window = _AFTER_CLOSERS.sub("", window)
    window = _AFTER_PORT.sub("", window)
    return _WS.sub(" ", window.replace("_", " ")).strip()


def _ipv4_spans(low: str):
    """Dotted quads with one to three digits in each part, not glued to other digits or dots."""
    for count, match in enumerate(_DOTTED_QUAD.finditer(low)):
        if count >= _MAX_ADDRESS_MATCHES:
            return
        yield match.span(1)


def _ipv6_spans(low: str):
    """Runs of hex digits and colons with "::" or seven colons, not glued to a word."""
    for count, match in enumerate(_IPV6_TAIL.finditer(low)):
        if count >= _MAX_IPV6_RUNS:  # every run read counts: a rejected one costs as much
            return
        start, end = match.span()
        while start > 0 and start > match.start() - 4 and low[start - 1] in _HEX:
            start -= 1
        if low.endswith("ipv6:", 0, start + 2):  # "[IPv6:2001:db8::1]": the 6 is not part of it
            start += 2
        token = low[start:end]
        if "::" not in token and token.count(":") != 7:
            continue
        before = low[start - 1:start]
        if before and (before.isalnum() or before in ".:") and not low.endswith("ipv6:", 0, start):
            continue
        yield start, end


def _near_mention(pos: int, mentions: list[int]) -> bool:
    """``mentions``: sorted positions of list names."""
    index = bisect.bisect_left(mentions, pos - formats.NEAR_MENTION_CHARS)
    return index < len(mentions) and mentions[index] <= pos + formats.NEAR_MENTION_CHARS


def _find_occurrences(doc: _Document, mentions: list[int]) -> list[_Occurrence]:
    seen: Counter[str] = Counter()
    read: dict[str, str | None] = {}  # address text -> normalised address, or None when it is not one
    found: list[_Occurrence] = []
    spans = _ipv6_spans(doc.low) if ":" in doc.low else ()
    for start, end in (*_ipv4_spans(doc.low), *spans):
        raw = doc.low[start:end]
        if raw in read:
            ip = read[raw]
        elif len(read) >= _MAX_DISTINCT_IPS and not _near_mention(start, mentions):
            continue
        else:
            ip = read[raw] = _valid_ip(raw)
            if ip is not None and _never_blocked(ip):
                ip = read[raw] = None
        if ip is None or (seen[ip] >= _MAX_OCCURRENCES_PER_IP and not _near_mention(start, mentions)):
            continue
        before = _before_window(doc, start)
        if _ends_with(formats.NOT_AN_ADDRESS_BEFORE, before, formats.NOT_AN_ADDRESS_REACH) or (
            _ends_with(formats.STATUS_SUFFIX_BEFORE, before, formats.STATUS_SUFFIX_REACH)
            and formats.STATUS_SUFFIX_SHAPE.fullmatch(raw)
        ):
            continue
        seen[ip] += 1
        occurrence = _Occurrence(ip, start, end)
        _score(doc, occurrence, before)
        found.append(occurrence)
    return found


def _ends_with(pattern: re.Pattern[str], text: str, reach: int) -> bool:
    """``pattern`` ends with "$": only its reach at the end of the text needs reading."""
    return pattern.search(text, max(0, len(text) - reach)) is not None


_REACHES = sorted({rule.reach for rule in formats.BEFORE_IP})


def _has_needle(tail: str, needles: tuple[str, ...]) -> bool:
    for needle in needles:
        if needle in tail:
            return True
    return not needles


def _before_rules(before: str):
    """The rules whose phrase ends ``before``. Each reads only its reach, and runs its pattern
    only when one of its needles is there: every address is read this way, and a substring test
    costs little next to a regex search."""
    tails = {reach: before[-reach:] for reach in _REACHES}
    for rule in formats.BEFORE_IP:
        tail = tails[rule.reach]
        if _has_needle(tail, rule.needles) and rule.pattern.search(before, len(before) - len(tail)):
            yield rule


def _score(doc: _Document, occurrence: _Occurrence, before: str) -> None:
    """Relay headers and the returned message say what the address is; elsewhere the words do."""
    header = doc.header_at(occurrence.start)
    if header is not None:
        if header[2]:
            occurrence.add("received_header", formats.SCORE_HEADER_RECEIVED, formats.RELAY)
        else:
            occurrence.add("header_field", formats.SCORE_HEADER_OTHER, formats.RELAY)
        return
    if occurrence.start >= doc.report_end:
        occurrence.add("returned_message", formats.SCORE_RETURNED_MESSAGE, formats.RELAY)
        return
    for rule in _before_rules(before):
        occurrence.add(rule.name, rule.score, rule.role, blames=rule.blames)
    after = _after_window(doc, occurrence.end)
    for rule in formats.AFTER_IP:
        if rule.pattern.match(after):
            occurrence.add(rule.name, rule.score, rule.role, blames=rule.blames)


# --------------------------------------------------------------------------------------------
# Lists and reasons
# --------------------------------------------------------------------------------------------


_NEEDLE_HITS = 64  # needle hits read per needle before giving up
_BEFORE_NEEDLE, _AFTER_NEEDLE = 200, 300


def _find(phrase: formats.Phrase, doc: _Document, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The earliest match of the phrase in the report (or report[start:end]), reading only windows
    around its needles."""
    text = doc.report
    whole = start == 0 and end is None
    end = len(text) if end is None else end
    best: re.Match[str] | None = None
    for needle in phrase.needles:
        if whole:  # many phrases share a needle: look each one up once per document
            pos = doc.first_hits.get(needle)
            if pos is None:
                pos = doc.first_hits[needle] = text.find(needle)
        else:
            pos = text.find(needle, start, end)
        hits = 0
        while pos >= 0 and hits < _NEEDLE_HITS:
            if best is not None and pos - _BEFORE_NEEDLE > best.start():
                break
            last, hits = pos, hits + 1
            following = text.find(needle, last + 1, end)
            while 0 <= following <= last + _BEFORE_NEEDLE + _AFTER_NEEDLE and hits < _NEEDLE_HITS:
                last, hits = following, hits + 1  # overlapping windows are read as one, each character once
                following = text.find(needle, last + 1, end)
            match = phrase.pattern.search(text, max(start, pos - _BEFORE_NEEDLE), min(end, last + _AFTER_NEEDLE))
            if match is not None:
                if best is None or match.start() < best.start():
                    best = match
                break
            pos = following
    return best


@dataclass(frozen=True)
class _Mention:
    rule: ListRule
    match: re.Match[str]

    @property
    def start(self) -> int:
        return self.match.start()


def _find_mentions(doc: _Document) -> list[_Mention]:
    """Every list rule that matches, named ones first, each at its first position in the report."""
    mentions = []
    for rule in (*formats.NAMED_LISTS, *formats.GENERIC_LISTS):
        match = _find(rule.phrase, doc)
        if match:
            mentions.append(_Mention(rule, match))
    return mentions


def _first_group(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def _spamhaus_list(doc: _Document, zone: str | None, near: int) -> str | None:
    if zone:
        head = zone.split(".")[0]
        if head in formats.SPAMHAUS_ZONE_LISTS:
            return formats.SPAMHAUS_ZONE_LISTS[head]
    start, end = max(0, near - formats.SPAMHAUS_HINT_CHARS), near + formats.SPAMHAUS_HINT_CHARS
    for pattern, list_name in formats.SPAMHAUS_LIST_HINTS:
        match = pattern.search(doc.report, start, end)
        if match:
            return list_name or match.group(1).upper()
    return None


def _mention_value(doc: _Document, mention: _Mention) -> BlocklistMention:
    rule, match = mention.rule, mention.match
    zone = None
    if "zone" in match.re.groupindex and match.group("zone"):
        zone = match.group("zone")
    elif rule.zone is not None:
        found = rule.zone.search(doc.report, max(0, match.start() - 2000), match.end() + 2000)
        zone = found.group(1) if found else None
    if zone and rule.key == "spamhaus" and re.match(r"[a-z0-9]{26}\.", zone):
        zone = zone.split(".", 1)[1]  # a DQS key belongs to the receiver: keep it out of the answer
    name = rule.name
    if not name:
        named = "name" in match.re.groupindex and match.group("name")
        name = doc.text[match.start("name"):match.end()] if named else zone or formats.GENERIC_NAME
    code = _first_group(rule.codes, doc.report[max(0, match.start() - 2000):match.end() + 2000])
    list_name = rule.list_name or (_spamhaus_list(doc, zone, match.start()) if rule.key == "spamhaus" else None)
    return BlocklistMention(
        key=rule.key,
        name=" ".join(name.split()),
        zone=zone,
        list_name=list_name,
        code=code.upper() if code else None,
        snippet=doc.snippet(match.start(), match.end()),
    )


def _blames_domain(doc: _Document, mention: _Mention, value: BlocklistMention) -> bool:
    if mention.rule.domain or value.list_name in ("DBL", "ZRD"):
        return True
    start = max(0, mention.start - 120)
    return _find(formats.DOMAIN_LISTING_HINTS, doc, start, mention.match.end() + 120) is not None


def _rejection_kind(doc: _Document, enhanced_code: str | None) -> str | None:
    for kind, phrase in formats.REJECTION_KINDS:
        if _find(phrase, doc):
            return kind
    status = formats.STATUS_FIELD.search(doc.low)
    for code in (enhanced_code, status.group(1) if status else None):
        if code in formats.KIND_BY_STATUS:
            return formats.KIND_BY_STATUS[code]
    return None


# --------------------------------------------------------------------------------------------
# Codes, hosts, domains
# --------------------------------------------------------------------------------------------


def _smtp_codes(report: str, start: int = 0, end: int | None = None):
    return formats.SMTP_CODE.finditer(report, start, len(report) if end is None else end)


def _codes(doc: _Document, anchor: int | None) -> tuple[str | None, str | None]:
    """The SMTP and enhanced code of the reply around ``anchor`` (the rejection), else the first."""
    report = doc.report
    best = None
    if anchor is not None:
        for match in _smtp_codes(report, max(0, anchor - 400), anchor + 1):
            best = match
    if best is None:
        first = None
        for count, match in enumerate(_smtp_codes(report)):
            first = first or match
            if match.group(2) or count > 200:
                best = match
                break
        best = best or first
    if best is None:
        status = formats.STATUS_FIELD.search(doc.low)
        return None, status.group(1) if status and status.group(1)[0] in "45" else None
    enhanced = best.group(2)
    if enhanced is None:
        follow = formats.ENHANCED_CODE.match(report, best.end())
        enhanced = follow.group(1) if follow else None
    return best.group(1), enhanced


def _rejecting_host(doc: _Document, anchor: int | None) -> str | None:
    found: list[tuple[int, str]] = []
    for pattern in formats.REJECTING_HOST:
        for match in pattern.finditer(doc.low, 0, doc.report_end):
            found.append((match.start(), doc.text[match.start(1):match.end(1)]))
            if len(found) > 200:
                break
    if not found:
        return None
    found.sort()
    if anchor is not None:
        before = [host for pos, host in found if pos <= anchor]
        if before:
            return before[-1]
    return found[0][1]


_MAX_FIELD_MATCHES = 100  # "From:" fields naming the mailer daemon read before giving up


def _domain_of(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None,
               skip_daemon: bool = False) -> str | None:
    for count, match in enumerate(pattern.finditer(text, start, len(text) if end is None else end)):
        if count >= _MAX_FIELD_MATCHES:
            break
        if skip_daemon and formats.MAILER_DAEMON.search(match.group(0)):
            continue
        return match.group(2).rstrip(".")
    return None


def _domains(doc: _Document) -> tuple[str | None, str | None]:
    low, cut = doc.low, doc.report_end
    recipient = None
    for pattern in formats.RECIPIENT_FIELDS:
        recipient = _domain_of(pattern, low)
        if recipient:
            break
    recipient = recipient or _domain_of(formats.TO_FIELD, low, cut)
    sender = None
    for pattern in formats.SENDER_FIELDS:
        sender = _domain_of(pattern, low)
        if sender and not formats.MAILER_DAEMON.search(sender):
            break
        sender = None
    if sender is None:
        sender = _domain_of(formats.FROM_FIELD, low, cut, skip_daemon=True)
    if sender is None:
        top_from = formats.FROM_FIELD.search(low, 0, cut)
        if top_from and formats.MAILER_DAEMON.search(top_from.group(0)):
            sender = _domain_of(formats.TO_FIELD, low, 0, cut)
        elif top_from:
            sender = top_from.group(2).rstrip(".")
    return sender, recipient


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    """NULs and other control characters (tab, line ends, form feed and ESC of ISO-2022-JP aside)
    or undecodable bytes (U+FFFD) in a tenth of the text, or several NULs."""
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    bad = len(_CONTROL.findall(sample))
    return bad > 0 and (bad * 10 >= len(sample) or sample.count("\x00") >= 4)


def _candidates(occurrences: list[_Occurrence], doc: _Document) -> list[tuple[_Occurrence, Candidate]]:
    best: dict[str, _Occurrence] = {}
    for occurrence in occurrences:
        current = best.get(occurrence.ip)
        if current is None or occurrence.score > current.score:
            best[occurrence.ip] = occurrence
    ranked = sorted(best.values(), key=lambda o: (-o.score, o.start))
    result = []
    for occurrence in ranked:
        rule, _, role = occurrence.main_rule
        result.append((occurrence, Candidate(
            ip=occurrence.ip,
            score=occurrence.score,
            rule=rule,
            snippet=doc.snippet(occurrence.start, occurrence.end),
            role=role if occurrence.rules else "unknown",
        )))
    return result


def _has_redacted_ip(doc: _Document) -> bool:
    for count, match in enumerate(formats.REDACTED_IP.finditer(doc.report)):
        if formats.REDACTED_MASK.search(match.group(0)):
            return True
        if count > 1000:
            break
    return False


def _near(occurrence: _Occurrence, positions: list[int]) -> bool:
    return any(abs(occurrence.start - pos) <= formats.NEAR_MENTION_CHARS for pos in positions)


def _unusable(text: str) -> str | None:
    if len(text) > MAX_INPUT_CHARS:
        return "too_large"
    if not text.strip():
        return "empty"
    if _looks_binary(text):
        return "binary"
    return None


@dataclass(frozen=True)
class _Verdict:
    """Which list the text names and whether it blames a domain rather than an address."""

    mention: _Mention | None
    blocklist: BlocklistMention | None
    kind: str | None
    blames_domain: bool


def _which_list(doc: _Document, mentions: list[_Mention], ranked: list[tuple[_Occurrence, Candidate]]) -> _Verdict:
    """A named list, else an unnamed one, else one implied by an address in a blamed position
    (unless the receiver says it checked PTR, SPF, DMARC...), else the non-blocklist reason."""
    if mentions:
        mention = mentions[0]
        blocklist = _mention_value(doc, mention)
        return _Verdict(mention, blocklist, None, _blames_domain(doc, mention, blocklist))
    kind = _rejection_kind(doc, _codes(doc, None)[1])
    top, candidate = ranked[0] if ranked else (None, None)
    if top is not None and _blamed(top) and kind not in formats.AUTHENTICATION_KINDS:
        implied = BlocklistMention(key="other", name=formats.GENERIC_NAME, snippet=candidate.snippet)
        return _Verdict(None, implied, None, False)
    return _Verdict(None, None, kind, False)


def _blamed(occurrence: _Occurrence) -> bool:
    return occurrence.blames and occurrence.score >= formats.IMPLIED_MIN_SCORE


def _choose(verdict: _Verdict, ranked: list[tuple[_Occurrence, Candidate]], short: bool) -> Candidate | None:
    """The blocked address, or None: only for an IP blocklist or reputation rejection, and only an
    address in a blamed position (a short question with one address aside)."""
    plausible = [(o, c) for o, c in ranked if not o.negative]
    if verdict.blocklist is not None:
        if verdict.blames_domain and not (plausible and _blamed(plausible[0][0])):
            return None
        if plausible and plausible[0][0].score >= formats.CHOSEN_MIN_SCORE:
            return plausible[0][1]
        lone = len(plausible) == 1 and plausible[0][0].score >= formats.LONE_CANDIDATE_MIN_SCORE
        return plausible[0][1] if lone and verdict.mention is not None else None
    if verdict.kind is None and short and len(plausible) == 1:
        candidate = plausible[0][1]
        return Candidate(candidate.ip, candidate.score, "only_ip", candidate.snippet, formats.BLOCKED)
    return None


def parse_bounce(text: str) -> Bounce:
    """Read a pasted bounce (an SMTP line, a whole NDR/DSN, Slack-escaped or quoted text)."""
    size = len(text)
    problem = _unusable(text)
    if problem:
        return Bounce(blocked_ip=None, problem=problem, input_chars=size)
    clean = normalise(text)
    literal = extract_ip_literal(clean)
    if literal:
        candidate = Candidate(literal, 100, "bare_ip", clean.strip()[:SNIPPET_CHARS], formats.BLOCKED)
        return Bounce(blocked_ip=literal, candidates=(candidate,), input_chars=size)
    if not clean.strip():
        return Bounce(blocked_ip=None, problem="empty", input_chars=size)

    doc = _Document.read(clean)
    mentions = _find_mentions(doc)
    positions = sorted(mention.start for mention in mentions)
    occurrences = _find_occurrences(doc, positions)
    for occurrence in occurrences:
        if not occurrence.negative and occurrence.start < doc.report_end and _near(occurrence, positions):
            occurrence.add("near_blocklist_name", formats.SCORE_NEAR_MENTION, formats.BLOCKED)
    ranked = _candidates(occurrences, doc)
    verdict = _which_list(doc, mentions, ranked)
    chosen = _choose(verdict, ranked, short=len(clean) <= _SHORT_INPUT)

    candidates = [candidate for _, candidate in ranked]
    if chosen is not None:
        candidates = [chosen] + [c for c in candidates if c.ip != chosen.ip]
    chosen_at = next((o.start for o, c in ranked if chosen and c.ip == chosen.ip), None)
    anchor = verdict.mention.start if verdict.mention else chosen_at
    smtp_code, enhanced_code = _codes(doc, anchor)
    sender_domain, recipient_domain = _domains(doc)
    resolver = formats.RESOLVER_LINK_IP.search(doc.low)
    redacted = (chosen is None and verdict.blocklist is not None and not verdict.blames_domain
                and _has_redacted_ip(doc))
    return Bounce(
        blocked_ip=chosen.ip if chosen else None,
        candidates=tuple(candidates),
        blocklist=verdict.blocklist,
        rejecting_host=_rejecting_host(doc, anchor),
        smtp_code=smtp_code,
        enhanced_code=enhanced_code,
        receiver_misconfigured=_find(formats.RECEIVER_MISCONFIGURED, doc) is not None,
        resolver_ip=_valid_ip(resolver.group(1).rstrip(".")) if resolver else None,
        sender_domain=sender_domain,
        recipient_domain=recipient_domain,
        rejection_kind=verdict.kind,
        problem="redacted_ip" if redacted else None,
        input_chars=size,
    )
