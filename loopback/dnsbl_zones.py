"""DNSBL-shaped data for the loopback DNS server, and a checker pointed at it. Reusable by any test:

    serve_healthy_lists(dns)                       # every default list answers its RFC 5782 test points
    list_ip(dns, "192.0.2.1", "zen.spamhaus.org", "127.0.0.2", txt="https://.../SBL123456")
    report = await checker(dns).check("192.0.2.1")
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.diagnosis.dnsbl import DnsblChecker, reverse_name
from bot.diagnosis.options import Nameserver
from bot.diagnosis.providers import DEFAULT, Zone
from loopback.dns_server import LoopbackDNS

# What zen really answers for its test point 127.0.0.2 (dnsbl.md): SBL, XBL and PBL at once.
ZEN_TEST_POINT = ("127.0.0.2", "127.0.0.4", "127.0.0.10")
IPV6_TEST_POINT = "::ffff:7f00:2"
ZEN_TEST_POINT_TXT = (
    "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL2",
    "Listed by XBL, see https://check.spamhaus.org/query/ip/127.0.0.2",
    "Listed by PBL, see https://check.spamhaus.org/query/ip/127.0.0.2",
)


def query_zone(dnsbl: Zone, dqs_key: str = "") -> str:
    """The zone as queried: with a DQS key, ``<key>.zen.dq.spamhaus.net`` for Spamhaus."""
    return f"{dqs_key}.{dnsbl.keyed_zone}" if dqs_key and dnsbl.keyed_zone else dnsbl.zone


def list_ip(dns: LoopbackDNS, ip: str, zone: str, *codes: str, txt: str | Sequence[str] | None = None) -> None:
    """Make ``zone`` (as queried) list ``ip`` with A records ``codes`` and optional TXT records."""
    name = f"{reverse_name(ip)}.{zone}"
    if codes:
        dns.add(name, "A", *codes)
    if txt is not None:
        dns.add(name, "TXT", *((txt,) if isinstance(txt, str) else txt))


def list_domain(dns: LoopbackDNS, domain: str, zone: str, *codes: str, txt: str | Sequence[str] | None = None) -> None:
    """Make the domain list ``zone`` (as queried) list ``domain`` with A records ``codes`` and TXT."""
    if codes:
        dns.add(f"{domain}.{zone}", "A", *codes)
    if txt is not None:
        dns.add(f"{domain}.{zone}", "TXT", *((txt,) if isinstance(txt, str) else txt))


def serve_healthy_lists(dns: LoopbackDNS, *, dqs_key: str = "", lists: Sequence[Zone] = DEFAULT.zones) -> None:
    """Every list answers like a healthy resolver path: 127.0.0.2 listed, 127.0.0.1 NXDOMAIN, and for
    the lists that serve IPv6 ::ffff:7f00:2 listed, ::ffff:7f00:1 NXDOMAIN (RFC 5782 section 5).
    The domain lists answer their own test points (dbltest.com listed, "invalid" not)."""
    for dnsbl in DEFAULT.domain_zones if lists is DEFAULT.zones else ():
        if dnsbl.domain_test_points:
            list_domain(dns, dnsbl.domain_test_points[0], query_zone(dnsbl, dqs_key), "127.0.1.2",
                        txt=f"{dnsbl.name} test point")
    for dnsbl in lists:
        zone = query_zone(dnsbl, dqs_key)
        points = ("127.0.0.2", IPV6_TEST_POINT) if dnsbl.ipv6 else ("127.0.0.2",)
        for point in points:
            if dnsbl.provider == "spamhaus":
                list_ip(dns, point, zone, *ZEN_TEST_POINT, txt=ZEN_TEST_POINT_TXT)
            else:
                list_ip(dns, point, zone, "127.0.0.2", txt=f"{dnsbl.name} test point")


def checker(dns: LoopbackDNS, *, query_timeout: float = 0.5, total_timeout: float = 2.0, **options) -> DnsblChecker:
    """A DnsblChecker that asks only the loopback server, with test-sized timeouts."""
    return DnsblChecker((Nameserver("127.0.0.1", dns.port),), query_timeout=query_timeout, total_timeout=total_timeout,
                        resolver_label=dns.address, **options)
