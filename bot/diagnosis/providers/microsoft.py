"""Microsoft: Exchange Online's and Outlook.com's own block lists, the codes their bounces carry, where
each is lifted, and which addresses are Microsoft's own sending servers. Not a DNSBL: the bounce
itself is the evidence of the block.

Sources (docs/sources.md, "Microsoft"): "Email non-delivery reports and SMTP errors in Exchange
Online", "Use the delist portal to remove yourself from the blocked senders list", the Outlook.com
postmaster pages, and "Microsoft 365 URLs and IP address ranges" (Exchange Online, ID 10).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.diagnosis.providers.base import Mention, Provider, phrase

DELIST_PORTAL = "https://sender.office.com"
DELIST_MAIL = "delist@microsoft.com"
OUTLOOK_SENDER_SUPPORT = "https://olcsupport.office.com/"

# Exchange Online's published outbound ranges (Microsoft 365 URLs and IP address ranges, ID 10) and
# its outbound servers' reverse DNS. Not AS8075: it also announces every Azure customer's VMs.
SENDING_RANGES = tuple(ipaddress.ip_network(net) for net in (
    "40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/14", "104.47.0.0/17", "2a01:111:f400::/48", "2a01:111:f403::/48"))
SENDING_RDNS = "outbound.protection.outlook.com"
# Exchange Online protecting the recipient's tenant: its inbound servers, and the "AS(nnnn)" code its
# rejections carry.
INBOUND_PROTECTION = re.compile(r"protection\.outlook\.com|\bas\(\d{3,}\)")


def sends_for_microsoft(ip: str, rdns: str | None, rdns_confirmed: bool | None) -> bool:
    """One of Exchange Online's own sending servers: in its published ranges, or with a
    forward-confirmed reverse DNS name under outbound.protection.outlook.com."""
    address = ipaddress.ip_address(ip)
    if any(address.version == net.version and address in net for net in SENDING_RANGES):
        return True
    name = (rdns or "").lower().rstrip(".")
    return bool(rdns_confirmed) and (name == SENDING_RDNS or name.endswith("." + SENDING_RDNS))


@dataclass(frozen=True)
class Step:
    """A fix step of a Microsoft route: a catalogue key, its link, and parameters ("{ip}", "{code}" filled in)."""

    key: str
    url: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """The codes of one Microsoft block and how it is lifted."""

    codes: re.Pattern[str]  # matched whole against an upper-case code: "5.7.606", "S3150"
    kind: str
    steps: tuple[Step, ...]
    block: bool = True  # Microsoft blocks the mail: never headlined "not listed", whatever the DNSBLs say
    needs_ip: bool = True  # the advice is about one IP; False: about the tenant or the account, IP or not

    def matches(self, code: str | None) -> bool:
        return code is not None and self.codes.fullmatch(code.strip().upper()) is not None


def _route(codes: str, kind: str, *steps: Step, block: bool = True, needs_ip: bool = True) -> Route:
    return Route(re.compile(codes), kind, steps, block, needs_ip)


_PORTAL = Step("fix.ms.delist_portal", DELIST_PORTAL, {"ip": "{ip}"})
_OUTLOOK_FORM = Step("fix.ms.outlook_form", OUTLOOK_SENDER_SUPPORT, {"ip": "{ip}"})

# Enhanced status codes of Microsoft's own lists and policies (Microsoft's NDR reference), the most
# specific first.
ROUTES: tuple[Route, ...] = (
    _route(r"5\.7\.6(?:0[6-9]|[1-4]\d)", "ms_banned_ip", _PORTAL, Step("fix.ms.delist_wait")),
    _route(r"5\.7\.50[1-3]", "ms_account_banned", Step("fix.ms.account_banned", params={"code": "{code}"}),
           needs_ip=False),
    _route(r"5\.7\.511", "ms_banned_sender", Step("fix.ms.banned_sender", params={"mail": DELIST_MAIL}),
           needs_ip=False),
    _route(r"5\.7\.513", "ms_customer_block", Step("fix.ms.customer_block"), needs_ip=False),
    _route(r"5\.7\.70[58]", "ms_tenant", Step("fix.ms.tenant", params={"code": "{code}"}), needs_ip=False),
    _route(r"5\.7\.750", "ms_unregistered_domain", Step("fix.ms.unregistered_domain"), needs_ip=False),
    # Outlook.com's IP reputation block, by the consumer service's own support form.
    _route(r"4\.7\.65[01]", "outlook", _OUTLOOK_FORM),
    _route(r"4\.7\.8[5-9]\d", "ms_ip_restricted", Step("fix.ms.ip_restricted", params={"code": "{code}"}),
           needs_ip=False),
    # Other 4.7.500-699 restrictions lift by themselves: nothing to request.
    _route(r"4\.7\.[56]\d\d", "ms_throttled", Step("fix.ms.throttled"), block=False, needs_ip=False),
)
# Outlook.com's own codes: "(S3150)", "(AS3150)", "(S3140)" and kin, Hotmail's "SC-004". Read after the
# status codes, which say more.
OUTLOOK = _route(r"A?S3\d{3}|SC-?\d{3}", "outlook", _OUTLOOK_FORM)
# Microsoft's own server listed elsewhere: Microsoft delists it, not you.
THEIR_IP = (Step("fix.ms.their_ip", params={"ip": "{ip}"}),)
# A Microsoft block with no code that says more.
DEFAULT = (_PORTAL,)


def status_route(code: str | None) -> Route | None:
    """The route of one of Microsoft's enhanced status codes (``5.7.606``), else None."""
    return next((route for route in ROUTES if route.matches(code)), None)


