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

All of one check's queries go out over one UDP socket per nameserver (``dnsquery.Batch``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import time
from typing import Any

from bot.diagnosis import answers
from bot.diagnosis.addresses import Address, reverse_label
from bot.diagnosis.answers import TEST_POINTS
from bot.diagnosis.cache import Shared, SharedCache, TTLCache
from bot.diagnosis.dnsquery import Answer, Batch
from bot.diagnosis.model import DnsblReport, DnsblStatus, SelfTest, ZoneResult
from bot.diagnosis.options import LookupOptions, Nameserver
from bot.diagnosis.providers import DEFAULT, Registry, Zone
from bot.diagnosis.resolver import nameservers_or_system

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
        nameservers: tuple[Nameserver, ...] = (),  # empty: the system's resolv.conf
        *,
        registry: Registry = DEFAULT,
        dqs_key: str = "",
        query_timeout: float = 2.0,
        total_timeout: float = 8.0,
        cache_ttl: float = 300.0,
        self_test_ttl: float = 300.0,
        resolver_label: str = "system",
        shared: SharedCache | None = None,
    ):
        self.nameservers = nameservers_or_system(nameservers)
        self.registry = registry
        self._dqs_key = dqs_key.strip()
        self._secret = re.compile(re.escape(self._dqs_key), re.IGNORECASE) if self._dqs_key else None
        self.lists = registry.zones
        self.query_timeout = query_timeout
        self.total_timeout = total_timeout
        self.cache_ttl = cache_ttl
        self.self_test_ttl = self_test_ttl
        self.resolver_label = resolver_label
        # Reports are shared with other instances through the app's store; test points are not (each
        # instance's resolver path is its own).
        namespace = f"dnsbl:{'dqs' if self._dqs_key else 'public'}:{resolver_label}"
        self._reports: TTLCache[DnsblReport] = TTLCache(
            cache_ttl, shared=Shared(shared, namespace, DnsblReport) if shared else None)
        self._self_tests: TTLCache[SelfTest] = TTLCache(self_test_ttl)
        self._background: set[asyncio.Future[SelfTest]] = set()  # test points still running after a total timeout

    @classmethod
    def create(cls, options: LookupOptions, *, registry: Registry = DEFAULT,
               shared: SharedCache | None = None) -> DnsblChecker:
        return cls(
            options.nameservers,
            shared=shared,
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

    async def check_domain(self, domain: str, *, fresh: bool = False) -> DnsblReport:
        """The domain lists (DBL; ZRD with a DQS key) for one domain a bounce blames. Raises
        ValueError for a string that is not a domain name."""
        name = domain_name(domain)
        return await self._reports.get_or_compute(
            ("domain", name), lambda: self._check_domain(name), fresh=fresh, ttl_for=self._report_ttl
        )

    async def self_test(self, *, fresh: bool = False) -> SelfTest:
        """RFC 5782 test points of the Spamhaus zone in use, through this checker's resolver."""
        spamhaus = self._spamhaus
        if spamhaus is None:
            return SelfTest(ok=False, zone="", error="no_list", detail="no Spamhaus list is configured")
        batch = self._batch()
        try:
            return await self._test_points(batch, spamhaus, fresh=fresh)
        finally:
            batch.close()

    def _batch(self) -> Batch:
        return Batch(self.nameservers, self.query_timeout).open()

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
        batch = self._batch()
        tests = [self._test_points_future(batch, dnsbl, address.version) for dnsbl in lists]
        zones = [asyncio.create_task(self._zone(batch, dnsbl, name, ip, answered, i)) for i, dnsbl in enumerate(lists)]
        waiting: list[asyncio.Future[Any]] = [*tests, *zones]
        try:
            await asyncio.wait(waiting, timeout=self.total_timeout)
        except asyncio.CancelledError:  # the caller gave up (DIAGNOSIS_TIMEOUT): stop our queries too
            for task in zones:
                task.cancel()
            raise
        finally:
            batch.close()  # once idle: test points still running keep it open

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

    async def _check_domain(self, domain: str) -> DnsblReport:
        """Like ``_check`` for a domain: every domain list at once, its A and TXT records; NXDOMAIN
        trusted only after the decisive domain list's test points pass through the same path."""
        started = time.perf_counter()
        every = self.registry.domain_zones
        lists = [dnsbl for dnsbl in every if self.dqs or not dnsbl.keyed_only]
        skipped = tuple(self.public_zone(dnsbl) for dnsbl in every if dnsbl not in lists)
        tested = next((dnsbl for dnsbl in lists if dnsbl.domain_test_points), None)
        if not lists or tested is None:
            return self._report(DnsblStatus.UNKNOWN, (ZoneResult("*", "all", DnsblStatus.UNKNOWN, error="unsupported",
                                                       detail="no domain list is configured"),),
                                None, started, skipped)
        answered: dict[int, ZoneResult] = {}
        batch = self._batch()
        test = asyncio.ensure_future(self._domain_test_points(batch, tested))
        zones = [asyncio.create_task(self._zone(batch, dnsbl, domain, domain, answered, i))
                 for i, dnsbl in enumerate(lists)]
        try:
            await asyncio.wait([test, *zones], timeout=self.total_timeout)
        except asyncio.CancelledError:
            for task in zones:
                task.cancel()
            raise
        finally:
            batch.close()
        verdict = self._finished_test(tested, test)
        results = [answers.trusted(self._finished_zone(dnsbl, zones[i], answered.get(i)), verdict)
                   for i, dnsbl in enumerate(lists)]
        report = self._report(answers.overall_status(lists, results), tuple(results), verdict, started, skipped)
        log.debug("dnsbl domain=%s status=%s in %.0f ms", domain, report.status, report.elapsed_ms)
        return report

    async def _domain_test_points(self, batch: Batch, dnsbl: Zone) -> SelfTest:
        return await self._self_tests.get_or_compute(
            (self.public_zone(dnsbl), "domain"),
            lambda: self._run_domain_test_points(batch, dnsbl),
            ttl_for=lambda test: None if test.ok else min(SELF_TEST_FAILURE_TTL, self.self_test_ttl),
        )

    async def _run_domain_test_points(self, batch: Batch, dnsbl: Zone) -> SelfTest:
        zone, query_zone = self.public_zone(dnsbl), self._query_zone(dnsbl)
        listed_point, clean_point = dnsbl.domain_test_points or ("test", "invalid")
        try:
            listed, clean = await asyncio.gather(self._resolve(batch, f"{listed_point}.{query_zone}.", "A"),
                                                 self._resolve(batch, f"{clean_point}.{query_zone}.", "A"))
            problem = (answers.listed_point_problem(listed, self.registry, listed_point, listed=dnsbl.codes)
                       or answers.clean_point_problem(clean, self.registry, clean_point))
        except Exception as exc:
            problem = ("unexpected", self._redact(f"{type(exc).__name__}: {exc}"))
        if problem is None:
            return SelfTest(ok=True, zone=zone)
        error, detail = problem
        log.warning("dnsbl self-test failed for %s via %s: %s", zone, self.resolver_label, detail)
        return SelfTest(ok=False, zone=zone, error=error, detail=f"{zone}: {detail}")

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

    async def _zone(self, batch: Batch, dnsbl: Zone, name: str, ip: str, answered: dict[int, ZoneResult],
                    i: int) -> ZoneResult:
        """One list: the A record, and the TXT record when the A record is a listing (asked beside
        the A record for ``txt_alongside`` lists, after it otherwise)."""
        zone = self.public_zone(dnsbl)
        qname = f"{name}.{self._query_zone(dnsbl)}."
        txt_task = asyncio.create_task(self._resolve(batch, qname, "TXT")) if dnsbl.txt_alongside else None
        try:
            answer = await self._resolve(batch, qname, "A")
            if answer.kind == "nxdomain":
                return ZoneResult(zone, dnsbl.provider, DnsblStatus.NOT_LISTED)
            if answer.kind != "answer":
                return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error=answer.kind,
                                  detail=f"{zone}: {answer.detail}")
            result = answers.read_answer(dnsbl, answer.values, zone=zone, ip=ip, registry=self.registry)
            if result.status != DnsblStatus.LISTED:
                return result
            answered[i] = result
            texts = await (txt_task or self._resolve(batch, qname, "TXT"))
            return answers.attach_reasons(result, texts.values if texts.kind == "answer" else (), dnsbl,
                                          self.registry)
        except Exception as exc:  # a bug, not a DNS outcome: say "could not check", never "not listed"
            log.warning("dnsbl lookup in %s failed unexpectedly: %s", zone,
                        self._redact(f"{type(exc).__name__}: {exc}"))
            return ZoneResult(zone, dnsbl.provider, DnsblStatus.UNKNOWN, error="unexpected",
                              detail=type(exc).__name__)
        finally:
            if txt_task is not None and not txt_task.done():
                txt_task.cancel()

    # --- test points -----------------------------------------------------------------------------
    def _test_points_future(self, batch: Batch, dnsbl: Zone, version: int) -> asyncio.Future[SelfTest]:
        """The test points as a future: already done when cached (no task for what is known)."""
        cached = self._self_tests.get((self.public_zone(dnsbl), version))
        if cached is None:
            return asyncio.ensure_future(self._test_points(batch, dnsbl, version))
        known: asyncio.Future[SelfTest] = asyncio.get_running_loop().create_future()
        known.set_result(cached)
        return known

    async def _test_points(self, batch: Batch, dnsbl: Zone, version: int = 4, *, fresh: bool = False) -> SelfTest:
        """RFC 5782 test points of the address family asked about: an IPv6 "not listed" is trusted
        only after the IPv6 test points pass, which a list may serve differently from IPv4's."""
        return await self._self_tests.get_or_compute(
            (self.public_zone(dnsbl), version),
            lambda: self._run_test_points(batch, dnsbl, version),
            fresh=fresh,
            ttl_for=lambda test: None if test.ok else min(SELF_TEST_FAILURE_TTL, self.self_test_ttl),
        )

    async def _run_test_points(self, batch: Batch, dnsbl: Zone, version: int) -> SelfTest:
        zone, query_zone = self.public_zone(dnsbl), self._query_zone(dnsbl)
        listed_point, clean_point = TEST_POINTS[version]
        try:
            listed, clean = await asyncio.gather(
                self._resolve(batch, f"{reverse_name(listed_point)}.{query_zone}.", "A"),
                self._resolve(batch, f"{reverse_name(clean_point)}.{query_zone}.", "A"),
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
    @staticmethod
    async def _resolve(batch: Batch, qname: str, rdtype: str) -> Answer:
        """Never raises for a DNS outcome; A records in address order."""
        answer = await batch.ask(qname, rdtype)
        if rdtype == "A" and answer.kind == "answer":
            return Answer("answer", tuple(sorted(answer.values, key=_ip_sort_key)))
        return answer


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def domain_name(domain: str) -> str:
    """A domain as a domain list is asked about it: lower case, no trailing dot, IDNA ``xn--``
    labels. ValueError for anything else (an IP, a single label, a name too long to query)."""
    name = domain.strip().rstrip(".").lower()
    try:
        name = name.encode("idna").decode("ascii")
        ipaddress.ip_address(name)
    except UnicodeError:
        raise ValueError(f"not a domain name: {domain!r}") from None
    except ValueError:
        labels = name.split(".")
        if len(labels) >= 2 and len(name) <= 200 and all(_LABEL.fullmatch(label) for label in labels):
            return name
        raise ValueError(f"not a domain name: {domain!r}") from None
    raise ValueError(f"an IP address, not a domain: {domain!r}")


def _ip_sort_key(value: str) -> tuple[int, str]:
    try:
        return int(ipaddress.ip_address(value)), value
    except ValueError:
        return -1, value
