"""A real HTTP server on loopback that answers as the RIRs' RDAP services do, from recorded JSON.

Point the ownership lookup at it with ``make_relay_opener(rdap.url)`` (``RDAP_RELAY``): requests
keep their original Host (``rdap.arin.net``, ``rdap.db.ripe.net``) and path, and are routed by both.
Like a real RIR, the server answers ``.../ip/<address>`` with the most specific network object
holding the address and ``.../entity/<handle>`` with that entity; anything else is an RDAP 404.
Every request is recorded for counting; latency and failures (HTTP 429 with Retry-After, 500, a
hang) can be programmed, and so can an answer that costs the client: thousands of entity handles, a
body of hundreds of megabytes, a redirect to another host.

Fixtures live in ``tests/fixtures/rdap/<host>/*.json``, one RDAP object per file. The first five
labels are hand-written in the shapes ARIN and RIPE NCC send (illustrative values); the others are
real answers of the five RIRs recorded by public RDAP clients' test suites, kept as recorded (their
source and licence: tests/fixtures/rdap/SOURCES.md):

========================  ================  =====================================================
label                     IP                what it shows
========================  ================  =====================================================
``microsoft``             40.107.22.33      ARIN ``NET-40-74-0-0-1`` (a range of 8 CIDRs),
                                            registrant MSFT with nested abuse/tech/admin contacts,
                                            AS8075, no country in RDAP (US from Cymru), rDNS
                                            forward-confirmed (Exchange Online outbound)
``hetzner``               88.198.20.10      RIPE NCC ``88.198.0.0 - 88.198.255.255``, as RIPE NCC
                                            answers: organisation, contacts and maintainer as bare
                                            handles (the organisation's record at ``/entity/``),
                                            abuse contact inline, AS24940, DE, rDNS
                                            forward-confirmed
``hetzner_no_ptr``        88.198.20.11      the same network, no PTR record
``hostile``               45.61.150.7       ARIN, organisation and AS names full of Slack markup
                                            (``<!channel>``, ``*bold*``, backticks, a disguised
                                            link), AS64500 (documentation ASN), rDNS that does not
                                            forward-confirm
``google``                8.8.8.8           ARIN ``NET-8-8-8-0-2`` (doctor's RDAP probe), AS15169
``sohonet_customer``      208.65.211.5      ARIN reassignment (``ASSIGNMENT``) to customer
                                            C07042746 "Group-Nine-Media-26W": no abuse contact of
                                            its own; the ISP, Sohonet (SUL-8, abuse NOC3148), is
                                            nested in the customer; parent link rel="up" to
                                            208.65.208.0/21 (not recorded: 404). AS5555, no PTR
``ripe_ncc``              193.0.6.139       RIPE NCC ``RIPE-NCC``: organisation ORG-RIEN1-RIPE as a
                                            bare handle (its record is recorded too), abuse
                                            OPS4-RIPE inline, AS3333, PTR www.ripe.net
``boranet_krnic``         210.107.73.73     APNIC block delegated through KRNIC: abuse role is
                                            KRNIC's IRT; the holder's contact DB50-AP names
                                            abuse@bora.net in its remarks. AS3786, no PTR
``iij_jpnic``             2001:240:10c:1::  APNIC block delegated through JPNIC
                          ca20:9d1d         (``IIJ-JPNIC-JP-20000308``): only JPNIC's own contact,
                                            described by JPNIC's name; no abuse contact. AS2497
``mtn_business``          196.11.240.215    AFRINIC ``ORG-VSA1-AFRINIC``: entities without roles,
                                            the organisation's vCard named by its handle, abuse
                                            address only in a remark. AS12091, no PTR
``triara``                200.57.141.161    LACNIC: registrant MX-TSCV6-LACNIC, abuse RYT2.
                                            AS19373, no PTR
========================  ================  =====================================================
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from loopback.background import InBackground, QuietHandler
from loopback.dns_server import LoopbackDNS

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "rdap"
HOSTILE_NAME = "<!channel> *bold* `rm -rf /` <https://evil.example|spamhaus.org> Hosting Ltd"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # arrival, to tell side by side from one after another


@dataclass
class _Failure:
    kind: str  # "rate_limit", "server_error", "hang", "many_handles", "huge_body", "redirect"
    host: str | None
    path_prefix: str | None
    retry_after: int | None = None
    count: int = 0  # many_handles: how many; huge_body: bytes
    location: str = ""  # redirect: where to

    def matches(self, host: str, path: str) -> bool:
        return (self.host is None or self.host == host) and (
            self.path_prefix is None or path.startswith(self.path_prefix))


@dataclass
class _Routes:
    networks: dict[str, list[tuple[ipaddress.IPv4Address | ipaddress.IPv6Address,
                                   ipaddress.IPv4Address | ipaddress.IPv6Address, dict]]] = field(default_factory=dict)
    entities: dict[tuple[str, str], dict] = field(default_factory=dict)

    def load(self, directory: Path) -> None:
        for path in sorted(directory.glob("*/*.json")):
            host = path.parent.name.lower()
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("objectClassName") == "ip network":
                start = ipaddress.ip_address(document["startAddress"])
                end = ipaddress.ip_address(document["endAddress"])
                networks = self.networks.setdefault(host, [])
                if not any(s == start and e == end for s, e, _ in networks):
                    networks.append((start, end, document))
            elif document.get("objectClassName") == "entity":
                self.entities[(host, document["handle"].upper())] = document
            else:
                raise ValueError(f"{path}: not an RDAP ip network or entity object")

    def answer(self, host: str, path: str) -> dict | None:
        route = path.split("?", 1)[0]
        if "/ip/" in route:  # /ip/<address> or /ip/<prefix>/<length> (a parent's "up" link)
            try:
                wanted = ipaddress.ip_network(route.split("/ip/", 1)[1], strict=False)
            except ValueError:
                return None
            first, last = wanted[0], wanted[-1]
            holding = [(int(end) - int(start), document) for start, end, document in self.networks.get(host, [])
                       if start.version == wanted.version and start <= first and last <= end]
            return min(holding, key=lambda item: item[0])[1] if holding else None
        kind, _, key = route.rpartition("/")
        if kind.endswith("/entity"):
            return self.entities.get((host, key.upper()))
        return None


class RecordedRDAP(InBackground):
    """``with RecordedRDAP() as rdap: opener = make_relay_opener(rdap.url)``."""

    _thread_name = "recorded-rdap"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, fixtures: Path = FIXTURES):
        self.routes = _Routes()
        self.routes.load(fixtures)
        self.requests: list[RecordedRequest] = []
        self.latency = 0.0  # added to every answer
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends hanging requests
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- programming -----------------------------------------------------------------------------
    def rate_limit(self, host: str | None = None, path_prefix: str | None = None, retry_after: int = 30) -> None:
        self._failures.append(_Failure("rate_limit", host, path_prefix, retry_after))

    def server_error(self, host: str | None = None, path_prefix: str | None = None) -> None:
        self._failures.append(_Failure("server_error", host, path_prefix))

    def hang(self, host: str | None = None, path_prefix: str | None = None) -> None:
        """Accept the request and never answer (until ``reset`` or ``stop``)."""
        self._failures.append(_Failure("hang", host, path_prefix))

    def many_handles(self, count: int, host: str | None = None, path_prefix: str | None = None) -> None:
        """Answer as usual, plus ``count`` bare organisation handles (``ORG-FLOOD<n>-RIPE``, registrants
        without a vCard, each of which an unbounded client would fetch) after the document's own."""
        self._failures.append(_Failure("many_handles", host, path_prefix, count=count))

    def huge_body(self, size: int, host: str | None = None, path_prefix: str | None = None) -> None:
        """Answer 200 with ``size`` bytes of JSON that never closes, streamed without a Content-Length
        (the end of the body is the end of the connection), until sent or the client hangs up."""
        self._failures.append(_Failure("huge_body", host, path_prefix, count=size))

    def redirect(self, location: str, host: str | None = None, path_prefix: str | None = None,
                 status: int = 302) -> None:
        """Answer with a redirect to ``location`` (an absolute URL, any host)."""
        self._failures.append(_Failure("redirect", host, path_prefix, retry_after=status, location=location))

    def reset(self) -> None:
        """Forget failures, latency and recorded requests; release hanging requests."""
        self._release.set()
        with self._lock:
            self._failures.clear()
            self.requests.clear()
            self.latency = 0.0
        self._release = threading.Event()

    # --- inspection ------------------------------------------------------------------------------
    def count(self, host: str | None = None, path_prefix: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests
                       if (host is None or r.host == host) and (path_prefix is None or r.path.startswith(path_prefix)))

    def arrivals(self) -> dict[str, float]:
        """Path -> when it (first) arrived, on ``time.monotonic``."""
        with self._lock:
            arrived: dict[str, float] = {}
            for request in self.requests:
                arrived.setdefault(request.path, request.at)
            return arrived

    def paths(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(r.host, r.path) for r in self.requests]

    def stop(self) -> None:
        self._release.set()  # hanging requests end first, or shutdown would wait for them
        super().stop()

    # --- used by the handler ---------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> tuple[_Failure | None, float, threading.Event]:
        with self._lock:
            self.requests.append(request)
            failure = next((f for f in self._failures if f.matches(request.host, request.path)), None)
            return failure, self.latency, self._release


