"""Pasted text -> ``Bounce``: which IP the receiver blocked, which list it named, and why.

The engine knows no phrasing of its own: it reads ``phrases`` and the provider table. Steps:

1. Refuse unusable input at once: too large, empty, binary (``normalise.unusable``).
2. Normalise the paste (``normalise``).
3. Find the lists the text names (``mentions``) and every address, scored by its context
   (``occurrences``); an address near a list name scores a little more.
4. Decide which list the bounce is about, or else the non-blocklist reason (``fields``).
5. Choose the blocked IP only for an IP-blocklist or reputation rejection, and only an address in
   a blamed position: never the rejecting MX, a relay hop, a resolver or a version string.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bot.diagnosis import addresses
from bot.diagnosis.model import BlocklistMention, Bounce, Candidate, Role
from bot.diagnosis.parse import fields, mentions, phrases
from bot.diagnosis.parse.document import SNIPPET_CHARS, Document, near
from bot.diagnosis.parse.domains import blamed_domains, named_sender
from bot.diagnosis.parse.mentions import Named
from bot.diagnosis.parse.normalise import (
    MAX_INPUT_CHARS,
    extract_ip_literal,
    is_plausible_ip_text,
    normalise,
    unusable,
)
from bot.diagnosis.parse.occurrences import Occurrence, find_occurrences
from bot.diagnosis.providers import DEFAULT, Registry

_SHORT_INPUT = 300  # up to this many characters a lone address needs no blocklist wording
MAX_BLOCKED_IPS = 5  # blocked addresses diagnosed from one bounce


@dataclass(frozen=True)
class _Ranked:
    occurrence: Occurrence  # the best-scored place the address stands
    candidate: Candidate


@dataclass(frozen=True)
class _Reading:
    """Which list the text names and whether it blames a domain rather than an address."""

    named: Named | None
    blocklist: BlocklistMention | None
    kind: str | None  # the non-blocklist reason, when no list is named
    blames_domain: bool


def parse_bounce(text: str, registry: Registry = DEFAULT) -> Bounce:
    """Read a pasted bounce (an SMTP line, a whole NDR/DSN, quoted or mangled text) or a bare IP."""
    size = len(text)
    problem = unusable(text)
    if problem:
        return Bounce(blocked_ip=None, problem=problem, input_chars=size)
    clean = normalise(text)
    if len(clean) > MAX_INPUT_CHARS:
        return Bounce(blocked_ip=None, problem="too_large", input_chars=size)
    literal = extract_ip_literal(clean)
    if literal:
        candidate = Candidate(literal, 100, "bare_ip", clean.strip()[:SNIPPET_CHARS], Role.BLOCKED)
        return Bounce(blocked_ip=literal, candidates=(candidate,), input_chars=size)
    if not clean.strip():
        return Bounce(blocked_ip=None, problem="empty", input_chars=size)
    if is_plausible_ip_text(clean):  # shaped like one address, and not a valid one
        return Bounce(blocked_ip=None, problem="malformed", input_chars=size)

    doc = Document.read(clean)
    named = mentions.find_named(doc, registry)
    positions = sorted(found.start for found in named)
    occurrences = find_occurrences(doc, positions)
    for occurrence in occurrences:
        if not occurrence.negative and occurrence.start < doc.report_end and near(occurrence.start, positions):
            occurrence.add("near_blocklist_name", phrases.SCORE_NEAR_MENTION, Role.BLOCKED)
    ranked = _rank(occurrences, doc)
    reading = _read_list(doc, named, ranked)
    chosen = _choose(reading, ranked, short=len(clean) <= _SHORT_INPUT)

    blocked = _also_blocked(chosen, ranked) if chosen is not None else []
    candidates = [entry.candidate for entry in ranked]
    if chosen is not None:
        candidates = [chosen] + [c for c in candidates if c.ip != chosen.ip]
    # An address is labelled "blocked" only when it is one of the blocked ones.
    candidates = [c if c.role != Role.BLOCKED or c.ip in blocked else dataclasses.replace(c, role=Role.UNKNOWN)
                  for c in candidates]
    chosen_at = next((entry.occurrence.start for entry in ranked if chosen and entry.candidate.ip == chosen.ip), None)
    anchor = reading.named.start if reading.named else chosen_at
    smtp_code, enhanced_code = fields.codes(doc, anchor)
    sender_domain, recipient_domain = fields.domains(doc)
    refused, resolver_ip = _receiver_refused(doc, registry)
    redacted = (chosen is None and reading.blocklist is not None and not reading.blames_domain
                and fields.has_redacted_ip(doc))
    listed_domains: tuple[str, ...] = ()
    if reading.blames_domain and reading.named:
        sender_domain = sender_domain or named_sender(doc, reading.named.start)
        listed_domains = blamed_domains(doc, reading.named.start, registry, sender_domain)
    return Bounce(
        blocked_ip=chosen.ip if chosen else None,
        blocked_ips=tuple(blocked),
        listed_domains=listed_domains,
        candidates=tuple(candidates),
        blocklist=reading.blocklist,
        rejecting_host=fields.rejecting_host(doc, anchor),
        smtp_code=smtp_code,
        enhanced_code=enhanced_code,
        receiver_misconfigured=refused,
        resolver_ip=resolver_ip,
        sender_domain=sender_domain,
        recipient_domain=recipient_domain,
        rejection_kind=reading.kind,
        problem="redacted_ip" if redacted else None,
        input_chars=size,
    )


def _rank(occurrences: list[Occurrence], doc: Document) -> list[_Ranked]:
    """One entry per address (its best-scored place), the highest score first."""
    best: dict[str, Occurrence] = {}
    serving: dict[str, Occurrence] = {}  # where the text says the address is a server of the receiver's
    for occurrence in occurrences:
        current = best.get(occurrence.ip)
        if current is None or occurrence.score > current.score:
            best[occurrence.ip] = occurrence
        if occurrence.main_hit.role in (Role.MX, Role.RESOLVER) and occurrence.ip not in serving:
            serving[occurrence.ip] = occurrence
    # The receiving MX or its resolver, named so anywhere, stays that unless some place blames it.
    best.update({ip: occurrence for ip, occurrence in serving.items() if not best[ip].blames})
    ranked = []
    for occurrence in sorted(best.values(), key=lambda o: (-o.score, o.start)):
        hit = occurrence.main_hit
        ranked.append(_Ranked(occurrence, Candidate(
            ip=occurrence.ip,
            score=occurrence.score,
            rule=hit.name,
            snippet=doc.snippet(occurrence.start, occurrence.end),
            role=hit.role,
        )))
    return ranked


def _read_list(doc: Document, named: list[Named], ranked: list[_Ranked]) -> _Reading:
    """A named list, else an unnamed one, else one implied by an address in a blamed position
    (unless the receiver says it checked PTR, SPF, DMARC...), else the non-blocklist reason."""
    if named:
        first = named[0]
        blocklist = mentions.describe(doc, first)
        return _Reading(first, blocklist, None, mentions.blames_domain(doc, first, blocklist))
    kind = fields.rejection_kind(doc, fields.codes(doc, None)[1])
    if ranked and _blamed(ranked[0].occurrence) and kind not in phrases.AUTHENTICATION_KINDS:
        implied = BlocklistMention(key=mentions.OTHER, name=phrases.GENERIC_NAME, snippet=ranked[0].candidate.snippet)
        return _Reading(None, implied, None, False)
    return _Reading(None, None, kind, False)


def _blamed(occurrence: Occurrence) -> bool:
    return occurrence.blames and occurrence.score >= phrases.IMPLIED_MIN_SCORE


def _choose(reading: _Reading, ranked: list[_Ranked], short: bool) -> Candidate | None:
    """The blocked address, or None: only for an IP blocklist or reputation rejection, and only an
    address in a blamed position (a short question with one address aside)."""
    plausible = [entry for entry in ranked if not entry.occurrence.negative]
    if reading.blocklist is not None:
        if reading.blames_domain and not (plausible and _blamed(plausible[0].occurrence)):
            return None
        if plausible and plausible[0].occurrence.score >= phrases.CHOSEN_MIN_SCORE:
            return plausible[0].candidate
        lone = len(plausible) == 1 and plausible[0].occurrence.score >= phrases.LONE_CANDIDATE_MIN_SCORE
        return plausible[0].candidate if lone and reading.named is not None else None
    if reading.kind is None and short and len(plausible) == 1:
        candidate = plausible[0].candidate
        return Candidate(candidate.ip, candidate.score, "only_ip", candidate.snippet, Role.BLOCKED)
    return None


def _also_blocked(chosen: Candidate, ranked: list[_Ranked]) -> list[str]:
    """The chosen address, then every other one the bounce blames as firmly (two recipients, two
    hops), at most MAX_BLOCKED_IPS."""
    others = [entry.candidate.ip for entry in ranked
              if entry.candidate.ip != chosen.ip and not entry.occurrence.negative and entry.occurrence.blames
              and entry.occurrence.score >= phrases.CHOSEN_MIN_SCORE]
    return [chosen.ip, *others][:MAX_BLOCKED_IPS]


def _receiver_refused(doc: Document, registry: Registry) -> tuple[bool, str | None]:
    """Whether a provider refused the receiver's own DNS path, and the receiver's resolver it names."""
    for provider in registry.providers:
        if provider.receiver_refused and doc.find(provider.receiver_refused):
            link = provider.resolver_link.search(doc.low) if provider.resolver_link else None
            address = addresses.parse_ip(link.group(1).rstrip(".")) if link else None
            return True, str(address) if address else None
    return False, None
