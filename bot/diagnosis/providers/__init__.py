"""The provider table: one row per blocklist or reputation service, read by the parser, the DNSBL
lookups and the advice alike.

``PROVIDERS`` is the table, most specific first: when a bounce names several services, the first row
that matches names the list (Spamhaus before the services that relay its listings). The lists the
bot queries are the zones of the rows, in the same order. ``Registry`` is the table with the indexes
the three readers need; ``DEFAULT`` serves them unless a caller (a test adding a list) passes another.

Adding a list or a service is adding one ``Provider`` row here (see docs/architecture.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from bot.diagnosis.model import Listing
from bot.diagnosis.providers.base import Code, Mention, Provider, Refusal, Zone
from bot.diagnosis.providers.dnsbls import BARRACUDA, MAILSPIKE, PSBL, SORBS, SPAMCOP, UCEPROTECT
from bot.diagnosis.providers.microsoft import MICROSOFT
from bot.diagnosis.providers.receivers import (
    ABUSIX,
    ATT,
    CBL,
    CLOUDMARK,
    COX,
    GMAIL,
    MIMECAST,
    NIXSPAM,
    ORBS,
    PROOFPOINT,
    SPAMRATS,
    SURBL,
    T_ONLINE,
    TALOS,
    TENCENT,
    TRENDMICRO,
    URIBL,
    YAHOO,
)
from bot.diagnosis.providers.spamhaus import SPAMHAUS

__all__ = ["DEFAULT", "PROVIDERS", "Code", "Mention", "Provider", "Refusal", "Registry", "Zone"]

PROVIDERS: tuple[Provider, ...] = (
    SPAMHAUS, MICROSOFT, SPAMCOP, BARRACUDA, UCEPROTECT, SORBS, PSBL, MAILSPIKE, ABUSIX, NIXSPAM, CBL, PROOFPOINT,
    CLOUDMARK, TRENDMICRO, MIMECAST, TALOS, ATT, SPAMRATS, YAHOO, GMAIL, TENCENT, T_ONLINE, ORBS, URIBL, SURBL, COX,
)


class Registry:
    """The provider table, indexed for its readers."""

    def __init__(self, providers: Iterable[Provider]):
        self.providers = tuple(providers)
        keys = [provider.key for provider in self.providers]
        if len(set(keys)) != len(keys):
            raise ValueError(f"provider keys must be unique: {keys}")
        self._by_key = {provider.key: provider for provider in self.providers}
        # Every mention in table order, with its provider: the parser reads them in this order.
        self.mentions: tuple[tuple[Provider, Mention], ...] = tuple(
            (provider, mention) for provider in self.providers for mention in provider.mentions)
        every_zone = tuple(zone for provider in self.providers for zone in provider.zones)
        self.zones: tuple[Zone, ...] = tuple(zone for zone in every_zone if not zone.domains)  # IP lists
        self.domain_zones: tuple[Zone, ...] = tuple(zone for zone in every_zone if zone.domains)
        refusals: dict[str, Refusal] = {}
        for provider in self.providers:
            refusals.update(provider.refusals)
        self.refusals: Mapping[str, Refusal] = MappingProxyType(refusals)
        self._refusal_ranges = tuple((ipaddress.ip_network(provider.refusal_range), provider.range_refusal)
                                     for provider in self.providers
                                     if provider.refusal_range and provider.range_refusal)
        self._zones_by_name = {name: zone for zone in every_zone for name in (zone.zone, zone.keyed_zone) if name}
        self._rank = {(zone.zone, answer): rank for rank, (zone, answer) in
                      enumerate((zone, answer) for zone in every_zone for answer in zone.codes)}

    def refusal(self, answer: str) -> Refusal | None:
        """The refusal an A-record answer stands for, on any list; None when it is no refusal."""
        if answer in self.refusals:
            return self.refusals[answer]
        try:
            address = ipaddress.ip_address(answer)
        except ValueError:
            return None
        return next((refusal for network, refusal in self._refusal_ranges
                     if address.version == network.version and address in network), None)

    def provider(self, key: str) -> Provider | None:
        return self._by_key.get(key)

    def zone_of(self, listing: Listing) -> Zone | None:
        return self._zones_by_name.get(listing.zone)

    def code_of(self, listing: Listing) -> Code | None:
        """The table row that decoded a listing."""
        zone = self.zone_of(listing)
        return zone.codes.get(listing.code, zone.other) if zone else None  # other: None for unknown codes

    def rank(self, listing: Listing) -> int:
        """Listings in table order: the provider's order, then its codes' (the most severe first)."""
        zone = self.zone_of(listing)
        if zone is None:
            return len(self._rank)
        return self._rank.get((zone.zone, listing.code), len(self._rank))


DEFAULT = Registry(PROVIDERS)