def _handler_for(server: RecordedRDAP) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):

        def do_GET(self):
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            failure, latency, release = server._record(
                RecordedRequest("GET", host, self.path, {k.lower(): v for k, v in self.headers.items()}))
            answer = self._answer(host, failure)  # built before the wait: the wait alone stands for the distance
            if latency:
                time.sleep(latency)
            if failure and failure.kind == "hang":
                release.wait(60)
                self.close_connection = True
                return
            if failure and failure.kind == "huge_body":
                self._stream(failure.count)
                return
            if answer:
                self.send_body(*answer)

        def _answer(self, host: str, failure: _Failure | None) -> tuple[int, bytes, str, dict[str, str]] | None:
            """(status, body, content type, headers), or None for a hang or a stream."""
            if failure and failure.kind in ("hang", "huge_body"):
                return None
            if failure and failure.kind == "rate_limit":
                return self._json(429, {"errorCode": 429, "title": "Too Many Requests"},
                                  {"Retry-After": str(failure.retry_after)})
            if failure and failure.kind == "server_error":
                return self._json(500, {"errorCode": 500, "title": "Internal Server Error"})
            if failure and failure.kind == "redirect":
                return self._json(failure.retry_after or 302, {"errorCode": failure.retry_after, "title": "Moved"},
                                  {"Location": failure.location})
            document = server.routes.answer(host, self.path)
            if document is None:
                return self._json(404, {"errorCode": 404, "title": "Not Found",
                                        "description": [f"No object found for {self.path}"]})
            if failure and failure.kind == "many_handles":
                flood = [{"handle": f"ORG-FLOOD{n}-RIPE", "roles": ["registrant"], "objectClassName": "entity"}
                         for n in range(failure.count)]
                document = {**document, "entities": [*document.get("entities", []), *flood]}
            return self._json(200, document)

        def _stream(self, size: int) -> None:
            """``size`` bytes, in 64 KiB writes; stops when the client hangs up."""
            self.close_connection = True
            chunk = b"x" * 65536
            with contextlib.suppress(ConnectionError, OSError):
                self.send_response(200)
                self.send_header("Content-Type", "application/rdap+json")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b'{"objectClassName": "ip network", "remarks": [{"description": ["')
                sent = 0
                while sent < size:
                    self.wfile.write(chunk)
                    sent += len(chunk)

        @staticmethod
        def _json(status: int, body: dict, headers: dict[str, str] | None = None) -> tuple[int, bytes, str, dict]:
            return status, json.dumps(body).encode(), "application/rdap+json", headers or {}

    return Handler


