"""A real DNS server on loopback (dnslib, UDP and TCP on one port) serving DNSBL-shaped zones.

Answers come from a table; names can be made to SERVFAIL, REFUSE, never answer, answer late, answer
over UDP only with the truncation bit (the full answer over TCP), or answer another question under
the query's id. Everything else is NXDOMAIN with an SOA, as a real authoritative server would say
"not listed".
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from dnslib import AAAA, PTR, QTYPE, RCODE, RR, SOA, TXT, A, DNSLabel, DNSRecord
from dnslib.server import BaseResolver, DNSError, DNSHandler, DNSLogger, DNSServer

RDATA = {"A": A, "AAAA": AAAA, "TXT": TXT, "PTR": PTR}


class _Drop(DNSError):
    """Raised inside the resolver so that dnslib's handler sends no reply at all (a timeout)."""


@dataclass
class _Behaviour:
    kind: str  # "servfail", "refused", "drop", "delay", "truncate", "misdirect"
    delay: float = 0.0


@dataclass
class ZoneTable(BaseResolver):
    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    behaviours: dict[str, _Behaviour] = field(default_factory=dict)  # by name suffix
    latency: float = 0.0  # added to every answer
    queries: Counter = field(default_factory=Counter)  # (name, type) -> count
    arrivals: list[tuple[str, str]] = field(default_factory=list)  # (name, type) in the order they came
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resolve(self, request, handler):
        qname = str(request.q.qname).lower().rstrip(".")
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            self.queries[(qname, qtype)] += 1
            self.arrivals.append((qname, qtype))
        behaviour = self._behaviour(qname)
        if behaviour and behaviour.kind == "drop":
            raise _Drop(qname)
        # Waited for once the answer is packed (_Handler), as a distant server's answer is late by
        # the network alone.
        handler.delay = self.latency + (behaviour.delay if behaviour else 0.0)
        reply = request.reply()
        if behaviour and behaviour.kind == "servfail":
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if behaviour and behaviour.kind == "refused":
            reply.header.rcode = RCODE.REFUSED
            return reply
        if behaviour and behaviour.kind == "truncate" and handler.protocol == "udp":
            reply.header.tc = 1
            return reply
        if behaviour and behaviour.kind == "misdirect":  # the query's id, another name, a "listing"
            reply.q.qname = DNSLabel("elsewhere.example")
            reply.add_answer(RR("elsewhere.example", QTYPE.A, rdata=A("127.0.0.2"), ttl=60))
            return reply
        answers = self.records.get((qname, qtype), [])
        if answers:
            for value in answers:
                rdata = TXT(value) if qtype == "TXT" else RDATA[qtype](value)
                reply.add_answer(RR(qname, QTYPE.reverse[qtype], rdata=rdata, ttl=60))
            return reply
        if any(name == qname for name, _ in self.records):
            return reply  # the name exists with other types: NOERROR, no answer
        reply.header.rcode = RCODE.NXDOMAIN
        soa = SOA("ns.test", "hostmaster.test", (1, 60, 60, 60, 60))
        reply.add_auth(RR(DNSLabel(qname), QTYPE.SOA, rdata=soa, ttl=60))
        return reply

    def _behaviour(self, qname: str) -> _Behaviour | None:
        for suffix, behaviour in self.behaviours.items():
            if qname == suffix or qname.endswith("." + suffix):
                return behaviour
        return None


class _QuietLogger(DNSLogger):
    def __init__(self):
        super().__init__(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)


class _Outbox:
    """Sends every UDP answer when it is due, from one thread. A thread per answer sleeping out the
    latency and then sending made answers queue behind each other for the GIL when they woke
    together: seven answers due at 50 ms arrived between 51 and 63 ms, later the more were in
    flight, which charged a client asking one query more for a few milliseconds not its own."""

    def __init__(self):
        self._due: list[tuple[float, int, socket.socket, bytes, object]] = []  # a heap, soonest first
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="loopback-dns-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send_at(self, when: float, sock: socket.socket, data: bytes, address: object) -> None:
        with self._wake:
            heapq.heappush(self._due, (when, next(self._order), sock, data, address))
            self._wake.notify()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while not self._closed:
                now = time.monotonic()
                while self._due and self._due[0][0] <= now:
                    _, _, sock, data, address = heapq.heappop(self._due)
                    with contextlib.suppress(OSError):  # the server closed; the client left
                        sock.sendto(data, address)
                self._wake.wait(self._due[0][0] - now if self._due else None)


