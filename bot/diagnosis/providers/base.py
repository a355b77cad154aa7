"""The shape of one row of the provider table: a blocklist or reputation service, everything the
bot knows about it in one value.

A ``Provider`` holds what the three parts of the core need to know about one service:
- the parser: the ``mentions`` by which a bounce names it (phrases, the zone and codes it states),
  and, for services with several lists, ``list_hints`` that tell which one the bounce means;
- the DNSBL lookups: its ``zones``, each with its return ``codes`` (list, meaning, removal route);
- the advice: each code's ``removal`` route and fix step, and the provider's ``lookup`` and
  ``removal`` pages.

Patterns are matched against lower-cased text and have bounded repetition only (the parser must
stay linear in the size of a paste). ``{ip}`` in a URL is filled with the address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.diagnosis.model import Removal


def words(pattern: str) -> re.Pattern[str]:
    """A phrase whose spaces may be any run of whitespace (wrapped lines)."""
    return re.compile(pattern.replace(" ", r"\s+"))


@dataclass(frozen=True)
class Phrase:
    """A whole-text pattern and the plain words, one of which every match contains.

    The parser looks for the needles first (a fast substring search) and runs the pattern only on
    a short window around each one, so that many patterns cost little on a 1 MB paste. Needles are
    lower-case and have no spaces (a wrapped line may split two words).
    """

    pattern: re.Pattern[str]
    needles: tuple[str, ...]


def phrase(pattern: str, *needles: str) -> Phrase:
    return Phrase(words(pattern), needles)


def zone_pattern(suffix: str) -> re.Pattern[str]:
    """A DNS zone under ``suffix`` (group 1), e.g. "bl.spamcop.net"; never the "www." web site."""
    return re.compile(rf"(?<![a-z0-9.-])(?!www\.)((?:[a-z0-9-]{{1,63}}\.){{1,8}}{suffix})")


@dataclass(frozen=True)
class Mention:
    """Words by which a bounce names the provider."""

    phrase: Phrase
    name: str | None = None  # display name when it differs from the provider's, e.g. "Microsoft (Outlook.com)"
    zone: re.Pattern[str] | None = None  # group 1: the DNS zone, when the text states it
    codes: tuple[re.Pattern[str], ...] = ()  # group 1: a service-specific code; the first pattern that matches wins
    domain: bool = False  # the list blames a domain (sender, links), not an IP
    list_name: str | None = None
    # Words that must also be in the bounce for the mention to count: a phrase several receivers use
    # names this provider only next to its own marker.
    requires: Phrase | None = None


@dataclass(frozen=True)
class Code:
    """What one A-record answer of a zone means, and how a listing with it is removed."""

    list: str  # Listing.list: "SBL", "PBL", "SpamCop", ...
    meaning: str  # catalogue key under "meaning.", e.g. "spamhaus.pbl_isp"
    removal: Removal
    fix: str = "fix.list.other"  # catalogue key of the removal step when the IP may be yours
    fix_owner: str | None = None  # the step when someone else must act; None: the same as ``fix``
    rdns_step: str | None = None  # shown when the IP has no forward-confirmed reverse DNS (removal needs it)
    # The listing says the IP sent abuse (spam, malware, attacks): the IP's holder must find the cause.
    # False for policy lists (PBL: a range not meant to send straight to mail servers) and for a
    # netblock no end user can fix (DROP).
    abuse: bool = True
    # Words in a TXT record that say it speaks of this code: zen answers several A and TXT records
    # at once, and the TXT records carry no code ("Listed by PBL, see ..."). Empty: the list name.
    txt_tags: tuple[str, ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        return self.txt_tags or (self.list,)


@dataclass(frozen=True)
class Refusal:
    """An A record that is a refusal to answer, not a listing."""

    error: str  # ZoneResult.error key
    detail: str  # plain English for the log and the terminal; "{answer}" is the A record


@dataclass(frozen=True)
class Zone:
    """One DNS zone the bot queries, and how to read its answers."""

    provider: str  # the key of the provider it belongs to
    name: str  # display name, e.g. "Spamhaus ZEN"
    zone: str  # public zone name: shown in reports and queried when there is no key
    codes: Mapping[str, Code]  # known answers, in the order their advice is shown
    # Any other answer inside 127.0.0.0/8 (except 127.0.0.1). None: an answer the table does not know
    # is "could not check (unknown code)", never a listing, never self-service.
    other: Code | None
    # With a key (Spamhaus DQS) the zone is queried as "<key>.<keyed_zone>" and shown as "<keyed_zone>".
    keyed_zone: str | None = None
    # IPv6 is queried only where the provider documents IPv6 support: a list that does not serve
    # IPv6 answers NXDOMAIN for it, which would read as a false "not listed".
    ipv6: bool = False
    # Ask the TXT record (reason and link) beside the A record, so that a listing costs one round
    # trip, not two: worth it where listings are common and the reason matters. Elsewhere the TXT
    # is asked only after the A record is a listing (half the queries to lists that count them).
    txt_alongside: bool = False
    # A decisive zone decides the overall status: when it could not be checked the report is
    # "unknown". A failing secondary zone only shows as its own unknown zone.
    decisive: bool = False
    # A domain list (queried with a domain name, not an IP), and one served only with a key.
    domains: bool = False
    keyed_only: bool = False
    # A domain list's test points (listed, not listed), queried like a domain. None: the list's
    # "not listed" is trusted on the decisive domain list's test points (same operator, same path).
    domain_test_points: tuple[str, str] | None = None


@dataclass(frozen=True)
class Provider:
    """One blocklist or reputation service: everything the bot knows about it."""

    key: str  # BlocklistMention.key and Listing.provider: "spamhaus", "spamcop", ...
    name: str  # display name: "Spamhaus", "SpamCop", ...
    mentions: tuple[Mention, ...] = ()
    zones: tuple[Zone, ...] = ()  # IP lists and domain lists (``Zone.domains``)
    lookup: str | None = None  # page that shows an address's status, "{ip}" filled in
    domain_lookup: str | None = None  # page that shows a domain's status, "{domain}" filled in
    removal: str | None = None  # page where removal is requested, when it is not the lookup page
    refusals: Mapping[str, Refusal] = field(default_factory=dict)  # answers that are refusals, on every list
    # A range of answers that are all refusals (a provider's error range): the ones ``refusals``
    # does not name read as ``range_refusal``.
    refusal_range: str | None = None
    range_refusal: Refusal | None = None
    # Which of the provider's lists a bounce means: the first label of a zone it states
    # ("sbl.spamhaus.org" -> SBL), then patterns read near the mention, the strongest first (group 1,
    # upper-cased, names the list where the list is None).
    zone_lists: Mapping[str, str] = field(default_factory=dict)
    list_hints: tuple[tuple[re.Pattern[str], str | None], ...] = ()
    # The receiver's own DNS path is refused by this provider (the bounce says so): the sender is
    # probably not listed at all. ``resolver_link`` finds the receiver's resolver (group 1).
    receiver_refused: Phrase | None = None
    resolver_link: re.Pattern[str] | None = None
    # A listing's ticket, named in its TXT record (group 0, e.g. "SBL123456"), and the page of the
    # ticket ("{ticket}"), which the owner of the IP works through with the list.
    ticket: re.Pattern[str] | None = None
    ticket_page: str | None = None
    # A label in front of a zone named in a bounce that is the receiver's secret (a Spamhaus DQS key):
    # the parser drops it, so that it never reaches an answer.
    secret_label: re.Pattern[str] | None = None
    # The provider is gone: named in a bounce, it gets this catalogue step instead of a lookup.
    retired: str | None = None
    # A service the bot does not query but knows how its blocks are lifted: named in a bounce, it gets
    # this catalogue step (with its page) instead of "check and delist there".
    named_fix: str | None = None

    def page(self, ip: str) -> str | None:
        """Where a person sees the listing: the lookup page, else the removal page."""
        url = self.lookup or self.removal
        return url.format(ip=ip) if url else None

    def domain_page(self, domain: str) -> str | None:
        """Where a person sees a domain's listing and asks for its removal."""
        return self.domain_lookup.format(domain=domain) if self.domain_lookup else None

    def removal_page(self, ip: str) -> str | None:
        url = self.removal or self.lookup
        return url.format(ip=ip) if url else None