# --- DNS: Team Cymru ASN records and reverse DNS -------------------------------------------------

def cymru_origin_name(ip: str) -> str:
    """``<reversed ip>.origin.asn.cymru.com`` (v4) or ``<reversed nibbles>.origin6.asn.cymru.com``,
    with ipwhois's quirk of dropping trailing all-zero IPv6 groups."""
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return ".".join(reversed(address.exploded.split("."))) + ".origin.asn.cymru.com"
    groups = address.exploded.split(":")
    while groups and groups[-1] == "0000":
        groups.pop()
    return ".".join(reversed("".join(groups))) + ".origin6.asn.cymru.com"


def add_cymru(dns: LoopbackDNS, ip: str, *, asn: str, cidr: str, country: str, registry: str, allocated: str,
              as_name: str, as_allocated: str) -> None:
    """The two TXT records ipwhois reads: IP -> origin ASN, and ASN -> AS name."""
    _add_once(dns, cymru_origin_name(ip), "TXT", f"{asn} | {cidr} | {country} | {registry} | {allocated}")
    _add_once(dns, f"AS{asn}.asn.cymru.com", "TXT", f"{asn} | {country} | {registry} | {as_allocated} | {as_name}")


def _add_once(dns: LoopbackDNS, name: str, rtype: str, value: str) -> None:
    if value not in dns.table.records.get((name.lower(), rtype), []):
        dns.add(name, rtype, value)