def route_for(*codes: str | None) -> Route | None:
    """The route of the first code that names one: status codes first, then Outlook.com's own."""
    for code in codes:
        route = status_route(code)
        if route:
            return route
    return next((OUTLOOK for code in codes if OUTLOOK.matches(code)), None)


_CODES = (
    re.compile(r"\b(5\.7\.6(?:0[6-9]|[1-4]\d))\b"),  # banned sending IP
    re.compile(r"\b(5\.7\.5(?:0[1-3]|1[13]))\b"),  # banned account, banned sender, customer block list
    re.compile(r"\b(5\.7\.70[58]|5\.7\.750)\b"),  # the tenant
    re.compile(r"\((a?s3\d{3})\)"),  # Outlook.com "(S3150)", "(AS3150)"
    re.compile(r"\b(sc-\d{3})\b"),  # Hotmail "SC-004"
    re.compile(r"\b(4\.7\.(?:[56]\d\d|8[5-9]\d))\b"),  # e.g. 4.7.650 "rate limited due to IP reputation"
    re.compile(r"\b(as\(\d{3,}\))"),
)

# Outlook.com's phrasings count only with a Microsoft marker somewhere in the bounce: another
# receiver's "rate limited due to IP reputation" is not Microsoft's.
_OUTLOOK_MARKER = phrase(r"outlook\.com|hotmail\.com|live\.com|\bmsn\.com|\b4\.7\.65[01]\b|\(a?s3\d{3}\)|\bsc-00\d\b",
                         "outlook", "hotmail", "live.com", "msn", "4.7.65", "(s3", "(as3", "sc-00")

MICROSOFT = Provider(
    key="microsoft",
    name="Microsoft",
    mentions=(
        Mention(phrase(r"banned sending ip|banned sender|\b5\.7\.6(?:0[6-9]|[1-4]\d) access denied|"
                       r"customer block ?list|\b5\.7\.5(?:0[1-3]|1[13])\b|\b5\.7\.70[58]\b|\b5\.7\.750\b|"
                       r"\b4\.7\.8[5-9]\d\b",
                       "banned", "5.7.6", "customer", "5.7.5", "5.7.70", "5.7.750", "4.7.8"),
                name="Microsoft (Exchange Online)", codes=_CODES),
        Mention(phrase(r"part of their network is on our block ?list|\(a?s3\d{3}\)|\bsc-00\d\b|"
                       r"postmaster\.live\.com|mail\.live\.com/mail/troubleshooting",
                       "network", "(s3", "(as3", "sc-00", "live.com"),
                name="Microsoft (Outlook.com)", codes=_CODES),
        # Other receivers say these too: Microsoft's only next to a Microsoft marker. "messages from [IP]
        # weren't sent" is what remains when a notice cuts Outlook.com's reply short.
        Mention(phrase(r"rate limited due to ip reputation|messages from \[?[\d.:a-f]{3,45}\]? weren'?t sent",
                       "reputation", "weren"),
                name="Microsoft (Outlook.com)", codes=_CODES, requires=_OUTLOOK_MARKER),
    ),
    lookup=DELIST_PORTAL,
)
