"""``RDAP_RELAY``: an urllib opener that sends every RDAP request in plain HTTP to one relay, keeping
the original Host header and path (an internal RDAP mirror; the tests' recorded-RDAP server).
Redirects are followed only to the registries' RDAP hosts, judged by the original host (``fetch``)."""

from __future__ import annotations

import http.client
import urllib.parse
import urllib.request
from typing import Any

from bot.diagnosis.owner.bootstrap import Bootstrap
from bot.diagnosis.owner.fetch import RegistryRedirects


class RelayOpener(urllib.request.OpenerDirector):
    """An opener that sends every http(s) request to ``relay_url`` instead; see make_relay_opener."""

    relay_url: str = ""


class _RelayConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, prefix: str, timeout: Any):
        super().__init__(host, port, timeout=timeout)
        self._prefix = prefix

    def putrequest(self, method: str, url: str, skip_host: bool = False, skip_accept_encoding: bool = False) -> None:
        super().putrequest(method, self._prefix + url, skip_host, skip_accept_encoding)


class _RelayHandler(urllib.request.AbstractHTTPHandler):
    def __init__(self, host: str, port: int, prefix: str):
        super().__init__()
        self._relay = (host, port, prefix)

    def _connect(self, _original_host: str, timeout: Any = None, **_tls_args: Any) -> _RelayConnection:
        return _RelayConnection(*self._relay, timeout=timeout)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connect, req)

    https_open = http_open
    http_request = urllib.request.AbstractHTTPHandler.do_request_  # sets Host: the original host
    https_request = http_request


def make_relay_opener(relay_url: str, redirect_hosts: frozenset[str] | None = None) -> urllib.request.OpenerDirector:
    """An opener that sends every HTTP and HTTPS request in plain HTTP to ``relay_url``
    (``http://host:port``, optionally with a path prefix), keeping the original Host header and
    path: ``https://rdap.arin.net/registry/ip/1.2.3.4`` becomes ``GET /registry/ip/1.2.3.4``
    with ``Host: rdap.arin.net`` at the relay. For an internal RDAP mirror (``RDAP_RELAY``) and
    the recorded-RDAP server of the tests. Environment proxies are not used. A redirect is
    followed only to ``redirect_hosts`` (default: the hosts of the shipped bootstrap files)."""
    parts = urllib.parse.urlsplit(relay_url.strip())
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"RDAP_RELAY must be a plain http:// URL such as http://127.0.0.1:8081, not {relay_url!r}")
    opener = RelayOpener()
    opener.relay_url = relay_url.strip()
    for handler in (
        _RelayHandler(parts.hostname, parts.port or 80, parts.path.rstrip("/")),
        urllib.request.HTTPDefaultErrorHandler(),  # 4xx/5xx raise HTTPError: a 429 is told apart by it
        # a redirect to another RIR goes through the relay too; to any other host, nowhere
        RegistryRedirects(Bootstrap.shipped().hosts if redirect_hosts is None else redirect_hosts),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


