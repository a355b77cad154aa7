"""What kind of address an IP is: the one classifier the parser, the pipeline and ownership share.

``scope`` sorts every address into a ``Scope`` from the IANA special-purpose registries (RFC 6890
and its updates; see docs/sources.md). The rest of the core asks questions of the scope:
- the parser never takes an address that cannot send mail (``never_sends``) as the blocked one;
- the pipeline checks an address only when blocklists can list it (``problem`` is None);
- ownership asks RDAP only for ``PUBLIC`` addresses: the registries hold nothing else.

Documentation ranges (RFC 5737, RFC 3849) are checked like public ones: anonymised real bounces use
them, and checking them is harmless.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from functools import lru_cache

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Scope(StrEnum):
    PUBLIC = "public"
    DOCUMENTATION = "documentation"
    PRIVATE = "private"  # RFC 1918, shared address space, unique local: the sender's LAN or its ISP's NAT
    LOOPBACK = "loopback"
    LINK_LOCAL = "link_local"
    MULTICAST = "multicast"
    UNSPECIFIED = "unspecified"
    BROADCAST = "broadcast"
    RESERVED = "reserved"  # every other special-purpose block


# (network, scope, name and source). Most specific blocks are found first: the table is searched
# longest prefix first.
_SPECIAL: tuple[tuple[str, Scope, str], ...] = (
    ("0.0.0.0/32", Scope.UNSPECIFIED, "unspecified (RFC 1122)"),
    ("0.0.0.0/8", Scope.RESERVED, "\"this network\" (RFC 791)"),
    ("10.0.0.0/8", Scope.PRIVATE, "private-use (RFC 1918)"),
    ("100.64.0.0/10", Scope.PRIVATE, "shared address space, carrier-grade NAT (RFC 6598)"),
    ("127.0.0.0/8", Scope.LOOPBACK, "loopback (RFC 1122)"),
    ("169.254.0.0/16", Scope.LINK_LOCAL, "link-local (RFC 3927)"),
    ("172.16.0.0/12", Scope.PRIVATE, "private-use (RFC 1918)"),
    ("192.0.0.0/24", Scope.RESERVED, "IETF protocol assignments (RFC 6890)"),
    ("192.0.2.0/24", Scope.DOCUMENTATION, "documentation, TEST-NET-1 (RFC 5737)"),
    ("192.88.99.0/24", Scope.RESERVED, "deprecated 6to4 relay anycast (RFC 7526)"),
    ("192.168.0.0/16", Scope.PRIVATE, "private-use (RFC 1918)"),
    ("198.18.0.0/15", Scope.RESERVED, "benchmarking (RFC 2544)"),
    ("198.51.100.0/24", Scope.DOCUMENTATION, "documentation, TEST-NET-2 (RFC 5737)"),
    ("203.0.113.0/24", Scope.DOCUMENTATION, "documentation, TEST-NET-3 (RFC 5737)"),
    ("224.0.0.0/4", Scope.MULTICAST, "multicast (RFC 5771)"),
    ("255.255.255.255/32", Scope.BROADCAST, "limited broadcast (RFC 919)"),
    ("240.0.0.0/4", Scope.RESERVED, "reserved for future use (RFC 1112)"),
    ("::/128", Scope.UNSPECIFIED, "unspecified (RFC 4291)"),
    ("::1/128", Scope.LOOPBACK, "loopback (RFC 4291)"),
    ("64:ff9b::/96", Scope.RESERVED, "IPv4/IPv6 translation (RFC 6052)"),
    ("100::/64", Scope.RESERVED, "discard-only (RFC 6666)"),
    ("2001:db8::/32", Scope.DOCUMENTATION, "documentation (RFC 3849)"),
    ("fc00::/7", Scope.PRIVATE, "unique local (RFC 4193)"),
    ("fe80::/10", Scope.LINK_LOCAL, "link-local (RFC 4291)"),
    ("ff00::/8", Scope.MULTICAST, "multicast (RFC 4291)"),
)
_TABLE = sorted(((ipaddress.ip_network(net), scope, name) for net, scope, name in _SPECIAL),
                key=lambda row: -row[0].prefixlen)

# Scopes that blocklists cannot list and that are no use to check: what the user is told instead.
_PROBLEMS = {
    Scope.PRIVATE: "private",
    Scope.LOOPBACK: "reserved",
    Scope.LINK_LOCAL: "reserved",
    Scope.MULTICAST: "reserved",
    Scope.UNSPECIFIED: "reserved",
    Scope.BROADCAST: "reserved",
    Scope.RESERVED: "reserved",
}


def parse_ip(text: str) -> Address | None:
    """An address from text, or None. Leading zeros in IPv4 parts are read as decimal (``010`` is
    10), as mail logs write them, not as octal."""
    text = text.strip()
    if "." in text and ":" not in text:
        parts = text.split(".")
        if len(parts) != 4 or not all(part.isdigit() and len(part) <= 3 and int(part) <= 255 for part in parts):
            return None
        text = ".".join(str(int(part)) for part in parts)
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _classify(address: Address) -> tuple[Scope, str]:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _classify(address.ipv4_mapped)
    for network, scope, name in _TABLE:
        if network.version == address.version and address in network:
            return scope, name
    if not address.is_global:
        return Scope.RESERVED, "special-purpose (IANA registry)"
    return Scope.PUBLIC, "public"


def scope(address: Address) -> Scope:
    return _classify(address)[0]


def describe(address: Address) -> str:
    """``"192.168.1.1 is private-use (RFC 1918)"``: for logs and ownership's ``detail``."""
    return f"{address.compressed} is {_classify(address)[1]}"


def problem(address: Address) -> str | None:
    """Why the address is no use to check (``"private"``, ``"reserved"``), or None when it is."""
    return _PROBLEMS.get(scope(address))


def never_sends(address: Address) -> bool:
    """Loopback, unspecified, multicast and broadcast addresses never send mail to anyone: a bounce
    that shows one is quoting something else (a return code, a bind address)."""
    return scope(address) in (Scope.LOOPBACK, Scope.UNSPECIFIED, Scope.MULTICAST, Scope.BROADCAST)


def registered(address: Address) -> bool:
    """A registry (RDAP) can say who holds it."""
    return scope(address) is Scope.PUBLIC


def reverse_label(address: Address) -> str:
    """The RFC 5782 query label: ``192.0.2.1`` -> ``1.2.0.192``; IPv6 -> 32 reversed nibbles."""
    return address.reverse_pointer.removesuffix(".in-addr.arpa" if address.version == 4 else ".ip6.arpa")
