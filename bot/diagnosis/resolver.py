"""One resolver configuration for every DNS lookup the bot makes (DNSBL, reverse DNS, ASN).

``DNS_NAMESERVERS`` picks the servers (with ports); empty means the system's resolv.conf.
Spamhaus refuses public resolvers, so which path the queries take matters: see dnsbl.self_test.
"""

from __future__ import annotations

import dns.asyncresolver
import dns.nameserver

from bot.diagnosis.options import Nameserver


def make_async_resolver(nameservers: tuple[Nameserver, ...], timeout: float) -> dns.asyncresolver.Resolver:
    resolver = dns.asyncresolver.Resolver(configure=not nameservers)
    if nameservers:
        resolver.nameservers = [dns.nameserver.Do53Nameserver(ns.host, ns.port) for ns in nameservers]
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.cache = None  # the bot caches whole results itself, with its own TTL
    return resolver
