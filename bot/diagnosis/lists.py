"""The DNS blocklists the bot queries and how to read their answers. Data only; dnsbl.py is the engine.

Sources (see ../shared/reference/dnsbl.md): Spamhaus return codes and zones from docs.spamhaus.com
("zones" page) and the DQS documentation; test points from RFC 5782 section 5; the other lists'
codes from each provider's own usage page (mailspike.org/usage.html for Mailspike's levels).
Lookup and removal pages live in ``routes`` (one home for "where a listing is fixed").

Adding a list means adding one ``Dnsbl`` row to ``OTHER_LISTS``; a new Spamhaus code, one row
in ``SPAMHAUS_CODES``.

Deliberately NOT listed: SORBS. It was shut down in June 2024; its zones no longer carry data, so
a checker that still queries it reports garbage (every address "listed", or a silent "not listed").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.diagnosis import routes


@dataclass(frozen=True)
class ReturnCode:
    """What one A record answer means on a list."""

    list: str  # Listing.list: "SBL", "PBL", "SpamCop", ...
    meaning: str  # catalogue key under "meaning.", e.g. "spamhaus.pbl_isp"
    removal: str  # "self_service", "owner_via_ticket", "owner_only", "none", "provider"
    url: str  # lookup / removal page, "{ip}" filled with the queried address
    # Words in the TXT record that say it belongs to this code (zen answers several A and TXT
    # records at once and the TXT records carry no code: "Listed by PBL, see ...").
    txt_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErrorCode:
    """An A record that is a refusal, not a listing (Spamhaus: "return codes for errors")."""

    error: str  # ZoneResult.error key
    detail: str  # plain English for the log / terminal


@dataclass(frozen=True)
class Dnsbl:
    """One DNS blocklist zone: where to ask and how to read the answer."""

    provider: str  # Listing.provider / ZoneResult.provider: "spamhaus", "spamcop", ...
    name: str  # display name, e.g. "Spamhaus ZEN"
    zone: str  # public zone name: shown in reports and queried when there is no DQS key
    codes: Mapping[str, ReturnCode]  # known answers
    other: ReturnCode  # any other answer inside 127.0.0.0/8 (except 127.0.0.1): listed, meaning unknown
    # With a Spamhaus DQS key the zone is queried as "<key>.<dqs_zone>" and shown as "<dqs_zone>".
    dqs_zone: str | None = None
    # IPv6 is only queried where the provider documents IPv6 support: a list that does not serve
    # IPv6 names answers NXDOMAIN for them, which would read as a false "not listed". Lists without
    # the flag are skipped for IPv6 addresses (absent from the report, so advice can say "not queried").
    ipv6: bool = False
    # Ask for the TXT record (the listing's reason and link) beside the A record, so a listing
    # costs one round trip, not two. Worth it where listings are the common case and the reason
    # matters (Spamhaus: SBL tickets, which PBL sub-list). Elsewhere the TXT is asked only after
    # the A record is a listing: half the queries to lists that rate-limit by volume.
    txt_alongside: bool = False
    # Decisive lists decide the overall status: when one of them could not be checked the report is
    # "unknown". A failing secondary list only shows up as its own unknown zone.
    decisive: bool = False
    note: str = ""  # caveat for maintainers and the doctor


# --- Spamhaus ------------------------------------------------------------------------------------
SPAMHAUS_ZEN = "zen.spamhaus.org"
SPAMHAUS_ZEN_DQS = "zen.dq.spamhaus.net"  # queried as <key>.zen.dq.spamhaus.net (".org" there = 127.255.255.252)

_LOOKUP = routes.SPAMHAUS_LOOKUP


def _spamhaus(list_name: str, meaning: str, removal: str, *tags: str) -> ReturnCode:
    return ReturnCode(list_name, f"spamhaus.{meaning}", removal, _LOOKUP, tags or (list_name,))


# docs.spamhaus.com, "zones" / return codes. Removal: SBL/BCL only through the SBL record (the
# IP's owner contacts the SBL team with the ticket); CSS, XBL, AuthBL self-service at
# check.spamhaus.org after fixing the cause; PBL marked by the ISP only the ISP can change,
# PBL marked by Spamhaus the owner of a static IP can remove; DROP has no end-user delisting.
SPAMHAUS_CODES: Mapping[str, ReturnCode] = {
    "127.0.0.2": _spamhaus("SBL", "sbl", "owner_via_ticket"),
    "127.0.0.3": _spamhaus("CSS", "css", "self_service"),
    "127.0.0.9": _spamhaus("DROP", "drop", "none"),  # always also SBL; eDROP merged into DROP in April 2024
    "127.0.0.4": _spamhaus("XBL", "xbl", "self_service", "XBL", "CBL"),
    "127.0.0.5": _spamhaus("XBL", "xbl", "self_service", "XBL", "CBL"),  # .5-.7 reserved for XBL, unused
    "127.0.0.6": _spamhaus("XBL", "xbl", "self_service", "XBL", "CBL"),
    "127.0.0.7": _spamhaus("XBL", "xbl", "self_service", "XBL", "CBL"),
    "127.0.0.10": _spamhaus("PBL", "pbl_isp", "owner_only"),
    "127.0.0.11": _spamhaus("PBL", "pbl_spamhaus", "self_service"),
    "127.0.0.30": _spamhaus("BCL", "bcl", "owner_via_ticket"),
    "127.0.0.20": _spamhaus("AuthBL", "authbl", "self_service"),  # zone authbl, not part of zen
    # Domain lists (dbl, zrd): queried with a domain, not an IP; here so that every code decodes.
    "127.0.1.2": _spamhaus("DBL", "dbl_spam", "owner_only", "DBL"),
    "127.0.1.4": _spamhaus("DBL", "dbl_phish", "owner_only", "DBL"),
    "127.0.1.5": _spamhaus("DBL", "dbl_malware", "owner_only", "DBL"),
    "127.0.1.6": _spamhaus("DBL", "dbl_botnet_cc", "owner_only", "DBL"),
    "127.0.1.102": _spamhaus("DBL", "dbl_abused_spam", "owner_only", "DBL"),
    "127.0.1.103": _spamhaus("DBL", "dbl_abused_redirector", "owner_only", "DBL"),
    "127.0.1.104": _spamhaus("DBL", "dbl_abused_phish", "owner_only", "DBL"),
    "127.0.1.105": _spamhaus("DBL", "dbl_abused_malware", "owner_only", "DBL"),
    "127.0.1.106": _spamhaus("DBL", "dbl_abused_botnet_cc", "owner_only", "DBL"),
    # ZRD: 127.0.2.2 .. 127.0.2.24 = domain first seen 0-2 h .. 23-24 h ago; expires by itself.
    **{f"127.0.2.{n}": _spamhaus("ZRD", "zrd", "none", "ZRD") for n in range(2, 25)},
}
SPAMHAUS_OTHER = _spamhaus("ZEN", "other", "self_service", "ZEN")

# Answers that are refusals, not listings. Spamhaus defines them; we read them as errors on every
# list, because counting them as "listed" is the classic checker bug (pydnsbl, Haraka, mox ...).
ERROR_CODES: Mapping[str, ErrorCode] = {
    "127.255.255.252": ErrorCode("zone_typo", "answered 127.255.255.252: typing error in the DNSBL name"),
    "127.255.255.254": ErrorCode("open_resolver",
                                 "answered 127.255.255.254: query came through a public / open resolver"),
    "127.255.255.255": ErrorCode("rate_limited", "answered 127.255.255.255: excessive number of queries"),
    "127.0.1.255": ErrorCode("bad_answer", "answered 127.0.1.255: an IP was queried against a domain list"),
}

ZEN = Dnsbl(
    provider="spamhaus",
    name="Spamhaus ZEN",
    zone=SPAMHAUS_ZEN,
    dqs_zone=SPAMHAUS_ZEN_DQS,
    codes=SPAMHAUS_CODES,
    other=SPAMHAUS_OTHER,
    ipv6=True,  # zen serves IPv6 (SBL, XBL, PBL data), queried with 32 reversed nibbles
    decisive=True,
    txt_alongside=True,
    note="The free mirror refuses public and cloud resolvers (127.255.255.254 or a silent NXDOMAIN): "
         "use a DQS key or your own resolver.",
)


# --- Other well-kept lists -----------------------------------------------------------------------
def _single_code(provider: str, name: str, zone: str, list_name: str, removal: str, note: str = "") -> Dnsbl:
    """A list whose only answer is 127.0.0.2; any other 127/8 answer reads the same way."""
    listed = ReturnCode(list_name, provider, removal, routes.PROVIDER_PAGES[provider])
    return Dnsbl(provider=provider, name=name, zone=zone, codes={"127.0.0.2": listed}, other=listed, note=note)


SPAMCOP = _single_code("spamcop", "SpamCop", "bl.spamcop.net", "SpamCop", "none")  # expires 24 h after reports stop
BARRACUDA = _single_code(
    "barracuda", "Barracuda Reputation", "b.barracudacentral.org", "Barracuda", "self_service",  # removal form
    note="Barracuda asks users to register the querying resolver's address first; how unregistered "
         "queries are answered is not confirmed, so its silence is only trusted after its test points pass.",
)
UCEPROTECT_1 = _single_code("uceprotect", "UCEPROTECT Level 1", "dnsbl-1.uceprotect.net", "UCEPROTECT-1",
                            "none")  # expires 7 days after the last hit
PSBL = _single_code("psbl", "PSBL", "psbl.surriel.com", "PSBL", "self_service")

# mailspike.org/usage.html: bl.mailspike.net answers 127.0.0.2 for z.mailspike.net (zero-hour
# spam wave; also the RFC 5782 test point) or the rep.mailspike.net level, L5 worst .. L1.
# bl carries only Z and L3-L5; L2/L1 are decoded in case a resolver serves rep.mailspike.net.
_MAILSPIKE = routes.PROVIDER_PAGES["mailspike"]
MAILSPIKE = Dnsbl(
    provider="mailspike",
    name="Mailspike",
    zone="bl.mailspike.net",
    codes={
        "127.0.0.2": ReturnCode("Mailspike Z", "mailspike", "provider", _MAILSPIKE),
        "127.0.0.10": ReturnCode("Mailspike L5", "mailspike", "provider", _MAILSPIKE),  # worst reputation
        "127.0.0.11": ReturnCode("Mailspike L4", "mailspike", "provider", _MAILSPIKE),  # very bad
        "127.0.0.12": ReturnCode("Mailspike L3", "mailspike", "provider", _MAILSPIKE),  # bad
        "127.0.0.13": ReturnCode("Mailspike L2", "mailspike", "provider", _MAILSPIKE),  # suspicious
        "127.0.0.14": ReturnCode("Mailspike L1", "mailspike", "provider", _MAILSPIKE),  # neutral, probably spam
    },
    other=ReturnCode("Mailspike", "mailspike", "provider", _MAILSPIKE),
)

OTHER_LISTS: tuple[Dnsbl, ...] = (SPAMCOP, BARRACUDA, UCEPROTECT_1, PSBL, MAILSPIKE)
DEFAULT_LISTS: tuple[Dnsbl, ...] = (ZEN, *OTHER_LISTS)

# RFC 5782 section 5: every IPv4 list lists 127.0.0.2 and does not list 127.0.0.1.
TEST_POINT_LISTED = "127.0.0.2"
TEST_POINT_NOT_LISTED = "127.0.0.1"
