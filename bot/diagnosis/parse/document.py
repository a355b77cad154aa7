"""The normalised paste as the parser reads it: lower-cased beside the original, with the relay and
authentication header fields marked, the returned original message cut off, and the two searches
every step shares (a phrase by its needles, and "near a list name").
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from bot.diagnosis.parse import phrases
from bot.diagnosis.providers.base import Phrase

SNIPPET_CHARS = 160
_MAX_HEADER_FIELDS = 20_000  # a bounce has dozens; a paste of header lines must not cost more
_NEEDLE_HITS = 64  # needle hits read per needle before giving up
_BEFORE_NEEDLE, _AFTER_NEEDLE = 200, 300


@dataclass(frozen=True)
class HeaderField:
    start: int
    end: int
    received: bool  # a Received: hop, not another relay or authentication field


@dataclass
class Document:
    text: str  # normalised, original case: snippets come from here
    low: str  # the same, lower-cased (same length): every pattern runs on this
    headers: list[HeaderField]  # relay and authentication header fields, in order
    report_end: int  # where the returned copy of the original message starts
    report: str  # low[:report_end] with the header fields blanked: where list names and reasons are read
    first_hits: dict[str, int] = field(default_factory=dict)  # needle -> first position in report

    @classmethod
    def read(cls, text: str) -> Document:
        """``text`` gets a leading newline so that header patterns ("\\nfrom:") match on line one."""
        text = "\n" + text
        low = text.lower()
        if len(low) != len(text):  # cannot happen after NFKC; keep positions aligned regardless
            low = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
        fields = itertools.islice(phrases.HEADER_FIELDS.finditer(low), _MAX_HEADER_FIELDS)
        headers = [HeaderField(m.start(), m.end(), m.group(0).startswith("\nreceived:")) for m in fields]
        ends = [pos for pos in (low.find(marker) for marker in phrases.RETURNED_MESSAGE_MARKERS) if pos > 0]
        report_end = min(ends) if ends else len(low)
        pieces, cursor = [], 0
        for header in headers:
            if header.start >= report_end:
                break
            pieces.append(low[cursor:header.start])
            pieces.append(" " * (min(header.end, report_end) - header.start))
            cursor = min(header.end, report_end)
        pieces.append(low[cursor:report_end])
        return cls(text, low, headers, report_end, "".join(pieces))

    def header_at(self, pos: int) -> HeaderField | None:
        index = bisect.bisect_right(self.headers, pos, key=lambda header: header.start) - 1
        if index >= 0 and self.headers[index].start <= pos < self.headers[index].end:
            return self.headers[index]
        return None

    def snippet(self, start: int, end: int) -> str:
        """The text around [start, end) on one line, about SNIPPET_CHARS long, starting and ending
        at a blank so that no word, address or link is cut in half; "…" where the text goes on."""
        room = max(0, SNIPPET_CHARS - (end - start)) // 2
        left, right = max(0, start - room), min(len(self.text), end + room)
        if left > 0:
            blank = _blank_after(self.text, left, start)
            left = blank + 1 if blank is not None else _blank_before(self.text, left, _STRETCH) + 1
        if right < len(self.text):
            blank = _blank_before(self.text, right, right - end)
            right = blank if blank > end else _blank_after(self.text, right, right + _STRETCH) or right
        piece = " ".join(self.text[left:right].split())
        return ("…" if left > 1 else "") + piece + ("…" if right < len(self.text) - 1 else "")

    def find(self, phrase: Phrase, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """The earliest match of the phrase in the report (or report[start:end]), reading only windows
        around its needles."""
        text = self.report
        whole = start == 0 and end is None
        end = len(text) if end is None else end
        best: re.Match[str] | None = None
        for needle in phrase.needles:
            if whole:  # many phrases share a needle: look each one up once per document
                pos = self.first_hits.get(needle)
                if pos is None:
                    pos = self.first_hits[needle] = text.find(needle)
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


_STRETCH = 60  # characters a snippet may grow to reach the end of a word, an address or a link


def _blank_after(text: str, start: int, end: int) -> int | None:
    """The first blank in text[start:end], or None."""
    for pos in range(start, min(end, len(text))):
        if text[pos].isspace():
            return pos
    return None


def _blank_before(text: str, end: int, reach: int) -> int:
    """The last blank in text[end - reach:end], or end - reach (clipped to -1)."""
    for pos in range(end - 1, max(-1, end - reach - 1), -1):
        if text[pos].isspace():
            return pos
    return max(-1, end - reach - 1)


def near(pos: int, positions: list[int]) -> bool:
    """``pos`` is within NEAR_MENTION_CHARS of one of ``positions`` (sorted): next to a list name."""
    index = bisect.bisect_left(positions, pos - phrases.NEAR_MENTION_CHARS)
    return index < len(positions) and positions[index] <= pos + phrases.NEAR_MENTION_CHARS
