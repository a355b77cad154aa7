"""The other well-kept IP blocklists the bot queries besides Spamhaus, each with its zone, codes, the
words bounces name it by, and its pages.

Sources (docs/sources.md, "Other blocklists"): each list's own usage and removal pages; the
RFC 5782 test points (every IPv4 list lists 127.0.0.2 and not 127.0.0.1).
"""

from __future__ import annotations

from bot.diagnosis.model import Removal
from bot.diagnosis.providers.base import Code, Mention, Provider, Zone, phrase, zone_pattern


def _single_code(key: str, name: str, zone: str, list_name: str, removal: Removal,
                 fix: str = "fix.list.other") -> Zone:
    """A zone whose only answer is 127.0.0.2; any other 127/8 answer reads the same way."""
    listed = Code(list_name, key, removal, fix)
    return Zone(provider=key, name=name, zone=zone, codes={"127.0.0.2": listed}, other=listed)


SPAMCOP = Provider(
    key="spamcop",
    name="SpamCop",
    mentions=(Mention(phrase(r"spamcop", "spamcop"), zone=zone_pattern(r"spamcop\.net")),),
    # listings expire by themselves 24 h after the reports stop
    zones=(_single_code("spamcop", "SpamCop", "bl.spamcop.net", "SpamCop", Removal.EXPIRES,
                        "fix.list.spamcop_expires"),),
    lookup="https://www.spamcop.net/bl.shtml?{ip}",
)

# Barracuda asks users to register the querying resolver's address first; how unregistered queries
# are answered is not confirmed, so its silence is trusted only after its test points pass.
BARRACUDA = Provider(
    key="barracuda",
    name="Barracuda Reputation Block List",
    mentions=(Mention(phrase(r"barracuda", "barracuda"), zone=zone_pattern(r"barracudacentral\.org")),),
    zones=(_single_code("barracuda", "Barracuda Reputation", "b.barracudacentral.org", "Barracuda",
                        Removal.SELF_SERVICE),),
    removal="https://www.barracudacentral.org/rbl/removal-request",
)

UCEPROTECT = Provider(
    key="uceprotect",
    name="UCEPROTECT",
    mentions=(Mention(phrase(r"uceprotect", "uceprotect"), zone=zone_pattern(r"uceprotect\.net")),),
    # level 1 lists single IPs; a listing expires 7 days after the last hit
    zones=(_single_code("uceprotect", "UCEPROTECT Level 1", "dnsbl-1.uceprotect.net", "UCEPROTECT-1",
                        Removal.EXPIRES, "fix.list.uceprotect_expires"),),
    lookup="https://www.uceprotect.net/en/rblcheck.php?ipr={ip}",
)

# SORBS shut down in June 2024: its zones carry no data, so it is not queried, and a receiver that
# still names it rejects on stale data.
SORBS = Provider(
    key="sorbs",
    name="SORBS",
    mentions=(Mention(phrase(r"\bsorbs\b", "sorbs"), zone=zone_pattern(r"sorbs\.net")),),
    retired="fix.list.sorbs_dead",
)

PSBL = Provider(
    key="psbl",
    name="PSBL",
    mentions=(Mention(phrase(r"\bpsbl\b", "psbl"), zone=zone_pattern(r"surriel\.com")),),
    zones=(_single_code("psbl", "PSBL", "psbl.surriel.com", "PSBL", Removal.SELF_SERVICE),),
    lookup="https://psbl.org/listing?ip={ip}",
)

# bl.mailspike.net answers 127.0.0.2 for z.mailspike.net (a zero-hour spam wave; also the RFC 5782
# test point) or the rep.mailspike.net level, L5 worst .. L1. bl carries only Z and L3-L5; L2 and L1
# are decoded in case a resolver serves rep.mailspike.net.
def _mailspike(list_name: str) -> Code:
    return Code(list_name, "mailspike", Removal.REPUTATION, "fix.list.reputation")


_MAILSPIKE = _mailspike("Mailspike")
MAILSPIKE = Provider(
    key="mailspike",
    name="Mailspike",
    mentions=(Mention(phrase(r"mailspike", "mailspike"), zone=zone_pattern(r"mailspike\.net")),),
    zones=(Zone(
        provider="mailspike",
        name="Mailspike",
        zone="bl.mailspike.net",
        codes={
            "127.0.0.2": _mailspike("Mailspike Z"),
            "127.0.0.10": _mailspike("Mailspike L5"),  # worst reputation
            "127.0.0.11": _mailspike("Mailspike L4"),  # very bad
            "127.0.0.12": _mailspike("Mailspike L3"),  # bad
            "127.0.0.13": _mailspike("Mailspike L2"),  # suspicious
            "127.0.0.14": _mailspike("Mailspike L1"),  # neutral, probably spam
        },
        other=_MAILSPIKE,
    ),),
    lookup="https://mailspike.org/iplookup.html",
)
