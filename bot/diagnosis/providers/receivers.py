"""Lists and reputation services that bounces name but the bot does not query: receivers' own
filters, commercial feeds, domain lists. For each, the words a bounce names it by and the page where
a sender looks itself up.

Sources (docs/sources.md, "Services named in bounces"): each service's own lookup page and
postmaster documentation.
"""

from __future__ import annotations

import re

from bot.diagnosis.providers.base import Mention, Provider, phrase, zone_pattern
from bot.diagnosis.providers.spamhaus import LOOKUP as SPAMHAUS_LOOKUP

ABUSIX = Provider(
    key="abusix",
    name="Abusix Mail Intelligence",
    mentions=(Mention(phrase(r"abusix", "abusix"), zone=zone_pattern(r"abusix\.zone")),),
    lookup="https://lookup.abusix.com/search?q={ip}",
)
NIXSPAM = Provider(  # returns no listings since January 2025: a receiver naming it rejects on stale data
    key="nixspam",
    name="NiX Spam",
    mentions=(Mention(phrase(r"nix ?spam|ix\.dnsbl\.manitu\.net", "nix", "manitu"),
                      zone=re.compile(r"\b(ix\.dnsbl\.manitu\.net)\b")),),
    lookup="https://www.nixspam.net/",
    retired="fix.list.nixspam_dead",
)
CBL = Provider(  # the CBL became part of Spamhaus XBL
    key="cbl",
    name="CBL (abuseat.org, now Spamhaus XBL)",
    mentions=(Mention(phrase(r"abuseat\.org|\bcbl\b", "abuseat", "cbl"), zone=zone_pattern(r"abuseat\.org")),),
    lookup=SPAMHAUS_LOOKUP,
)
PROOFPOINT = Provider(
    key="proofpoint",
    name="Proofpoint",
    mentions=(Mention(phrase(r"proofpoint", "proofpoint")),),
    lookup="https://ipcheck.proofpoint.com/?ip={ip}",
)
CLOUDMARK = Provider(
    key="cloudmark",
    name="Cloudmark CSI",
    # Comcast's "found on one or more DNSBLs ... #BL000010" is Cloudmark's list (Comcast's error codes)
    mentions=(Mention(phrase(r"cloudmark|\bbl000010\b", "cloudmark", "bl000010")),),
    lookup="https://csi.cloudmark.com/en/reset/",
)
TRENDMICRO = Provider(
    key="trendmicro",
    name="Trend Micro ERS",
    mentions=(Mention(phrase(r"trend ?micro|mail-abuse\.(?:com|org)|\bers\.", "trend", "mail-abuse", "ers.")),),
    lookup="https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/",
)
YAHOO = Provider(
    key="yahoo",
    name="Yahoo",
    mentions=(Mention(phrase(r"\[tss?0\d\]", "[ts"), codes=(re.compile(r"\[(tss?0\d)\]"),)),),
    lookup="https://senders.yahooinc.com/",
    named_fix="fix.named.yahoo",  # TSS04 and kin: temporary deferrals for complaints, no delisting
)
GMAIL = Provider(
    key="gmail",
    name="Gmail",
    mentions=(Mention(phrase(r"low reputation of the sending ip|unsolicited mail originating from your ip|"
                             r"the ip you're using to send mail is not authorized|"
                             r"our system has detected that this message is likely unsolicited",
                             "reputation", "unsolicited", "authorized")),),
    lookup="https://postmaster.google.com/",
    named_fix="fix.named.gmail",  # no delisting: a smarthost for unauthorised IPs; Postmaster Tools only monitors
)
MIMECAST = Provider(  # its own policies and lists; the recipient's Mimecast administrator decides
    key="mimecast",
    name="Mimecast",
    mentions=(Mention(phrase(r"mimecast|on a global block ?list|header based block(?:ed senders| ?list)",
                             "mimecast", "global", "header")),),
    lookup="https://community.mimecast.com/s/article/Mimecast-SMTP-Error-Codes-842605754",
    named_fix="fix.named.mimecast",
)
TALOS = Provider(  # Cisco Secure Email (IronPort) reads Talos's SenderBase reputation score (SBRS)
    key="talos",
    name="Cisco Talos (SenderBase reputation)",
    mentions=(Mention(phrase(r"talosintelligence|senderbase|\bsbrs\b|ironport", "talos", "senderbase", "sbrs",
                             "ironport")),),
    lookup="https://talosintelligence.com/reputation_center/lookup?search={ip}",
)
ATT = Provider(  # "DNSBL:RBL 521< IP >_is_blocked. For assistance forward this error to abuse_rbl@abuse-att.net"
    key="att",
    name="AT&T",
    mentions=(Mention(phrase(r"dnsbl:(?:att)?rbl|abuse_rbl@abuse-att\.net", "dnsbl:", "abuse_rbl")),),
    named_fix="fix.named.att",
)
SPAMRATS = Provider(
    key="spamrats",
    name="SpamRATS",
    mentions=(Mention(phrase(r"spamrats|\brats-(?:dyna|noptr|spam|auth)\b", "spamrats", "rats-"),
                      zone=zone_pattern(r"spamrats\.com")),),
    lookup="https://www.spamrats.com/lookup.php?ip={ip}",
)
TENCENT = Provider(  # "550 Ip frequency limited [... Blocked IP x]"
    key="tencent",
    name="Tencent QQ Mail",
    mentions=(Mention(phrase(r"\b(?:ip|connection|domain|mail) frequency limited", "frequency")),),
)
T_ONLINE = Provider(  # "554 IP=X - A problem occurred ... (BL)"
    key="t-online",
    name="T-Online",
    mentions=(Mention(phrase(r"\(bl\)", "(bl)")),),
)
ORBS = Provider(
    key="orbs",
    name="Open-relay list (ORBS style)",
    mentions=(Mention(phrase(r"which is an open relay|\borbs\b|ordb\.org", "open", "orbs", "ordb")),),
)
URIBL = Provider(
    key="uribl",
    name="URIBL",
    mentions=(Mention(phrase(r"uribl|blacklisted url|blacklisted link", "uribl", "blacklisted"), domain=True),),
)
SURBL = Provider(
    key="surbl",
    name="SURBL",
    mentions=(Mention(phrase(r"surbl", "surbl"), domain=True),),
)
COX = Provider(  # Cox's error codes page: CDRBL, CXBL and the like are its own IP blocks
    key="cox",
    name="Cox",
    mentions=(Mention(phrase(r"aup#c\w{0,6}bl\b", "aup#")),),
)
