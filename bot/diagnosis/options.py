"""The plain values the core is given: how to look things up, and what is yours.

The core never reads the environment. ``bot.config`` reads it once and builds these; tests and
tools build them directly. Every timeout the bot uses derives from one deadline
(``DIAGNOSIS_TIMEOUT``), here, so the pipeline and the Slack side cannot drift apart.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# The DNSBL checker stops this much before the diagnosis deadline, so that its own report ("these
# lists timed out") is ready before the pipeline gives up waiting for it.
DNSBL_MARGIN = 0.5
# A Slack answer may take the diagnosis deadline plus this, for parsing, rendering and posting,
# before it is abandoned as hung; a shutdown waits as long for answers in progress.
ANSWER_GRACE = 5.0


@dataclass(frozen=True)
class Nameserver:
    host: str
    port: int = 53

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class LookupOptions:
    """Where and how long to look: DNS servers, timeouts, caches, the Spamhaus DQS key, the RDAP path."""

    nameservers: tuple[Nameserver, ...] = ()  # empty: the system's resolv.conf
    dns_timeout: float = 2.0  # one DNS query
    deadline: float = 10.0  # every lookup of one diagnosis together (DIAGNOSIS_TIMEOUT)
    rdap_timeout: float = 6.0
    rdap_relay: str = ""  # plain-HTTP relay for RDAP requests (mirrors, tests); empty: direct HTTPS
    dqs_key: str = field(default="", repr=False)
    dnsbl_cache_ttl: float = 300.0
    owner_cache_ttl: float = 3600.0  # ownership changes rarely, and RIRs rate-limit RDAP hard
    self_test_ttl: float = 300.0

    @property
    def resolver_label(self) -> str:
        """How lookups are made, for people: ``127.0.0.1:5353`` or ``system``. Never a secret."""
        return ", ".join(str(ns) for ns in self.nameservers) or "system"

    @property
    def dnsbl_deadline(self) -> float:
        return max(self.dns_timeout, self.deadline - DNSBL_MARGIN)

    @property
    def rdap_deadline(self) -> float:
        return min(self.rdap_timeout, self.deadline)

    @property
    def answer_deadline(self) -> float:
        """How long a surface waits for a whole answer before it apologises instead."""
        return self.deadline + ANSWER_GRACE


@dataclass(frozen=True)
class OwnContext:
    """What is yours (``OWN_NETWORKS``, ``OWN_ASNS``, ``OWN_DOMAINS``): it decides whose problem a listing is."""

    networks: tuple[IPNetwork, ...] = ()
    asns: tuple[str, ...] = ()  # digits only
    domains: tuple[str, ...] = ()  # lower case, no trailing dot

    @property
    def configured(self) -> bool:
        return bool(self.networks or self.asns or self.domains)

    def has_network_of(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> IPNetwork | None:
        return next((net for net in self.networks if net.version == address.version and address in net), None)

    def has_domain(self, domain: str | None) -> bool:
        """``domain`` is one of yours or under one of yours."""
        if not domain:
            return False
        domain = domain.lower().rstrip(".")
        return any(domain == own or domain.endswith("." + own) for own in self.domains)
