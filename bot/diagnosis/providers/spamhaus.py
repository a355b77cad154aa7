"""Spamhaus: the ZEN zone and its return codes, its refusal codes, the Data Query Service, how bounces
name it and which of its lists they mean, and where each listing is removed.

Sources (docs/sources.md, "Spamhaus"): the return codes and zones from docs.spamhaus.com; DQS from
Spamhaus's DQS documentation; removal routes from Spamhaus's own pages for each list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.diagnosis.model import Removal
from bot.diagnosis.providers.base import Code, Mention, Provider, Refusal, Zone, phrase, words

LOOKUP = "https://check.spamhaus.org/query/ip/{ip}"
DOMAIN_LOOKUP = "https://check.spamhaus.org/query/domain/{domain}"
SBL_RECORD = "https://check.spamhaus.org/sbl/query/{ticket}"

ZEN = "zen.spamhaus.org"
ZEN_DQS = "zen.dq.spamhaus.net"  # queried as <key>.zen.dq.spamhaus.net (".org" there answers 127.255.255.252)


def _code(list_name: str, meaning: str, removal: Removal, fix: str = "fix.list.other", fix_owner: str | None = None,
          *tags: str, rdns_step: str | None = None, abuse: bool = True) -> Code:
    return Code(list_name, f"spamhaus.{meaning}", removal, fix, fix_owner, rdns_step, abuse, tags)


_SBL = _code("SBL", "sbl", Removal.OWNER_VIA_TICKET, "fix.list.sbl", "fix.list.sbl_owner")
_XBL = _code("XBL", "xbl", Removal.SELF_SERVICE, "fix.list.xbl", "fix.list.xbl_owner", "XBL", "CBL")

# Return codes, in the order their advice is shown (the most severe first). Removal: SBL and BCL only
# through the SBL record (the IP's owner contacts the SBL team with the ticket); CSS, XBL, AuthBL
# self-service at check.spamhaus.org after fixing the cause; PBL marked by the ISP only the ISP can
# change, PBL marked by Spamhaus the holder of a static IP can remove; DROP has no end-user delisting.
CODES: Mapping[str, Code] = {
    # DROP is always also SBL; eDROP merged into it in April 2024
    "127.0.0.9": _code("DROP", "drop", Removal.NONE, "fix.list.drop", abuse=False),
    "127.0.0.2": _SBL,
    "127.0.0.30": _code("BCL", "bcl", Removal.OWNER_VIA_TICKET, "fix.list.sbl", "fix.list.sbl_owner"),
    "127.0.0.3": _code("CSS", "css", Removal.SELF_SERVICE, "fix.list.css", "fix.list.css_owner",
                       rdns_step="fix.list.css_rdns"),
    "127.0.0.4": _XBL,
    "127.0.0.5": _XBL,  # .5-.7 are reserved for XBL and unused
    "127.0.0.6": _XBL,
    "127.0.0.7": _XBL,
    # PBL is a policy list, not a spam listing. The ISP that marked a range is the only one who changes it.
    "127.0.0.10": _code("PBL", "pbl_isp", Removal.OWNER_ONLY, "fix.list.pbl_isp", abuse=False),
    "127.0.0.11": _code("PBL", "pbl_spamhaus", Removal.SELF_SERVICE, "fix.list.pbl", "fix.list.pbl_owner", abuse=False),
    "127.0.0.20": _code("AuthBL", "authbl", Removal.SELF_SERVICE),  # zone authbl, not part of zen
    # Domain lists (dbl, zrd) are queried with a domain, not an IP; here so that every code decodes.
    "127.0.1.2": _code("DBL", "dbl_spam", Removal.OWNER_ONLY),
    "127.0.1.4": _code("DBL", "dbl_phish", Removal.OWNER_ONLY),
    "127.0.1.5": _code("DBL", "dbl_malware", Removal.OWNER_ONLY),
    "127.0.1.6": _code("DBL", "dbl_botnet_cc", Removal.OWNER_ONLY),
    "127.0.1.102": _code("DBL", "dbl_abused_spam", Removal.OWNER_ONLY),
    "127.0.1.103": _code("DBL", "dbl_abused_redirector", Removal.OWNER_ONLY),
    "127.0.1.104": _code("DBL", "dbl_abused_phish", Removal.OWNER_ONLY),
    "127.0.1.105": _code("DBL", "dbl_abused_malware", Removal.OWNER_ONLY),
    "127.0.1.106": _code("DBL", "dbl_abused_botnet_cc", Removal.OWNER_ONLY),
    # ZRD: 127.0.2.2 .. 127.0.2.24 = domain first seen 0-2 h .. 23-24 h ago; it expires by itself.
    **{f"127.0.2.{n}": _code("ZRD", "zrd", Removal.EXPIRES) for n in range(2, 25)},
}
# Answers that are refusals, not listings: the whole of 127.255.255.0/24 is Spamhaus's error range,
# and 127.0.1.255 the domain lists' "you asked with an IP". They are read as refusals on every list,
# because counting them as listings is the classic checker bug (pydnsbl, Haraka, mox ...).
ERROR_RANGE = "127.255.255.0/24"
REFUSALS: Mapping[str, Refusal] = {
    "127.255.255.250": Refusal("dqs_key_disabled", "answered {answer}: the DQS key is disabled"),
    "127.255.255.251": Refusal("dqs_key_misused", "answered {answer}: the DQS key is used outside its terms"),
    "127.255.255.252": Refusal("zone_typo", "answered {answer}: typing error in the DNSBL name"),
    "127.255.255.254": Refusal("open_resolver",
                               "answered {answer}: query came through a public / open resolver"),
    "127.255.255.255": Refusal("rate_limited", "answered {answer}: excessive number of queries"),
    "127.0.1.255": Refusal("bad_answer", "answered {answer}: an IP was queried against a domain list"),
}
ERROR_RANGE_OTHER = Refusal("spamhaus_error", "answered {answer}: an error code of Spamhaus's this bot does not know")

_DOMAIN_ANSWERS = ("127.0.1.", "127.0.2.")
IP_CODES = {answer: code for answer, code in CODES.items() if not answer.startswith(_DOMAIN_ANSWERS)}

ZEN_ZONE = Zone(
    provider="spamhaus",
    name="Spamhaus ZEN",
    zone=ZEN,
    keyed_zone=ZEN_DQS,
    codes=IP_CODES,
    other=None,  # an answer the table does not know is "could not check (unknown code)"
    ipv6=True,  # zen serves IPv6 (SBL, XBL, PBL data), queried with 32 reversed nibbles
    decisive=True,
    txt_alongside=True,
)


# The domain lists, queried with the domains a bounce blames: DBL on the public mirror and DQS, ZRD
# with a DQS key only. DBL's test points: dbltest.com is always listed (Spamhaus's DBL FAQ) and
# "invalid" never is (RFC 5782 section 5). ZRD documents none: its "not listed" is trusted on DBL's.
DBL_ZONE = Zone(
    provider="spamhaus",
    name="Spamhaus DBL",
    zone="dbl.spamhaus.org",
    keyed_zone="dbl.dq.spamhaus.net",
    codes={answer: code for answer, code in CODES.items() if answer.startswith("127.0.1.")},
    other=None,
    txt_alongside=True,
    decisive=True,
    domains=True,
    domain_test_points=("dbltest.com", "invalid"),
)
ZRD_ZONE = Zone(
    provider="spamhaus",
    name="Spamhaus ZRD",
    zone="zrd.spamhaus.org",
    keyed_zone="zrd.dq.spamhaus.net",
    codes={answer: code for answer, code in CODES.items() if answer.startswith("127.0.2.")},
    other=None,
    domains=True,
    keyed_only=True,
)


def _code_hints() -> tuple[tuple[re.Pattern[str], str | None], ...]:
    """A return code quoted in a bounce names its list: one pattern per list, from ``CODES``."""
    by_list: dict[str, list[str]] = {}
    for answer, code in CODES.items():
        by_list.setdefault(code.list, []).append(answer)
    return tuple((re.compile(rf"(?<![\d.])(?:{'|'.join(map(re.escape, answers))})(?![\d.])"), name)
                 for name, answers in by_list.items())


# Which list inside zen a bounce means, from the strongest hint to the weakest; read near the word
# "spamhaus" only.
LIST_HINTS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    *_code_hints(),
    (re.compile(r"spamhaus\.org/(sbl|xbl|pbl|css|dbl|drop)/"), None),  # None: the group names the list
    (re.compile(r"\b(sbl|pbl)\d{3,}\b"), None),  # an SBL ticket number
    (words(r"spamhaus (sbl|xbl|pbl|css|dbl|drop|zrd)\b"), None),
    (re.compile(r"\b(sbl|xbl|pbl|dbl|zrd)\b(?!-)"), None),
    (words(r"(?:mailfrom|mail from|sender|envelope|from) domain (?:is )?listed|domain (?:is )?listed in spamhaus|"
           r"/query/dbl|/query/domain/"), "DBL"),
)

# Exchange Online relaying a Spamhaus listing adds "AS(1450)"; older forms "(AS3130)", "(S3130)".
_EOP_CODES = (re.compile(r"\b(as\(\d{3,}\))"), re.compile(r"\((as\d{4,})\)"), re.compile(r"\((s3\d{3})\)"))

SPAMHAUS = Provider(
    key="spamhaus",
    name="Spamhaus",
    mentions=(
        # Comcast's "found on one or more DNSBLs ... #BL000001" is Spamhaus (Comcast's error codes)
        Mention(phrase(r"spamhaus|\bbl000001\b", "spamhaus", "bl000001"),
                # a DQS key in front of the zone belongs to the receiver: the parser drops it
                zone=re.compile(r"\b((?:[a-z0-9]{26}\.)?(?:zen|sbl|xbl|pbl|sbl-xbl|dbl|zrd|authbl)\.(?:dq\.)?"
                                r"spamhaus\.(?:org|net))\b"),
                codes=_EOP_CODES),
    ),
    zones=(ZEN_ZONE, DBL_ZONE, ZRD_ZONE),
    lookup=LOOKUP,
    domain_lookup=DOMAIN_LOOKUP,
    refusals=REFUSALS,
    refusal_range=ERROR_RANGE,
    range_refusal=ERROR_RANGE_OTHER,
    zone_lists={"sbl": "SBL", "xbl": "XBL", "sbl-xbl": "SBL+XBL", "pbl": "PBL", "dbl": "DBL", "zrd": "ZRD"},
    list_hints=LIST_HINTS,
    # Spamhaus refuses public resolvers: the receiver's own DNS is broken (the zones page error codes).
    receiver_refused=phrase(
        r"open resolver|public resolver|/returnc/|127\.255\.255\.25[245]|excessive number of queries|"
        r"unattributable resolver",
        "resolver", "returnc", "127.255.255.25", "excessive",
    ),
    resolver_link=re.compile(r"/returnc/[a-z]+/([0-9a-f:.]{3,45})"),
    ticket=re.compile(r"\bSBL\d+\b"),
    ticket_page=SBL_RECORD,
    secret_label=re.compile(r"[a-z0-9]{26}\."),
)


def dqs_key_shaped(key: str) -> bool:
    """A DQS key is 26 lower-case letters and digits."""
    return re.fullmatch(r"[a-z0-9]{26}", key) is not None
