"""Which DNS servers every lookup asks (DNSBL, reverse DNS, ASN): ``DNS_NAMESERVERS`` (with ports), or
when it is empty the system's resolv.conf, read once. The queries themselves are in ``dnsquery``.

Spamhaus refuses public resolvers, so which path the queries take matters: see dnsbl.self_test.
"""

from __future__ import annotations

import dns.exception
import dns.resolver

from bot.diagnosis.options import Nameserver


def nameservers_or_system(nameservers: tuple[Nameserver, ...]) -> tuple[Nameserver, ...]:
    """``nameservers``, or those of /etc/resolv.conf; none when it names none (every query then
    fails as "unreachable")."""
    if nameservers:
        return nameservers
    try:
        system = dns.resolver.Resolver()  # reads /etc/resolv.conf
    except dns.exception.DNSException:  # no resolv.conf, or one naming no server
        return ()
    return tuple(Nameserver(str(getattr(server, "address", server)), int(getattr(server, "port", system.port)))
                 for server in system.nameservers)