class _Handler(DNSHandler):
    delay = 0.0  # set by ZoneTable.resolve for each request

    def handle(self):
        if self.server.socket_type == socket.SOCK_STREAM:
            with contextlib.suppress(ConnectionError, OSError):
                super().handle()  # TCP: get_reply below waits the delay out
            return
        self.protocol = "udp"
        data, connection = self.request
        self.delay = 0.0
        try:
            packed = DNSHandler.get_reply(self, data)
        except DNSError:  # dropped on purpose, or not a DNS message: no answer
            return
        self.server.outbox.send_at(time.monotonic() + self.delay, connection, packed, self.client_address)

    def get_reply(self, data):
        self.delay = 0.0
        packed = super().get_reply(data)
        if self.delay:
            time.sleep(self.delay)
        return packed


class _UDPServer(socketserver.UDPServer):
    """dnslib's UDP server without a thread per request: with the latency left to the outbox, an
    answer takes a fraction of a millisecond to build, less than starting a thread for it."""

    allow_reuse_address = True

    def __init__(self, server_address, handler):
        if ":" in server_address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(server_address, handler)


class LoopbackDNS:
    """``with LoopbackDNS() as dns: dns.add("2.0.0.127.zen.spamhaus.org", "A", "127.0.0.2")``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.table = ZoneTable()
        self.host = host
        self._udp, self._tcp = self._bind(host, port)
        self.port = self._udp.server.server_address[1]
        self._outbox = _Outbox()
        self._udp.server.outbox = self._outbox

    def _bind(self, host: str, port: int, attempts: int = 20) -> tuple[DNSServer, DNSServer]:
        """UDP and TCP on one port. With port 0 the kernel picks a free UDP port, whose TCP twin
        can be taken (by another test's client socket, say): then try another port."""
        for attempt in range(attempts):
            udp = DNSServer(self.table, address=host, port=port, logger=_QuietLogger(), handler=_Handler,
                            server=_UDPServer)
            try:
                tcp = DNSServer(self.table, address=host, port=udp.server.server_address[1], tcp=True,
                                logger=_QuietLogger(), handler=_Handler)
            except OSError:
                udp.server.server_close()
                if port or attempt == attempts - 1:
                    raise
                continue
            return udp, tcp
        raise AssertionError("unreachable")

    # --- table editing -------------------------------------------------------------------------
    def add(self, name: str, rtype: str, *values: str) -> None:
        self.table.records.setdefault((name.lower().rstrip("."), rtype), []).extend(values)

    def remove(self, name: str, rtype: str) -> None:
        self.table.records.pop((name.lower().rstrip("."), rtype), None)

    def servfail(self, suffix: str) -> None:
        self.table.behaviours[suffix.lower()] = _Behaviour("servfail")

    def refuse(self, suffix: str) -> None:
        self.table.behaviours[suffix.lower()] = _Behaviour("refused")

    def drop(self, suffix: str) -> None:
        self.table.behaviours[suffix.lower()] = _Behaviour("drop")

    def delay(self, suffix: str, seconds: float) -> None:
        self.table.behaviours[suffix.lower()] = _Behaviour("delay", seconds)

    def truncate(self, suffix: str) -> None:
        """Over UDP an empty answer with TC set; over TCP the records."""
        self.table.behaviours[suffix.lower()] = _Behaviour("truncate")

    def misdirect(self, suffix: str) -> None:
        """Answer with the query's id but another question (a spoofing attempt, a confused server)."""
        self.table.behaviours[suffix.lower()] = _Behaviour("misdirect")

    def clear(self) -> None:
        self.table.records.clear()
        self.table.behaviours.clear()
        self.table.queries.clear()
        self.table.arrivals.clear()
        self.table.latency = 0.0

    @property
    def query_count(self) -> int:
        return sum(self.table.queries.values())

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> LoopbackDNS:
        self._tcp.server.daemon_threads = True
        self._outbox.start()
        self._udp.start_thread()
        self._tcp.start_thread()
        return self

    def stop(self) -> None:
        self._outbox.close()
        self._udp.stop()
        self._tcp.stop()
        self._udp.server.server_close()
        self._tcp.server.server_close()

    def __enter__(self) -> LoopbackDNS:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def reverse_ipv4(ip: str) -> str:
    return ".".join(reversed(ip.split(".")))


if __name__ == "__main__":  # manual check: python -m loopback.dns_server
    with LoopbackDNS() as server:
        server.add("2.0.0.127.zen.spamhaus.org", "A", "127.0.0.2")
        q = DNSRecord.question("2.0.0.127.zen.spamhaus.org", "A")
        print(DNSRecord.parse(q.send(server.host, server.port, timeout=2)))
