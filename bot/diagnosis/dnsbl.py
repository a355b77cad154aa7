"""Concurrent DNSBL lookups: every zone of the provider table at once, return codes decoded (in
``answers``), failures kept apart from "not listed", the resolver path verified with RFC 5782 test
points, the DQS key kept secret.

Report status, in order of precedence:
  listed      any zone answered a listing code. A real 127.0.0.x answer is evidence even when
              the test points failed.
  unknown     otherwise, when a decisive list (Spamhaus zen) is unknown: its query failed, it
              answered an error code, or its NXDOMAIN cannot be trusted because its test points
              failed. (If no decisive list was queried: when any zone is unknown.)
  not_listed  otherwise. A failing secondary list (SpamCop, Barracuda, ...) does not turn a
              verified Spamhaus "not listed" into "unknown"; it shows as its own unknown zone.

Every list's NXDOMAIN is trusted only after that list's test points pass (127.0.0.2 listed,
127.0.0.1 not), checked through the same resolver and cached: the public-resolver trap answers
NXDOMAIN for everything, and a dead list does too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import time

import dns.asyncresolver
import dns.exception
import dns.resolver

from bot.diagnosis import answers
from bot.diagnosis.addresses import Address, reverse_label
from bot.diagnosis.answers import TEST_POINTS, Answer
from bot.diagnosis.cache import TTLCache
from bot.diagnosis.model import DnsblReport, DnsblStatus, SelfTest, ZoneResult
from bot.diagnosis.options import LookupOptions
from bot.diagnosis.providers import DEFAULT, Registry, Zone
from bot.diagnosis.resolver import make_async_resolver

log = logging.getLogger(__name__)

# Failures are retried soon: the resolver may recover, and a user who clicks again should get a
# new answer, but repeated clicks within seconds should not hammer Spamhaus (rate limits).
SELF_TEST_FAILURE_TTL = 30.0
REPORT_FAILURE_TTL = 30.0
_REDACTED = "[redacted]"


def reverse_name(ip: str | Address) -> str:
    """RFC 5782 query label: ``192.0.2.1`` -> ``1.2.0.192``; IPv6 -> 32 reversed nibbles."""
    return reverse_label(ipaddress.ip_address(ip))


class DnsblChecker:
    def __init__(
        self,
        resolver: dns.asyncresolver.Resolver,
        *,
        registry: Registry = DEFAULT,
        dqs_key: str = "",
        query_timeout: float = 2.0,
        total_timeout: float = 8.0,
        cache_ttl: float = 300.0,
        self_test_ttl: float = 300.0,
        resolver_label: str = "system",
    ):
        self.resolver = resolver
        self.registry = registry
        self._dqs_key = dqs_key.strip()
        self._secret = re.compile(re.escape(self._dqs_key), re.IGNORECASE) if self._dqs_key else None
        self.lists = registry.zones
        self.query_timeout = query_timeout
        self.total_timeout = total_timeout
        self.cache_ttl = cache_ttl
        self.self_test_ttl = self_test_ttl
        self.resolver_label = resolver_label
        self._reports: TTLCache[DnsblReport] = TTLCache(cache_ttl)
        self._self_tests: TTLCache[SelfTest] = TTLCache(self_test_ttl)
        self._background: set[asyncio.Future[SelfTest]] = set()  # test points still running after a total timeout

    @classmethod
    def create(cls, options: LookupOptions, *, registry: Registry = DEFAULT) -> DnsblChecker:
        return cls(
            make_async_resolver(options.nameservers, options.dns_timeout),
            registry=registry,
            dqs_key=options.dqs_key,
            query_timeout=options.dns_timeout,
            total_timeout=options.dnsbl_deadline,
            cache_ttl=options.dnsbl_cache_ttl,
            self_test_ttl=options.self_test_ttl,
            resolver_label=options.resolver_label,
        )

    @property
    def dqs(self) -> bool:
        return bool(self._dqs_key)

    def public_zone(self, dnsbl: Zone) -> str:
        """The zone as shown to people: with DQS ``zen.dq.spamhaus.net``, never the key."""
        return dnsbl.keyed_zone if self._dqs_key and dnsbl.keyed_zone else dnsbl.zone

    def _query_zone(self, dnsbl: Zone) -> str:
        return f"{self._dqs_key}.{dnsbl.keyed_zone}" if self._dqs_key and dnsbl.keyed_zone else dnsbl.zone

    def _redact(self, text: str) -> str:
        return self._secret.sub(_REDACTED, text) if self._secret else text

    @property
    def _spamhaus(self) -> Zone | None:
        """The decisive list whose test points tell whether the resolver path can be trusted."""
        return next((dnsbl for dnsbl in self.lists if dnsbl.decisive), None)

    # --- public API ------------------------------------------------------------------------------
    async def check(self, ip: str, *, fresh: bool = False) -> DnsblReport:
        """All lists for one address. Raises ValueError only for a string that is not an IP."""
        address = ipaddress.ip_address(ip.strip())
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped  # ::ffff:192.0.2.1 is the IPv4 sender
        return await self._reports.get_or_compute(
            str(address), lambda: self._check(address), fresh=fresh, ttl_for=self._report_ttl
        )

    async def self_test(self, *, fresh: bool = False) -> SelfTest:
        """RFC 5782 test points of the Spamhaus zone in use, through this checker's resolver."""
        spamhaus = self._spamhaus
        if spamhaus is None:
            return SelfTest(ok=False, zone="", error="no_list", detail="no Spamhaus list is configured")
        return await self._test_points(spamhaus, fresh=fresh)

    # --- one report ------------------------------------------------------------------------------
    def _report_ttl(self, report: DnsblReport) -> float | None:
        return min(REPORT_FAILURE_TTL, self.cache_ttl) if report.failures else None

    async def _check(self, address: Address) -> DnsblReport:
        started = time.perf_counter()
        lists = [dnsbl for dnsbl in self.lists if address.version == 4 or dnsbl.ipv6]
        skipped = tuple(self.public_zone(dnsbl) for dnsbl in self.lists if dnsbl not in lists)
        if not lists:
            return self._report(DnsblStatus.UNKNOWN, (ZoneResult("*", "all", DnsblStatus.UNKNOWN, error="unsupported",
                                                       detail=f"no configured list serves IPv{address.version}"),),
                                None, started, skipped)
        name, ip = reverse_name(address), str(address)
        answered: dict[int, ZoneResult] = {}  # listings whose TXT is still on its way
        tests = [asyncio.ensure_future(self._test_points(dnsbl, address.version)) for dnsbl in lists]
        zones = [asyncio.create_task(self._zone(dnsbl, name, ip, answered, i)) for i, dnsbl in enumerate(lists)]
        try:
            await asyncio.wait([*tests, *zones], timeout=self.total_timeout)
        except asyncio.CancelledError:  # the caller gave up (DIAGNOSIS_TIMEOUT): stop our queries too
            for task in zones:
                task.cancel()
            raise

        results: list[ZoneResult] = []
        spamhaus_test = None
        for i, dnsbl in enumerate(lists):
            result = self._finished_zone(dnsbl, zones[i], answered.get(i))
            test = self._finished_test(dnsbl, tests[i])
            if dnsbl is self._spamhaus:
                spamhaus_test = test
            results.append(answers.trusted(result, test))
        status = answers.overall_status(lists, results)
        report = self._report(status, tuple(results), spamhaus_test, started, skipped)
        log.debug("dnsbl ip=%s status=%s listed=%s unknown=%s in %.0f ms", ip, status,
                  ",".join(listing.list for listing in report.listings) or "-",
                  ",".join(f"{zone.zone}:{zone.error}" for zone in report.failures) or "-", report.elapsed_ms)
        return report

    def _report(self, status: DnsblStatus, zones: tuple[ZoneResult, ...], test: SelfTest | None,
                started: float, skipped: tuple[str, ...] = ()) -> DnsblReport:
        return DnsblReport(status=status, zones=zones, skipped=skipped, resolver=self.resolver_label, dqs=self.dqs,
                           self_test=test, elapsed_ms=round((time.perf_counter() - started) * 1000, 1))

    def _finished_zone(self, dnsbl: Zone, task: asyncio.Task[ZoneResult], answered: ZoneResult | None) -> ZoneResult:
        if not task.done():
            task.cancel()
            # The A record arrived but its TXT did not: keep the listing, without the reason.
            return answered or ZoneResult(self.public_zone(dnsbl), dnsbl.provider, DnsblStatus.UNKNOWN,
                                          error="timeout",
                                          detail=f"no answer within the total of {self.total_timeout:g} s")
        return task.result()

    def _finished_test(self, dnsbl: Zone, task: asyncio.Future[SelfTest]) -> SelfTest:
        zone = self.public_zone(dnsbl)
        if not task.done():
            # Not cancelled: it is shared with other lookups through the cache and ends within
            # query_timeout; it fills the cache for the next report.
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return SelfTest(ok=False, zone=zone, error="timeout",
                            detail=f"test points did not answer within the total of {self.total_timeout:g} s")
        if task.cancelled() or task.exception() is not None:
            return SelfTest(ok=False, zone=zone, error="unexpected", detail="the test-point lookup failed")
        return task.result()

    async def _zone(self, dnsbl: Zone, name: str, ip: str, answered: dict[int, ZoneResult], i: int) -> ZoneResult:
        """One list: the A record, and the TXT record when the A record is a listing (asked beside
        the A record for ``txt_alongside`` lists, after it otherwise)."""
        zone = self.public_zone(dnsbl)
        qname = f"{name}.{self._query_zone(dnsbl)}."
        a_task = asyncio.create_task(self._resolve(qname, "A"))
        txt_task = asyncio.create_task(self._resolve(qname, "TXT")) if dnsbl.txt_alongside else None
        try:
            answer = await a_task
            if answer.kind == "nxdomain":
                return ZoneResult(zone, dnsbl.provider, DnsblStatus.NOT_LISTED)
            if answer.kind != "answer":
                return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error=answer.kind,
                                  detail=f"{zone}: {answer.detail}")
            result = answers.read_answer(dnsbl, answer.values, zone=zone, ip=ip, registry=self.registry)
            if result.status != DnsblStatus.LISTED:
                return result
            answered[i] = result
            txt_task = txt_task or asyncio.create_task(self._resolve(qname, "TXT"))
            texts = await txt_task
            return answers.attach_reasons(result, texts.values if texts.kind == "answer" else (), dnsbl,
                                          self.registry)
        except Exception as exc:  # a bug, not a DNS outcome: say "could not check", never "not listed"
            log.warning("dnsbl lookup in %s failed unexpectedly: %s", zone,
                        self._redact(f"{type(exc).__name__}: {exc}"))
            return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error="unexpected",
                              detail=type(exc).__name__)
        finally:
            for task in (a_task, txt_task):
                if task is not None and not task.done():
                    task.cancel()

    # --- test points -----------------------------------------------------------------------------
    async def _test_points(self, dnsbl: Zone, version: int = 4, *, fresh: bool = False) -> SelfTest:
        """RFC 5782 test points of the address family asked about: an IPv6 "not listed" is trusted
        only after the IPv6 test points pass, which a list may serve differently from IPv4's."""
        return await self._self_tests.get_or_compute(
            (self.public_zone(dnsbl), version),
            lambda: self._run_test_points(dnsbl, version),
            fresh=fresh,
            ttl_for=lambda test: None if test.ok else min(SELF_TEST_FAILURE_TTL, self.self_test_ttl),
        )

    async def _run_test_points(self, dnsbl: Zone, version: int) -> SelfTest:
        zone, query_zone = self.public_zone(dnsbl), self._query_zone(dnsbl)
        listed_point, clean_point = TEST_POINTS[version]
        try:
            listed, clean = await asyncio.gather(
                self._resolve(f"{reverse_name(listed_point)}.{query_zone}.", "A"),
                self._resolve(f"{reverse_name(clean_point)}.{query_zone}.", "A"),
            )
            problem = (answers.listed_point_problem(listed, self.registry, listed_point)
                       or answers.clean_point_problem(clean, self.registry, clean_point))
        except Exception as exc:
            problem = ("unexpected", self._redact(f"{type(exc).__name__}: {exc}"))
        if problem is None:
            return SelfTest(ok=True, zone=zone)
        error, detail = problem
        log.warning("dnsbl self-test failed for %s via %s: %s", zone, self.resolver_label, detail)
        return SelfTest(ok=False, zone=zone, error=error, detail=f"{zone}: {detail}")

    # --- one query -------------------------------------------------------------------------------
    async def _resolve(self, qname: str, rdtype: str) -> Answer:
        """Never raises for a DNS outcome. Details are written here, not copied from dnspython,
        whose messages quote the query name, and with DQS that name holds the key."""
        try:
            async with asyncio.timeout(self.query_timeout):
                answer = await self.resolver.resolve(qname, rdtype, lifetime=self.query_timeout, search=False)
        except dns.resolver.NXDOMAIN:
            return Answer("nxdomain")
        except dns.resolver.NoAnswer:
            return Answer("no_answer", detail=f"the name exists but has no {rdtype} record")
        except (TimeoutError, dns.exception.Timeout):
            return Answer("timeout", detail=f"no {rdtype} answer within {self.query_timeout:g} s")
        except dns.resolver.NoNameservers as exc:
            return self._nameserver_failure(exc, rdtype)
        except dns.exception.DNSException as exc:
            return Answer("bad_answer", detail=f"{rdtype} query failed: {type(exc).__name__}")
        if rdtype == "TXT":
            texts = tuple(b"".join(rdata.strings).decode("utf-8", "replace") for rdata in answer)
            return Answer("answer", texts)
        return Answer("answer", tuple(sorted((rdata.address for rdata in answer), key=_ip_sort_key)))

    def _nameserver_failure(self, exc: dns.resolver.NoNameservers, rdtype: str) -> Answer:
        # errors: (server, tcp, port, rcode text or exception, response) per attempt
        errors = exc.kwargs.get("errors") or []
        outcomes = [error[3] for error in errors if len(error) > 3]
        servers = self._redact(", ".join(dict.fromkeys(str(error[0]) for error in errors))) or "resolver"
        rcodes = [outcome for outcome in outcomes if isinstance(outcome, str)]
        if "REFUSED" in rcodes:
            return Answer("refused", detail=f"{rdtype} query REFUSED by {servers}")
        if "SERVFAIL" in rcodes:
            return Answer("servfail", detail=f"{rdtype} query got SERVFAIL from {servers}")
        if rcodes:
            return Answer("bad_answer", detail=f"{rdtype} query got {'/'.join(dict.fromkeys(rcodes))} from {servers}")
        if any(isinstance(outcome, dns.exception.Timeout) for outcome in outcomes):
            return Answer("timeout", detail=f"no {rdtype} answer from {servers}")
        kinds = "/".join(dict.fromkeys(type(outcome).__name__ for outcome in outcomes)) or "no usable server"
        return Answer("unreachable", detail=f"{rdtype} query to {servers} failed: {kinds}")


def _ip_sort_key(value: str) -> tuple[int, str]:
    try:
        return int(ipaddress.ip_address(value)), value
    except ValueError:
        return -1, value
