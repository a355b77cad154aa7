"""Which blocklist or reputation service the bounce names: the provider table's mentions first, in
table order, then the unnamed-list phrases. For the first that matches: the zone and code it
states, which of the provider's lists it means, and whether it blames a domain rather than an IP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.diagnosis.model import BlocklistMention
from bot.diagnosis.parse import phrases
from bot.diagnosis.parse.document import Document
from bot.diagnosis.providers import Mention, Provider, Registry
from bot.diagnosis.providers.base import Phrase

OTHER = "other"  # BlocklistMention.key of a list the table does not know
_READ_AROUND = 2000  # characters either side of a mention where its zone and code are looked for


@dataclass(frozen=True)
class Named:
    """A place where the bounce names a list: a provider's mention, or an unnamed-list phrase."""

    match: re.Match[str]
    provider: Provider | None = None
    mention: Mention | None = None

    @property
    def start(self) -> int:
        return self.match.start()


def find_named(doc: Document, registry: Registry) -> list[Named]:
    """Every mention that matches, the table's first, each at its first position in the report."""
    found = []
    for provider, mention in registry.mentions:
        match = doc.find(mention.phrase)
        if match and (mention.requires is None or doc.find(mention.requires)):
            found.append(Named(match, provider, mention))
    for unnamed in phrases.GENERIC_LISTS:
        match = doc.find(unnamed)
        if match:
            found.append(Named(match))
    return found


def _first_group(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def _list_of(doc: Document, provider: Provider, zone: str | None, near: int) -> str | None:
    """Which of the provider's lists the bounce means: the zone's first label, else the strongest
    hint read near the mention."""
    if zone:
        head = zone.split(".")[0]
        if head in provider.zone_lists:
            return provider.zone_lists[head]
    start, end = max(0, near - _READ_AROUND), near + _READ_AROUND
    for pattern, list_name in provider.list_hints:
        match = pattern.search(doc.report, start, end)
        if match:
            return list_name or match.group(1).upper()
    return None


def describe(doc: Document, named: Named) -> BlocklistMention:
    """The mention as the answer shows it."""
    match, provider, mention = named.match, named.provider, named.mention
    zone = None
    if "zone" in match.re.groupindex and match.group("zone"):
        zone = match.group("zone")
    elif mention and mention.zone is not None:
        found = mention.zone.search(doc.report, max(0, match.start() - _READ_AROUND), match.end() + _READ_AROUND)
        zone = found.group(1) if found else None
    if zone and provider and provider.secret_label and provider.secret_label.match(zone):
        zone = zone.split(".", 1)[1]  # a DQS key belongs to the receiver: keep it out of the answer
    name = (mention.name if mention else None) or (provider.name if provider else "")
    if not name:
        named_group = "name" in match.re.groupindex and match.group("name")
        name = doc.text[match.start("name"):match.end()] if named_group else zone or phrases.GENERIC_NAME
    window = doc.report[max(0, match.start() - _READ_AROUND):match.end() + _READ_AROUND]
    code = _first_group(mention.codes, window) if mention else None
    list_name = mention.list_name if mention else None
    if list_name is None and provider and (provider.zone_lists or provider.list_hints):
        list_name = _list_of(doc, provider, zone, match.start())
    return BlocklistMention(
        key=provider.key if provider else OTHER,
        name=" ".join(name.split()),
        zone=zone,
        list_name=list_name,
        code=code.upper() if code else None,
        snippet=doc.snippet(match.start(), match.end()),
    )


DOMAIN_LISTS = ("DBL", "ZRD")


def blames_domain(doc: Document, named: Named, value: BlocklistMention) -> bool:
    """The list blames a domain (the sender's, a link's), not the sending IP."""
    if (named.mention and named.mention.domain) or value.list_name in DOMAIN_LISTS:
        return True
    hints: Phrase = phrases.DOMAIN_LISTING_HINTS
    return doc.find(hints, max(0, named.start - 120), named.match.end() + 120) is not None
