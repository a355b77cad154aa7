"""The other fields of a bounce: its SMTP and enhanced status codes, the host that rejected it, the
sender's and recipient's domains, why else it bounced (not a blocklist), and whether the address
was redacted before it was pasted. Patterns are in ``phrases``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.diagnosis.parse import phrases
from bot.diagnosis.parse.document import Document


def rejection_kind(doc: Document, enhanced_code: str | None) -> str | None:
    for kind, phrase in phrases.REJECTION_KINDS:
        if doc.find(phrase):
            return kind
    status = phrases.STATUS_FIELD.search(doc.low)
    for code in (enhanced_code, status.group(1) if status else None):
        if code in phrases.KIND_BY_STATUS:
            return phrases.KIND_BY_STATUS[code]
    return None


def _smtp_codes(report: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    return phrases.SMTP_CODE.finditer(report, start, len(report) if end is None else end)


def codes(doc: Document, anchor: int | None) -> tuple[str | None, str | None]:
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
        status = phrases.STATUS_FIELD.search(doc.low)
        return None, status.group(1) if status and status.group(1)[0] in "45" else None
    enhanced = best.group(2)
    if enhanced is None:
        follow = phrases.ENHANCED_CODE.match(report, best.end())
        enhanced = follow.group(1) if follow else None
    return best.group(1), enhanced


def rejecting_host(doc: Document, anchor: int | None) -> str | None:
    found: list[tuple[int, str]] = []
    for pattern in phrases.REJECTING_HOST:
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
        if skip_daemon and phrases.MAILER_DAEMON.search(match.group(0)):
            continue
        return match.group(2).rstrip(".")
    return None


def domains(doc: Document) -> tuple[str | None, str | None]:
    low, cut = doc.low, doc.report_end
    recipient = None
    for pattern in phrases.RECIPIENT_FIELDS:
        recipient = _domain_of(pattern, low)
        if recipient:
            break
    recipient = recipient or _domain_of(phrases.TO_FIELD, low, cut)
    sender = None
    for pattern in phrases.SENDER_FIELDS:
        sender = _domain_of(pattern, low)
        if sender and not phrases.MAILER_DAEMON.search(sender):
            break
        sender = None
    if sender is None:
        sender = _domain_of(phrases.FROM_FIELD, low, cut, skip_daemon=True)
    if sender is None:
        top_from = phrases.FROM_FIELD.search(low, 0, cut)
        if top_from and phrases.MAILER_DAEMON.search(top_from.group(0)):
            sender = _domain_of(phrases.TO_FIELD, low, 0, cut)
        elif top_from:
            sender = top_from.group(2).rstrip(".")
    return sender, recipient


def has_redacted_ip(doc: Document) -> bool:
    for count, match in enumerate(phrases.REDACTED_IP.finditer(doc.report)):
        if phrases.REDACTED_MASK.search(match.group(0)):
            return True
        if count > 1000:
            break
    return False


