"""IANA's RDAP bootstrap files (RFC 9224), shipped as package data: which registry answers for an
address, decided before any request."""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path

import pytest

from bot.diagnosis.owner.bootstrap import DATA, FILES, Bootstrap
from loopback.rdap_server import OWNER_FIXTURES

ROOT = Path(__file__).resolve().parent.parent
REGISTRIES = {"afrinic", "apnic", "arin", "lacnic", "ripencc"}


def test_the_shipped_files_name_every_regional_registry():
    bootstrap = Bootstrap.shipped()

    assert {service.registry for service in bootstrap.services} == REGISTRIES
    assert all(service.base_url.startswith("https://") for service in bootstrap.services)


@pytest.mark.parametrize("label", sorted(OWNER_FIXTURES))
def test_each_recorded_address_is_sent_to_the_registry_that_answered_it(label):
    fixture = OWNER_FIXTURES[label]

    service = Bootstrap.shipped().service_for(ipaddress.ip_address(fixture.ip))

    assert service is not None and service.registry == fixture.registry


def test_the_most_specific_range_wins():
    bootstrap = Bootstrap([{"services": [[["2001::/16"], ["https://rdap.arin.net/registry/"]],
                                         [["2001:4200::/23"], ["http://rdap.afrinic.net/rdap/",
                                                               "https://rdap.afrinic.net/rdap/"]]]}])

    service = bootstrap.service_for(ipaddress.ip_address("2001:4200::1"))

    assert service is not None and service.ip_url("2001:4200::1") == "https://rdap.afrinic.net/rdap/ip/2001:4200::1"


def test_a_file_that_is_not_a_bootstrap_file_is_refused():
    with pytest.raises(ValueError, match="services"):
        Bootstrap([{"description": "something else"}])


def test_the_files_ship_with_the_package():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["bot.diagnosis.owner"]
    owner = ROOT / "bot" / "diagnosis" / "owner"

    shipped = {path.relative_to(owner).as_posix() for pattern in package_data for path in owner.glob(pattern)}

    assert {f"{DATA}/{name}" for name in FILES} <= shipped
