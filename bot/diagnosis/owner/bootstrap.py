"""Which registry answers RDAP for an address, decided locally from IANA's RDAP bootstrap files
(RFC 9224): ``rdap_bootstrap/ipv4.json`` and ``ipv6.json`` beside this module, shipped as package
data and refreshed by ``make rdap-bootstrap``. Where each copy came from and its date:
``rdap_bootstrap/README.md``; the format and the RIRs' services: docs/sources.md, "Ownership lookups".

Knowing the registry before any request lets the RDAP query go out at once, beside Team Cymru's
origin-AS query instead of after it. The bootstrap hosts are also the only hosts an RDAP redirect
may lead to (``lookup``)."""

from __future__ import annotations

import functools
import ipaddress
import json
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

DATA = "rdap_bootstrap"
FILES = ("ipv4.json", "ipv6.json")

# The RIRs' RDAP hosts under the names Team Cymru and ipwhois give the registries.
REGISTRY_HOSTS = {
    "rdap.afrinic.net": "afrinic",
    "rdap.apnic.net": "apnic",
    "rdap.arin.net": "arin",
    "rdap.lacnic.net": "lacnic",
    "rdap.db.ripe.net": "ripencc",
}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Service:
    """One registry's RDAP service: its base URL, ending in "/" (``https://rdap.arin.net/registry/``)."""

    base_url: str

    @property
    def host(self) -> str:
        return (urllib.parse.urlsplit(self.base_url).hostname or "").lower()

    @property
    def registry(self) -> str | None:
        """``"arin"``, ``"ripencc"`` …: Cymru's name for the registry; None for a service not an RIR."""
        return REGISTRY_HOSTS.get(self.host)

    def ip_url(self, address: str) -> str:
        return f"{self.base_url}ip/{address}"

    def entity_url(self, handle: str) -> str:
        return f"{self.base_url}entity/{urllib.parse.quote(handle, safe='')}"


class Bootstrap:
    """Address ranges -> RDAP service, most specific range first."""

    def __init__(self, documents: Iterable[Any]):
        ranges: list[tuple[Network, Service]] = []
        self.publications: list[str] = []
        for document in documents:
            if not isinstance(document, dict) or not isinstance(document.get("services"), list):
                raise ValueError("not an RDAP bootstrap file: no 'services' list")
            self.publications.append(str(document.get("publication") or "?"))
            for entry in document["services"]:
                networks, urls = entry[0], entry[1]
                service = Service(_base_url(urls))
                ranges.extend((ipaddress.ip_network(network, strict=False), service) for network in networks)
        if not ranges:
            raise ValueError("the bootstrap files name no address range")
        self._ranges = sorted(ranges, key=lambda item: -item[0].prefixlen)
        self.services = tuple(dict.fromkeys(service for _, service in ranges))

    @classmethod
    def shipped(cls) -> Bootstrap:
        """The files shipped with the bot (read once per process)."""
        return _shipped()

    @property
    def hosts(self) -> frozenset[str]:
        """Every host the files name: the only hosts an RDAP redirect may lead to."""
        return frozenset(service.host for service in self.services)

    def service_for(self, address: Address) -> Service | None:
        """The service whose range holds ``address``; None outside every range."""
        return next((service for network, service in self._ranges
                     if network.version == address.version and address in network), None)

    def service_at(self, url: str) -> Service | None:
        """The service whose host answered ``url`` (after a redirect to another registry, say)."""
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        return next((service for service in self.services if service.host == host), None)

    def service_of(self, registry: str) -> Service | None:
        """The service of a registry named as Cymru names it (``"ripencc"``): the fallback for an
        address in no range, when Cymru says which registry holds it."""
        return next((service for service in self.services if service.registry == registry), None)


def _base_url(urls: Any) -> str:
    """The HTTPS URL of a service (RFC 9224 section 3 lists HTTP beside it for some), ending in "/"."""
    candidates = [url for url in urls if isinstance(url, str)] if isinstance(urls, list) else []
    url = next((url for url in candidates if url.startswith("https://")), None)
    if url is None:
        raise ValueError(f"no HTTPS URL among {candidates!r}")
    return url if url.endswith("/") else url + "/"


@functools.cache
def _shipped() -> Bootstrap:
    directory = resources.files(__package__ or "bot.diagnosis.owner").joinpath(DATA)
    return Bootstrap(json.loads(directory.joinpath(name).read_text(encoding="utf-8")) for name in FILES)
