"""Reading DNSBL answers: A records to listings or refusals, TXT records to reasons and tickets, test
points to a verdict on the resolver path, zone results to one status. Pure functions over the
provider table; the queries are in ``dnsbl``.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Collection, Sequence

from bot.diagnosis.dnsquery import Answer
from bot.diagnosis.model import DnsblStatus, Listing, SelfTest, ZoneResult
from bot.diagnosis.providers import Code, Provider, Registry, Zone

_REASON_MAX = 300  # TXT text is untrusted; keep it to a line
_URL = re.compile(r"https?://[^\s<>\"'|]+")
_LOOPBACK_NET = ipaddress.IPv4Network("127.0.0.0/8")

# RFC 5782 section 5: every IPv4 list lists 127.0.0.2 and does not list 127.0.0.1; every IPv6 list
# lists ::FFFF:7F00:2 and does not list ::FFFF:7F00:1. A listed test point answers 127.0.0.2.
TEST_POINT_LISTED = "127.0.0.2"
TEST_POINT_NOT_LISTED = "127.0.0.1"
TEST_POINTS = {4: ("127.0.0.2", "127.0.0.1"), 6: ("::ffff:7f00:2", "::ffff:7f00:1")}


def _not_a_listing(value: str) -> bool:
    """Only 127.0.0.0/8 answers other than 127.0.0.1 are listings; anything else is a resolver
    rewriting NXDOMAIN (ad redirects, Pi-hole) or a dead list."""
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        return True
    return address not in _LOOPBACK_NET or value == TEST_POINT_NOT_LISTED


def read_answer(dnsbl: Zone, values: Sequence[str], *, zone: str, ip: str, registry: Registry) -> ZoneResult:
    """A records -> listed, or unknown when they are refusals or not blocklist codes at all."""
    for value in values:
        refusal = registry.refusal(value)
        if refusal:
            return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error=refusal.error,
                              detail=f"{zone} {refusal.detail.format(answer=value)}")
    unknown = [value for value in values if dnsbl.other is None and value not in dnsbl.codes]
    bad = [value for value in values if _not_a_listing(value)]
    if unknown and not bad:
        return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error="unknown_code",
                          detail=f"{zone} answered {', '.join(unknown)}: a return code this bot does not know")
    if bad or not values:
        return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error="bad_answer",
                          detail=f"{zone} answered {', '.join(bad) or 'nothing'}: not a blocklist code "
                                 "(does the resolver rewrite answers?)")
    provider = registry.provider(dnsbl.provider)
    page = (provider.domain_page(ip) if dnsbl.domains else provider.page(ip)) if provider else None
    listings = []
    for value in dict.fromkeys(values):
        code = dnsbl.codes.get(value, dnsbl.other)
        if code is None:  # not reached: unknown codes of such zones were refused above
            continue
        listings.append(Listing(list=code.list, provider=dnsbl.provider, zone=zone, code=value, meaning=code.meaning,
                                url=page, removal=code.removal))
    return ZoneResult(zone, dnsbl.provider, DnsblStatus.LISTED, tuple(listings))


def _mentions(text: str, tag: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(tag)}(?![A-Za-z])", text, re.IGNORECASE) is not None


def _owners_of(text: str, codes: list[Code]) -> list[int]:
    """Which listings a TXT record speaks of: by list name first ("Listed by PBL"), then by the
    other tags (an SBL ticket for a DROP listing); a lone listing takes any text."""
    by_name = [i for i, code in enumerate(codes) if _mentions(text, code.tags[0])]
    if by_name:
        return by_name
    by_tag = [i for i, code in enumerate(codes) if any(_mentions(text, tag) for tag in code.tags[1:])]
    if by_tag:
        return by_tag
    return [0] if len(codes) == 1 else []


def attach_reasons(result: ZoneResult, texts: Sequence[str], dnsbl: Zone, registry: Registry) -> ZoneResult:
    """Give each listing its TXT reason, link and ticket."""
    provider = registry.provider(dnsbl.provider)
    codes = [code for code in (dnsbl.codes.get(listing.code, dnsbl.other) for listing in result.listings) if code]
    own: list[list[str]] = [[] for _ in result.listings]
    for text in (" ".join(t.split())[:_REASON_MAX] for t in texts):
        if text:
            for i in _owners_of(text, codes):
                own[i].append(text)
    listings = []
    for listing, reasons in zip(result.listings, own, strict=True):
        if not reasons:
            listings.append(listing)
            continue
        ticket = _ticket(provider, reasons)
        url = next((m.group(0).rstrip(".,;)") for m in map(_URL.search, reasons) if m), None)
        if url is None and ticket and provider and provider.ticket_page:
            url = provider.ticket_page.format(ticket=ticket)
        listings.append(dataclasses.replace(listing, reason=" | ".join(reasons), url=url or listing.url,
                                            ticket=ticket))
    return dataclasses.replace(result, listings=tuple(listings))


def _ticket(provider: Provider | None, reasons: list[str]) -> str | None:
    if provider is None or provider.ticket is None:
        return None
    return next((m.group(0) for m in map(provider.ticket.search, reasons) if m), None)


def _refused(answer: Answer, point: str, registry: Registry) -> tuple[str, str] | None:
    for value in answer.values:
        refusal = registry.refusal(value)
        if refusal:
            return refusal.error, f"test point {point} {refusal.detail.format(answer=value)}"
    return None


def listed_point_problem(answer: Answer, registry: Registry, point: str = TEST_POINT_LISTED,
                         listed: Collection[str] = (TEST_POINT_LISTED,)) -> tuple[str, str] | None:
    """Why the listed test point does not prove the path, or None. ``listed``: the answers that
    count (127.0.0.2 for an IP list; any of its listing codes for a domain list)."""
    if answer.kind == "nxdomain":
        return "test_point_not_listed", (f"test point {point} answered NXDOMAIN: this resolver hides listings "
                                         "(a public or cloud resolver?)")
    if answer.kind != "answer":
        return answer.kind, f"test point {point}: {answer.detail}"
    refused = _refused(answer, point, registry)
    if refused:
        return refused
    if not set(listed) & set(answer.values):
        return "bad_answer", f"test point {point} answered {', '.join(answer.values)}, not a listing code"
    return None


def clean_point_problem(answer: Answer, registry: Registry, point: str = TEST_POINT_NOT_LISTED,
                        ) -> tuple[str, str] | None:
    if answer.kind == "nxdomain":
        return None
    if answer.kind != "answer":
        return answer.kind, f"test point {point}: {answer.detail}"
    return _refused(answer, point, registry) or (
        "test_point_listed", f"test point {point} answered {', '.join(answer.values)} instead of NXDOMAIN: "
                             "the resolver rewrites answers")


def trusted(result: ZoneResult, test: SelfTest) -> ZoneResult:
    """NXDOMAIN counts as "not listed" only when the list's test points passed."""
    if result.status != DnsblStatus.NOT_LISTED or test.ok:
        return result
    return dataclasses.replace(result, status=DnsblStatus.UNKNOWN, error="self_test_failed",
                               detail=f"NXDOMAIN not trusted: {test.detail or test.error}")


def overall_status(lists: Sequence[Zone], zones: Sequence[ZoneResult]) -> DnsblStatus:
    """listed > unknown (a decisive list unknown) > not_listed; see the ``dnsbl`` module docstring."""
    if any(zone.status == DnsblStatus.LISTED for zone in zones):
        return DnsblStatus.LISTED
    decisive = [zone for dnsbl, zone in zip(lists, zones, strict=True) if dnsbl.decisive] or list(zones)
    if not decisive or any(zone.status == DnsblStatus.UNKNOWN for zone in decisive):
        return DnsblStatus.UNKNOWN
    return DnsblStatus.NOT_LISTED