def add_ptr(dns: LoopbackDNS, ip: str, name: str, *, forward: tuple[str, ...] | None = None) -> None:
    """PTR ``ip -> name`` and, unless ``forward=()``, ``name -> forward`` (default: the IP itself)."""
    address = ipaddress.ip_address(ip)
    dns.add(address.reverse_pointer, "PTR", name)
    for target in (address.compressed,) if forward is None else forward:
        _add_once(dns, name, "A" if ipaddress.ip_address(target).version == 4 else "AAAA", target)


@dataclass(frozen=True)
class OwnerFixture:
    ip: str
    asn: str
    asn_cidr: str
    country: str
    registry: str
    as_name: str
    ptr: str | None = None
    forward: tuple[str, ...] | None = None  # None: the PTR name resolves back to the IP


OWNER_FIXTURES: dict[str, OwnerFixture] = {
    "microsoft": OwnerFixture("40.107.22.33", "8075", "40.107.0.0/16", "US", "arin",
                              "MICROSOFT-CORP-MSN-AS-BLOCK, US",
                              ptr="mail-am6eur05on2033.outbound.protection.outlook.com"),
    "hetzner": OwnerFixture("88.198.20.10", "24940", "88.198.0.0/16", "DE", "ripencc", "HETZNER-AS, DE",
                            ptr="static.10.20.198.88.clients.your-server.de"),
    "hetzner_no_ptr": OwnerFixture("88.198.20.11", "24940", "88.198.0.0/16", "DE", "ripencc", "HETZNER-AS, DE"),
    "hostile": OwnerFixture("45.61.150.7", "64500", "45.61.144.0/20", "US", "arin",
                            "EVIL-AS <!here> *bold*, US", ptr="mail.evil.example", forward=("45.61.150.99",)),
    "google": OwnerFixture("8.8.8.8", "15169", "8.8.8.0/24", "US", "arin", "GOOGLE, US",
                           ptr="dns.google", forward=("8.8.8.8", "8.8.4.4")),
    # Recorded answers (tests/fixtures/rdap/SOURCES.md). Origin AS, prefix, country and registry as
    # the same recordings state them (ipwhois keeps Cymru's answer beside each); AS names as Cymru
    # writes them, for display only.
    "sohonet_customer": OwnerFixture("208.65.211.5", "5555", "208.65.208.0/21", "US", "arin", "SOHONET, GB"),
    "ripe_ncc": OwnerFixture("193.0.6.139", "3333", "193.0.0.0/21", "NL", "ripencc",
                             "RIPE-NCC-AS Reseaux IP Europeens Network Coordination Centre (RIPE NCC), NL",
                             ptr="www.ripe.net"),
    "boranet_krnic": OwnerFixture("210.107.73.73", "3786", "210.107.0.0/17", "KR", "apnic",
                                  "LGDACOM LG DACOM Corporation, KR"),
    "iij_jpnic": OwnerFixture("2001:240:10c:1::ca20:9d1d", "2497", "2001:240::/32", "JP", "apnic",
                              "IIJ Internet Initiative Japan Inc., JP"),
    "mtn_business": OwnerFixture("196.11.240.215", "12091", "196.11.240.0/23", "ZA", "afrinic", "MTNNS-AS, ZA"),
    "triara": OwnerFixture("200.57.141.161", "19373", "200.57.128.0/20", "MX", "lacnic",
                           "Triara.com, S.A. de C.V., MX"),
}


def serve_owner_fixtures(dns: LoopbackDNS, rdap: RecordedRDAP) -> dict[str, str]:
    """Load the Cymru TXT, PTR and A records of every fixture address into ``dns`` (the RDAP server
    already serves the recorded objects). Returns ``{label: ip}``."""
    assert rdap.routes.networks, f"no RDAP fixtures loaded from {FIXTURES}"
    for fixture in OWNER_FIXTURES.values():
        add_cymru(dns, fixture.ip, asn=fixture.asn, cidr=fixture.asn_cidr, country=fixture.country,
                  registry=fixture.registry, allocated="2014-05-06", as_name=fixture.as_name,
                  as_allocated="1997-03-31")
        if fixture.ptr:
            add_ptr(dns, fixture.ip, fixture.ptr, forward=fixture.forward)
    return {label: fixture.ip for label, fixture in OWNER_FIXTURES.items()}
