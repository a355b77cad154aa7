"""Typed results of a diagnosis. Plain values: no I/O, no language, JSON-able via ``to_dict``.

Every user-facing sentence is produced by a renderer from these values and a message catalogue,
so the core stays language-neutral: it emits keys (``FixStep.key``, ``ZoneResult.error``) and
parameters, never English prose.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DnsblStatus(StrEnum):
    LISTED = "listed"
    NOT_LISTED = "not_listed"
    UNKNOWN = "unknown"  # could not check: never read as "not listed"


class Case(StrEnum):
    """Whose problem the block is; renderers and JSON rely on these exact strings."""

    OWN_SERVER = "own_server"
    THIRD_PARTY_SENDER = "third_party_sender"
    OUTBOUND_RELAY = "outbound_relay"
    MICROSOFT = "microsoft"
    NOT_YOURS = "not_yours"  # OWN_* is set and the IP is in none of it; the bounce does not show the direction
    UNDETERMINED = "undetermined"  # nothing says whose it is (OWN_* not set)


class Role(StrEnum):
    """What an address in a bounce is."""

    BLOCKED = "blocked"
    MX = "mx"  # the receiving server
    RELAY = "relay"  # a hop in the headers or the returned message
    RESOLVER = "resolver"  # the receiver's DNS resolver, named in a Spamhaus refusal
    UNKNOWN = "unknown"


class Removal(StrEnum):
    """How a listing is removed, and by whom: advice picks the removal step from it."""

    SELF_SERVICE = "self_service"  # whoever runs the IP fixes the cause, then asks at the list's page
    OWNER_VIA_TICKET = "owner_via_ticket"  # the IP's owner (its ISP) resolves the listing's ticket with the list
    OWNER_ONLY = "owner_only"  # only the owner of the range (the ISP that marked it) or of the domain can
    EXPIRES = "expires"  # nothing to request: it expires by itself once the cause stops
    NONE = "none"  # no delisting for end users
    REPUTATION = "reputation"  # a score the list recomputes from the mail it sees


@dataclass(frozen=True)
class Candidate:
    """One IP address seen in the bounce, with why it was (or was not) chosen."""

    ip: str
    score: int
    rule: str  # the name of the format rule that matched, e.g. "client_host_brackets", "url_query_ip"
    snippet: str  # the text around the match, trimmed to one short line (untrusted: escape before display)
    role: Role = Role.UNKNOWN


@dataclass(frozen=True)
class BlocklistMention:
    """Which blocklist or reputation service the bounce names."""

    key: str  # "spamhaus", "microsoft", "spamcop", "barracuda", "uceprotect", "sorbs", ..., "other"
    name: str  # display name, e.g. "Spamhaus", "Microsoft (Exchange Online)"
    zone: str | None = None  # DNS zone named in the text, e.g. "zen.spamhaus.org"
    list_name: str | None = None  # "SBL", "XBL", "PBL", "CSS", "DBL" when the text says so
    code: str | None = None  # a service-specific code such as Microsoft's "5.7.606" or Yahoo's "TSS04"
    snippet: str = ""


@dataclass(frozen=True)
class Bounce:
    """What the pasted text says. Produced by ``bounce.parse_bounce`` without any network access."""

    blocked_ip: str | None  # the first of ``blocked_ips``
    candidates: tuple[Candidate, ...] = ()  # rank order, the chosen one first
    # Every address the bounce blames (two recipients, two hops), the strongest first; at most a few.
    blocked_ips: tuple[str, ...] = ()
    # The domains the bounce blames when a list names a domain, not an IP (DBL, SURBL, "URI listed").
    listed_domains: tuple[str, ...] = ()
    blocklist: BlocklistMention | None = None  # None when the text is not a blocklist/reputation rejection
    rejecting_host: str | None = None
    smtp_code: str | None = None  # "550"
    enhanced_code: str | None = None  # "5.7.1"
    receiver_misconfigured: bool = False  # Spamhaus "open resolver" style errors: the receiver's DNS is broken
    resolver_ip: str | None = None  # the receiver's resolver named in such an error
    sender_domain: str | None = None
    recipient_domain: str | None = None
    rejection_kind: str | None = None  # non-blocklist reasons: "user_unknown", "mailbox_full", "spf", "ptr", ...
    problem: str | None = None  # "too_large", "binary", "empty", "redacted_ip" when the input itself is unusable
    input_chars: int = 0


@dataclass(frozen=True)
class Listing:
    """One list that currently lists the IP."""

    list: str  # "SBL", "CSS", "DROP", "XBL", "PBL", "BCL", "SpamCop", ...
    provider: str  # "spamhaus", "spamcop", ...
    zone: str  # public zone name; never contains the DQS key
    code: str  # the A record, e.g. "127.0.0.2"
    meaning: str  # catalogue key for what the list means, e.g. "spamhaus.sbl"
    reason: str | None = None  # TXT text (untrusted)
    url: str | None = None  # lookup / removal link from the TXT or the provider table
    ticket: str | None = None  # SBL ticket, e.g. "SBL123456"
    removal: Removal = Removal.SELF_SERVICE


@dataclass(frozen=True)
class ZoneResult:
    """The outcome of querying one DNSBL zone for the IP."""

    zone: str  # public zone name, e.g. "zen.spamhaus.org" (never the DQS key)
    provider: str
    status: DnsblStatus
    listings: tuple[Listing, ...] = ()
    error: str | None = None  # "timeout", "servfail", "refused", "open_resolver", "rate_limited",
    #                           "zone_typo", "bad_answer", "no_answer", "self_test_failed", "unsupported"
    detail: str | None = None  # technical detail for the log / terminal, already free of secrets


@dataclass(frozen=True)
class SelfTest:
    """RFC 5782 test points queried through the same resolver path: 127.0.0.2 listed, 127.0.0.1 not."""

    ok: bool
    zone: str
    error: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class DnsblReport:
    status: DnsblStatus
    zones: tuple[ZoneResult, ...] = ()  # the lists checked
    skipped: tuple[str, ...] = ()  # lists not checked for this address (no IPv6 support)
    resolver: str = "system"  # how lookups were made, e.g. "system", "127.0.0.1:5353"
    dqs: bool = False
    self_test: SelfTest | None = None
    elapsed_ms: float = 0.0

    @property
    def listings(self) -> tuple[Listing, ...]:
        return tuple(listing for zone in self.zones for listing in zone.listings)

    @property
    def failures(self) -> tuple[ZoneResult, ...]:
        return tuple(zone for zone in self.zones if zone.status == "unknown")


@dataclass(frozen=True)
class DomainCheck:
    """The domain lists' verdict on one domain the bounce blames (DBL, and ZRD with a DQS key)."""

    domain: str  # lower-case, IDNA (``xn--``) form: what was queried
    report: DnsblReport


