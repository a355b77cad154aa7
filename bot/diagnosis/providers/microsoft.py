"""Microsoft: Exchange Online's and Outlook.com's own block lists, the codes their bounces carry, and
where each is lifted. Not a DNSBL: the bounce itself is the evidence.

Sources (docs/sources.md, "Microsoft"): "Email non-delivery reports and SMTP errors in Exchange
Online", "Use the delist portal to remove yourself from the blocked senders list", and the
Outlook.com postmaster pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.diagnosis.providers.base import Mention, Provider, phrase

DELIST_PORTAL = "https://sender.office.com"
DELIST_MAIL = "delist@microsoft.com"
OUTLOOK_SENDER_SUPPORT = "https://olcsupport.office.com/"
ASNS = ("8075", "8068", "8069", "3598", "12076")  # Microsoft's own networks (AS8075 is EOP's)


@dataclass(frozen=True)
class Step:
    """A fix step of a Microsoft route: a catalogue key, its link, and parameters ("{ip}" filled in)."""

    key: str
    url: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """The codes of one Microsoft block and how it is lifted."""

    codes: re.Pattern[str]  # matched whole against an upper-case code: "5.7.606", "S3150"
    kind: str
    steps: tuple[Step, ...]

    def matches(self, code: str | None) -> bool:
        return code is not None and self.codes.fullmatch(code.strip().upper()) is not None


def _route(codes: str, kind: str, *steps: Step) -> Route:
    return Route(re.compile(codes), kind, steps)


_PORTAL = Step("fix.ms.delist_portal", DELIST_PORTAL, {"ip": "{ip}"})

# Enhanced status codes of Microsoft's own lists and policies (Microsoft's NDR reference).
ROUTES: tuple[Route, ...] = (
    _route(r"5\.7\.6(?:0[6-9]|[1-4]\d)", "ms_banned_ip", _PORTAL, Step("fix.ms.delist_wait")),
    _route(r"5\.7\.511", "ms_banned_sender", Step("fix.ms.banned_sender", params={"mail": DELIST_MAIL})),
    _route(r"5\.7\.513", "ms_customer_block", Step("fix.ms.customer_block")),
    _route(r"5\.7\.70[58]", "ms_tenant", Step("fix.ms.tenant")),
    _route(r"5\.7\.750", "ms_unregistered_domain", Step("fix.ms.unregistered_domain")),
    _route(r"4\.7\.[56]\d\d", "ms_throttled", Step("fix.ms.throttled")),
)
# Outlook.com's own codes ("(S3150)", Hotmail "SC-004"): its sender support form. Read after the
# status codes, which say more.
OUTLOOK = _route(r"S3\d{3}|SC-?\d{3}", "outlook",
                 Step("fix.ms.outlook_form", OUTLOOK_SENDER_SUPPORT, {"ip": "{ip}"}))
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
    re.compile(r"\b(5\.7\.51[13])\b"),  # banned sender / customer block list
    re.compile(r"\b(5\.7\.70[58]|5\.7\.750)\b"),
    re.compile(r"\((s3\d{3})\)"),  # Outlook.com "(S3150)"
    re.compile(r"\b(sc-\d{3})\b"),  # Hotmail "SC-004"
    re.compile(r"\b(4\.7\.[56]\d\d)\b"),  # throttling, e.g. 4.7.650 "rate limited due to IP reputation"
    re.compile(r"\b(as\(\d{3,}\))"),
)

MICROSOFT = Provider(
    key="microsoft",
    name="Microsoft",
    mentions=(
        Mention(phrase(r"banned sending ip|banned sender|\b5\.7\.6(?:0[6-9]|[1-4]\d) access denied|"
                       r"customer block ?list|\b5\.7\.51[13]\b", "banned", "5.7.6", "customer", "5.7.51"),
                name="Microsoft (Exchange Online)", codes=_CODES),
        Mention(phrase(r"part of their network is on our block ?list|\(s3\d{3}\)|\bsc-00\d\b|"
                       r"rate limited due to ip reputation|postmaster\.live\.com|mail\.live\.com/mail/troubleshooting",
                       "network", "(s3", "sc-00", "reputation", "live.com"),
                name="Microsoft (Outlook.com)", codes=_CODES),
    ),
    lookup=DELIST_PORTAL,
)
