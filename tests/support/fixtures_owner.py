"""Pytest fixtures for ownership tests: the recorded-RDAP server and an OwnerLookup wired to it and
to the loopback DNS server. Registered for every test by ``pytest_plugins`` in tests/conftest.py."""

from __future__ import annotations

import pytest

from bot.config import Nameserver
from bot.diagnosis.owner import OwnerLookup, make_relay_opener
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures


@pytest.fixture(scope="session")
def rdap_server():
    """One recorded-RDAP server for the session; tests program it through ``rdap``."""
    with RecordedRDAP() as server:
        yield server


@pytest.fixture
def rdap(rdap_server):
    """The recorded-RDAP server with no failures, no latency and no recorded requests."""
    rdap_server.reset()
    yield rdap_server
    rdap_server.reset()


@pytest.fixture
def owner_ips(dns, rdap):
    """``{label: ip}`` of the ownership fixtures, with their ASN, PTR and A records in ``dns``."""
    return serve_owner_fixtures(dns, rdap)


@pytest.fixture
def owners(dns, rdap):
    """An OwnerLookup that asks only the loopback DNS and recorded-RDAP servers."""
    lookup = OwnerLookup(nameservers=(Nameserver(dns.host, dns.port),), dns_timeout=1.0, rdap_timeout=2.0,
                         cache_ttl=3600.0, opener=make_relay_opener(rdap.url))
    yield lookup
    lookup.close()