@dataclass(frozen=True)
class Owner:
    """Who holds the IP, from RDAP (ipwhois) and reverse DNS. Every field may be unknown."""

    name: str | None = None  # organisation
    network_name: str | None = None
    cidr: str | None = None
    asn: str | None = None  # digits only, e.g. "8075"
    asn_description: str | None = None
    country: str | None = None
    abuse: tuple[str, ...] = ()  # the holder's abuse e-mail addresses
    registry: str | None = None  # "arin", "ripencc", ...
    nir: str | None = None  # the national registry the block was delegated through: "JPNIC", "KRNIC", ...
    # For a holder without an abuse contact whose block a provider passed on to it (an ARIN
    # reassignment to a customer): the provider and its abuse contact, never mixed into ``abuse``.
    provider_name: str | None = None
    provider_abuse: tuple[str, ...] = ()
    rdns: str | None = None
    rdns_confirmed: bool | None = None  # forward-confirmed reverse DNS; None when not checked
    error: str | None = None  # why RDAP failed: "timeout", "rate_limited", "http_error", "not_public", ...
    detail: str | None = None


@dataclass(frozen=True)
class FixStep:
    """One step of the advice. ``key`` names a catalogue entry; ``params`` fill it in."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    url: str | None = None


@dataclass(frozen=True)
class Diagnosis:
    bounce: Bounce
    ip: str | None
    ip_problem: str | None = None  # "no_ip", "private", "reserved", "malformed", "too_large", "binary", "redacted"
    dnsbl: DnsblReport | None = None
    owner: Owner | None = None
    case: Case = Case.UNDETERMINED
    case_reason: str | None = None  # catalogue key saying why this case was chosen
    case_params: dict[str, Any] = field(default_factory=dict)
    fix: tuple[FixStep, ...] = ()
    # The receiver's own list the bounce itself proves the mail was blocked by ("microsoft"): the
    # verdict is "blocked" whatever the DNSBLs say now.
    blocked_by: str | None = None
    # The domains the bounce blames, checked against the domain lists (empty when it blames none).
    domains: tuple[DomainCheck, ...] = ()
    checked_at: str = ""  # ISO 8601 UTC
    elapsed_ms: float = 0.0

    @property
    def dnsbl_status(self) -> DnsblStatus:
        return self.dnsbl.status if self.dnsbl else DnsblStatus.UNKNOWN

    @property
    def domain_status(self) -> DnsblStatus | None:
        """listed > unknown > not_listed over the domains checked; None when none was."""
        statuses = {check.report.status for check in self.domains}
        for status in (DnsblStatus.LISTED, DnsblStatus.UNKNOWN, DnsblStatus.NOT_LISTED):
            if status in statuses:
                return status
        return None


def to_dict(value: Any) -> Any:
    """Dataclasses (nested, with tuples) to JSON-able dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_dict(item) for item in value]
    if isinstance(value, dict):
        return {key: to_dict(item) for key, item in value.items()}
    return value
