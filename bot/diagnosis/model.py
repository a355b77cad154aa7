"""Typed results of a diagnosis. Plain values: no I/O, no language, JSON-able via ``to_dict``.

Every user-facing sentence is produced by a renderer from these values and a message catalogue,
so the core stays language-neutral: it emits keys (``FixStep.key``, ``ZoneResult.error``) and
parameters, never English prose.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

DnsblStatus = Literal["listed", "not_listed", "unknown"]
OwnershipCase = Literal["own_server", "third_party_sender", "outbound_relay", "microsoft", "undetermined"]

# The order of section 4 of the spec; renderers and JSON rely on these exact strings.
OWNERSHIP_CASES: tuple[str, ...] = ("own_server", "third_party_sender", "outbound_relay", "microsoft", "undetermined")


@dataclass(frozen=True)
class Candidate:
    """One IP address seen in the bounce, with why it was (or was not) chosen."""

    ip: str
    score: int
    rule: str  # the name of the format rule that matched, e.g. "client_host_brackets", "url_query_ip"
    snippet: str  # the text around the match, trimmed to one short line (untrusted: escape before display)
    role: str = "unknown"  # "blocked", "mx", "relay", "resolver", "url", "unknown"


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

    blocked_ip: str | None
    candidates: tuple[Candidate, ...] = ()  # rank order, the chosen one first
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
    removal: str = "self_service"  # "self_service", "owner_via_ticket", "owner_only", "none", "provider"


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
    zones: tuple[ZoneResult, ...] = ()
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
class Owner:
    """Who holds the IP, from RDAP (ipwhois) and reverse DNS. Every field may be unknown."""

    name: str | None = None  # organisation
    network_name: str | None = None
    cidr: str | None = None
    asn: str | None = None  # digits only, e.g. "8075"
    asn_description: str | None = None
    country: str | None = None
    abuse: tuple[str, ...] = ()  # abuse e-mail addresses
    registry: str | None = None  # "arin", "ripencc", ...
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
    case: OwnershipCase = "undetermined"
    case_reason: str | None = None  # catalogue key saying why this case was chosen
    case_params: dict[str, Any] = field(default_factory=dict)
    fix: tuple[FixStep, ...] = ()
    checked_at: str = ""  # ISO 8601 UTC
    elapsed_ms: float = 0.0

    @property
    def dnsbl_status(self) -> DnsblStatus:
        return self.dnsbl.status if self.dnsbl else "unknown"


def to_dict(value: Any) -> Any:
    """Dataclasses (nested, with tuples) to JSON-able dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_dict(item) for item in value]
    if isinstance(value, dict):
        return {key: to_dict(item) for key, item in value.items()}
    return value
