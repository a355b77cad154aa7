"""The guard is what keeps every other test honest: prove it refuses what it must."""

import socket

import pytest

from loopback.netguard import NetworkAccessDenied


def test_udp_sendto_outside_loopback_is_refused():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkAccessDenied):
        sock.sendto(b"x", ("192.0.2.1", 53))


def test_tcp_connect_outside_loopback_is_refused():
    with socket.socket() as sock, pytest.raises(NetworkAccessDenied):
        sock.connect(("198.51.100.7", 43))


def test_name_resolution_of_public_names_is_refused():
    with pytest.raises(NetworkAccessDenied):
        socket.getaddrinfo("whois.cymru.com", 43)


def test_loopback_is_allowed(dns):
    from dnslib import DNSRecord

    dns.add("ok.test", "A", "127.0.0.9")
    reply = DNSRecord.parse(DNSRecord.question("ok.test").send(dns.host, dns.port, timeout=2))
    assert str(reply.rr[0].rdata) == "127.0.0.9"
