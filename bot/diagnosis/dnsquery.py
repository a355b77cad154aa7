"""DNS queries for one batch of lookups (one DNSBL check, one ownership lookup) over one UDP socket
per nameserver, with dnspython's message building and parsing: no resolver object and no socket
per query, which cost about a millisecond of Python per query and made the bot slower than
pydnsbl (c-ares) doing the same work (docs/benchmarks.md).

Each query tries the nameservers in order (``DNS_NAMESERVERS``; IPv4 and IPv6 addresses alike),
giving each the time left divided by the servers still to try, and moves on after a timeout, an
error answer (SERVFAIL, REFUSED, ...) or an unreachable server. A response counts only if its id
AND its question match the query (``Message.is_response``), on a socket connected to the server
asked; a truncated answer is asked again over TCP. Outcomes come back as ``Answer`` values, never
as exceptions; their details name the record type and the servers, never the query name (with a
Spamhaus DQS key, the name holds the key).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

import dns.asyncquery
import dns.entropy
import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdata
import dns.rdatatype

from bot.diagnosis.options import Nameserver

_ANSWERED = (dns.rcode.NOERROR, dns.rcode.NXDOMAIN)


@dataclass(frozen=True)
class Answer:
    """One DNS query's outcome. ``kind`` is "answer", "nxdomain" or an error key: "no_answer",
    "timeout", "servfail", "refused", "bad_answer", "unreachable" (the ZoneResult.error keys)."""

    kind: str
    values: tuple[str, ...] = ()
    detail: str = ""


class _Socket:
    """One connected, non-blocking UDP socket to one nameserver. It is made and written at once, so a
    query leaves as soon as it is built, and read by one task, which hands each response to the query
    it answers."""

    def __init__(self, server: Nameserver):
        try:
            family = socket.AF_INET6 if ipaddress.ip_address(server.host).version == 6 else socket.AF_INET
        except ValueError:
            raise OSError(f"{server.host!r} is not an IP address") from None
        self.loop = asyncio.get_running_loop()
        self.pending: dict[int, tuple[dns.message.Message, asyncio.Future[dns.message.Message]]] = {}
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            self.sock.setblocking(False)
            self.sock.connect((server.host, server.port))  # UDP: sends nothing; only this server's answers arrive
        except BaseException:
            self.sock.close()
            raise
        self._reader = self.loop.create_task(self._receive())

    def send(self, wire: bytes) -> None:
        self.sock.send(wire)

    def close(self) -> None:
        self._reader.cancel()
        self.sock.close()
        self._fail(ConnectionError("the socket was closed"))

    async def _receive(self) -> None:
        while self.sock.fileno() >= 0:
            try:
                data = await self.loop.sock_recv(self.sock, 65535)
            except OSError as exc:  # an ICMP "port unreachable" for a query sent: nobody listens there
                self._fail(exc)
                continue
            self._deliver(data)

    def _deliver(self, data: bytes) -> None:
        waiting = self.pending.get(int.from_bytes(data[:2], "big")) if len(data) >= 12 else None
        if waiting is None or waiting[1].done():
            return
        query, future = waiting
        try:
            head = dns.message.from_wire(data, question_only=True)
        except (dns.exception.DNSException, ValueError):
            return  # not a DNS message: keep waiting for the real answer
        if not query.is_response(head):
            return
        if head.rcode() != dns.rcode.NOERROR or head.flags & dns.flags.TC:
            future.set_result(head)  # NXDOMAIN, an error, a truncation: the header says it all
            return
        try:  # records to read: the whole message (a fifth of the work for the header alone)
            future.set_result(dns.message.from_wire(data))
        except (dns.exception.DNSException, ValueError) as exc:  # ours, but unreadable: a bad answer
            future.set_exception(exc)

    def _fail(self, exc: Exception) -> None:
        for _, future in self.pending.values():
            if not future.done():
                future.set_exception(exc)


class Batch:
    """``answer = await batch.ask(name, "A")`` for every query of one check; ``batch.close()`` when the
    check is done (the sockets close once no query is in flight: test points can outlive a check)."""

    def __init__(self, nameservers: Sequence[Nameserver], timeout: float):
        self.nameservers = tuple(nameservers)
        self.timeout = timeout  # per query, every server tried included
        self._sockets: dict[Nameserver, _Socket] = {}
        self._in_flight = 0
        self._closing = False

    def open(self) -> Batch:
        """Open the socket to the first nameserver now, before any query is built."""
        if self.nameservers:
            with contextlib.suppress(OSError):  # the first query says how it failed
                self._socket(self.nameservers[0])
        return self

    async def ask(self, qname: str, rdtype: str) -> Answer:
        """Never raises for a DNS outcome."""
        self._in_flight += 1
        try:
            return await self._ask(qname, rdtype)
        finally:
            self._in_flight -= 1
            if self._closing and not self._in_flight:
                self._close_sockets()

    def close(self) -> None:
        self._closing = True
        if not self._in_flight:
            self._close_sockets()

    async def _ask(self, qname: str, rdtype: str) -> Answer:
        if not self.nameservers:
            return Answer("unreachable", detail=f"{rdtype} query: no nameserver to ask")
        loop = asyncio.get_running_loop()
        query = dns.message.make_query(qname, rdtype)
        deadline = loop.time() + self.timeout
        outcomes: list[tuple[Nameserver, object]] = []  # per server tried: "timeout", an rcode, an error
        for index, server in enumerate(self.nameservers):
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            try:
                response = await self._exchange(server, query, remaining / (len(self.nameservers) - index))
                if response.flags & dns.flags.TC:  # too long for UDP: the same question over TCP
                    response = await dns.asyncquery.tcp(query, server.host, timeout=max(deadline - loop.time(), 0.001),
                                                        port=server.port)
            except (TimeoutError, dns.exception.Timeout):
                outcomes.append((server, "timeout"))
                continue
            except (OSError, EOFError, ValueError, dns.exception.DNSException) as exc:
                outcomes.append((server, exc))
                continue
            if response.rcode() in _ANSWERED:
                return _read(response, rdtype)
            outcomes.append((server, dns.rcode.to_text(response.rcode())))
        return _failure(outcomes, rdtype, self.timeout)

    async def _exchange(self, server: Nameserver, query: dns.message.Message, timeout: float) -> dns.message.Message:
        udp = self._socket(server)
        while query.id in udp.pending:  # ids are random; unique among this socket's open queries
            query.id = dns.entropy.random_16()
        future: asyncio.Future[dns.message.Message] = udp.loop.create_future()
        udp.pending[query.id] = (query, future)
        expiry = udp.loop.call_later(timeout, _expire, future)
        try:
            udp.send(query.to_wire())
            return await future
        finally:
            expiry.cancel()
            udp.pending.pop(query.id, None)

    def _socket(self, server: Nameserver) -> _Socket:
        udp = self._sockets.get(server)
        if udp is None:
            udp = self._sockets[server] = _Socket(server)
        return udp

    def _close_sockets(self) -> None:
        for udp in self._sockets.values():
            udp.close()
        self._sockets.clear()


def _expire(future: asyncio.Future[dns.message.Message]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


def _read(response: dns.message.Message, rdtype: str) -> Answer:
    if response.rcode() == dns.rcode.NXDOMAIN:
        return Answer("nxdomain")
    if not isinstance(response, dns.message.QueryMessage):  # from_wire makes one of a query's answer
        return Answer("bad_answer", detail=f"{rdtype} answer unreadable: not an answer to a query")
    try:
        chain = response.resolve_chaining()  # follows a CNAME to the records asked for
    except dns.exception.DNSException as exc:
        return Answer("bad_answer", detail=f"{rdtype} answer unreadable: {type(exc).__name__}")
    if chain.answer is None:
        return Answer("no_answer", detail=f"the name exists but has no {rdtype} record")
    return Answer("answer", tuple(_text(rdata) for rdata in chain.answer))


def _text(rdata: dns.rdata.Rdata) -> str:
    if rdata.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        return str(rdata.address)  # type: ignore[attr-defined]
    if rdata.rdtype == dns.rdatatype.TXT:
        return b"".join(rdata.strings).decode("utf-8", "replace")  # type: ignore[attr-defined]
    if rdata.rdtype == dns.rdatatype.PTR:
        return str(rdata.target.to_text(omit_final_dot=True))  # type: ignore[attr-defined]
    return rdata.to_text()


def _failure(outcomes: list[tuple[Nameserver, object]], rdtype: str, timeout: float) -> Answer:
    """Every server tried failed: say how, the most telling failure first."""
    if all(outcome == "timeout" for _, outcome in outcomes):
        return Answer("timeout", detail=f"no {rdtype} answer within {timeout:g} s")
    servers = ", ".join(dict.fromkeys(str(server) for server, _ in outcomes))
    rcodes = [outcome for _, outcome in outcomes if isinstance(outcome, str) and outcome != "timeout"]
    if "REFUSED" in rcodes:
        return Answer("refused", detail=f"{rdtype} query REFUSED by {servers}")
    if "SERVFAIL" in rcodes:
        return Answer("servfail", detail=f"{rdtype} query got SERVFAIL from {servers}")
    if rcodes:
        return Answer("bad_answer", detail=f"{rdtype} query got {'/'.join(dict.fromkeys(rcodes))} from {servers}")
    if any(outcome == "timeout" for _, outcome in outcomes):
        return Answer("timeout", detail=f"no {rdtype} answer from {servers}")
    unreadable = [type(outcome).__name__ for _, outcome in outcomes
                  if isinstance(outcome, (dns.exception.DNSException, ValueError))]
    if unreadable:
        return Answer("bad_answer", detail=f"{rdtype} answer from {servers} unreadable: {'/'.join(unreadable)}")
    kinds = "/".join(dict.fromkeys(type(outcome).__name__ for _, outcome in outcomes))
    return Answer("unreachable", detail=f"{rdtype} query to {servers} failed: {kinds}")
