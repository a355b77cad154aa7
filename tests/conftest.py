"""Shared fixtures: real servers on loopback. The network guard is installed before anything else."""

from __future__ import annotations

from loopback import netguard

netguard.install()

import pytest  # noqa: E402

from loopback.dns_server import LoopbackDNS  # noqa: E402

# Fixtures shared by several test modules live beside the servers they wrap.
pytest_plugins = ["tests.support.fixtures_cli", "tests.support.fixtures_owner", "tests.support.fixtures_state",
                  "tests.support.slack_harness"]


@pytest.fixture(scope="session")
def dns_server():
    """One loopback DNS server for the session; tests edit its table through ``dns``."""
    with LoopbackDNS() as server:
        yield server


@pytest.fixture
def dns(dns_server):
    """The loopback DNS server with an empty table, cleared again after the test."""
    dns_server.clear()
    yield dns_server
    dns_server.clear()
