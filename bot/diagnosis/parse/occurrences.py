"""Every IPv4 and IPv6 address in the paste, scored by what surrounds it: the words before and after
it (``phrases.BEFORE_IP`` / ``AFTER_IP``), the header field it sits in, and whether it is in the
returned original message. The engine ranks them; nothing here knows which list was named.

Every regular expression has bounded repetition and every per-address step reads a short window,
so the time grows linearly with the input.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.diagnosis import addresses
from bot.diagnosis.model import Role
from bot.diagnosis.parse import phrases
from bot.diagnosis.parse.document import Document, near
from bot.diagnosis.parse.phrases import ContextRule

_WINDOW = 130  # characters of context read on each side of an address
# Every address read is scored (tens of microseconds each), so a log dump must not cost more than a
# bounce: a real bounce names a handful of addresses (at most 7 in the corpus) and its best reading
# of the blocked one comes first or second. Addresses near a list name are read past both caps.
_MAX_OCCURRENCES_PER_IP = 3  # later repeats of the same address add nothing
_MAX_DISTINCT_IPS = 100

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
_EMBEDDED_IPV4 = re.compile(r"(?<=\d)\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])")
_MAX_ADDRESS_MATCHES = 100_000  # dotted quads read: a 1 MB log holds about 10,000, and each costs little
_MAX_IPV6_RUNS = 5_000  # colon runs read, rejected ones included (each costs Python code)


class RuleHit(NamedTuple):
    name: str  # the context rule, or a position the engine knows ("received_header", ...)
    score: int
    role: Role


@dataclass
class Occurrence:
    """One place an address stands in the paste, and what the words around it say."""

    ip: str
    start: int
    end: int
    score: int = 0
    hits: list[RuleHit] = field(default_factory=list)
    blames: bool = False  # a phrase next to it says, on its own, that the receiver blocked it

    def add(self, name: str, score: int, role: Role, *, blames: bool = False) -> None:
        self.hits.append(RuleHit(name, score, role))
        self.score += score
        self.blames = self.blames or blames

    @property
    def negative(self) -> bool:
        """Something says it is not the blocked address (an MX, a relay, a resolver)."""
        return any(hit.score < 0 for hit in self.hits)

    @property
    def main_hit(self) -> RuleHit:
        if not self.hits:
            return RuleHit("mentioned", 0, Role.UNKNOWN)
        return max(self.hits, key=lambda hit: (abs(hit.score), hit.score))


def find_occurrences(doc: Document, mentions: list[int]) -> list[Occurrence]:
    """Every address, scored. ``mentions``: sorted positions of list names (addresses near them are
    read past the caps)."""
    seen: Counter[str] = Counter()
    read: dict[str, str | None] = {}  # address text -> normalised address, or None when it is not one
    found: list[Occurrence] = []
    ipv6 = _ipv6_spans(doc.low) if ":" in doc.low else iter(())
    for start, end in (*_ipv4_spans(doc.low), *ipv6):
        raw = doc.low[start:end]
        if raw in read:
            ip = read[raw]
        elif len(read) >= _MAX_DISTINCT_IPS and not near(start, mentions):
            continue
        else:
            ip = read[raw] = _sender_address(raw)
        if ip is None or (seen[ip] >= _MAX_OCCURRENCES_PER_IP and not near(start, mentions)):
            continue
        before = _before_window(doc, start)
        if _ends_with(phrases.NOT_AN_ADDRESS_BEFORE, before, phrases.NOT_AN_ADDRESS_REACH) or (
            _ends_with(phrases.STATUS_SUFFIX_BEFORE, before, phrases.STATUS_SUFFIX_REACH)
            and phrases.STATUS_SUFFIX_SHAPE.fullmatch(raw)
        ):
            continue
        seen[ip] += 1
        occurrence = Occurrence(ip, start, end)
        _score(doc, occurrence, before)
        found.append(occurrence)
    return found


def _sender_address(raw: str) -> str | None:
    """The normalised address, unless it is not one or could never have sent the mail."""
    address = addresses.parse_ip(raw)
    if address is None or addresses.never_sends(address):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)  # ::ffff:88.198.20.10 is the IPv4 sender 88.198.20.10
    return str(address)


def _ipv4_spans(low: str) -> Iterator[tuple[int, int]]:
    """Dotted quads with one to three digits in each part, not glued to other digits or dots."""
    for count, match in enumerate(_DOTTED_QUAD.finditer(low)):
        if count >= _MAX_ADDRESS_MATCHES:
            return
        yield match.span(1)


def _ipv6_spans(low: str) -> Iterator[tuple[int, int]]:
    """Runs of hex digits and colons with "::" or seven colons, not glued to a word."""
    for count, match in enumerate(_IPV6_TAIL.finditer(low)):
        if count >= _MAX_IPV6_RUNS:  # every run read counts: a rejected one costs as much
            return
        start, end = match.span()
        while start > 0 and start > match.start() - 4 and low[start - 1] in _HEX:
            start -= 1
        if low.endswith("ipv6:", 0, start + 2):  # "[IPv6:2001:db8::1]": the 6 is not part of it
            start += 2
        embedded = _EMBEDDED_IPV4.match(low, end) if low[end - 1:end].isdigit() else None
        if embedded:  # "::ffff:88.198.20.10", as dual-stack Exim writes an IPv4 sender
            end = embedded.end()
        token = low[start:end]
        if "::" not in token and token.count(":") != (6 if embedded else 7):
            continue
        before = low[start - 1:start]
        if before and (before.isalnum() or before in ".:") and not low.endswith("ipv6:", 0, start):
            continue
        yield start, end


_WS = re.compile(r"\s+")
_OPENERS = "[(<\"'"
_AFTER_SCORE = re.compile(r"^[ \t]+\d{1,5}(?=[ \t]*[\])])")  # Gmail "[192.0.2.22      18]"
_AFTER_CLOSERS = re.compile(r"^[\s\])>\"']*")
_AFTER_PORT = re.compile(r"^:\d{1,5}\b")


def _before_window(doc: Document, start: int) -> str:
    window = _WS.sub(" ", doc.low[max(0, start - _WINDOW):start]).rstrip()
    if window.endswith("ipv6:"):
        window = window[:-5]
    if window[-1:] and window[-1] in _OPENERS:
        window = window[:-1].rstrip()
    return window


def _after_window(doc: Document, end: int) -> str:
    window = doc.low[end:end + _WINDOW]
    window = _AFTER_SCORE.sub("", window)
    window = _AFTER_CLOSERS.sub("", window)
    window = _AFTER_PORT.sub("", window)
    return _WS.sub(" ", window.replace("_", " ")).strip()


def _ends_with(pattern: re.Pattern[str], text: str, reach: int) -> bool:
    """``pattern`` ends with "$": only its reach at the end of the text needs reading."""
    return pattern.search(text, max(0, len(text) - reach)) is not None


_REACHES = sorted({rule.reach for rule in phrases.BEFORE_IP})


def _has_needle(tail: str, needles: tuple[str, ...]) -> bool:
    return not needles or any(needle in tail for needle in needles)


def before_rules(before: str) -> Iterator[ContextRule]:
    """The rules whose phrase ends ``before``. Each reads only its reach, and runs its pattern
    only when one of its needles is there: every address is read this way, and a substring test
    costs little next to a regex search."""
    tails = {reach: before[-reach:] for reach in _REACHES}
    for rule in phrases.BEFORE_IP:
        tail = tails[rule.reach]
        if _has_needle(tail, rule.needles) and rule.pattern.search(before, len(before) - len(tail)):
            yield rule


def _score(doc: Document, occurrence: Occurrence, before: str) -> None:
    """Relay headers and the returned message say what the address is; elsewhere the words do."""
    header = doc.header_at(occurrence.start)
    if header is not None:
        if header.received:
            occurrence.add("received_header", phrases.SCORE_HEADER_RECEIVED, Role.RELAY)
        else:
            occurrence.add("header_field", phrases.SCORE_HEADER_OTHER, Role.RELAY)
        return
    if occurrence.start >= doc.report_end:
        occurrence.add("returned_message", phrases.SCORE_RETURNED_MESSAGE, Role.RELAY)
        return
    for rule in before_rules(before):
        occurrence.add(rule.name, rule.score, rule.role, blames=rule.blames)
    after = _after_window(doc, occurrence.end)
    for rule in phrases.AFTER_IP:
        if rule.pattern.match(after):
            occurrence.add(rule.name, rule.score, rule.role, blames=rule.blames)
