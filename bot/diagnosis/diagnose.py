"""The one pipeline: pasted text -> Bounce -> DNSBL and ownership lookups in parallel -> Diagnosis.

Bad input never raises: it comes back as a Diagnosis with ``ip_problem`` set and advice saying
what to paste instead. Lookups that fail or run out of time come back as "could not check" or
"owner unknown", never as "not listed".
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from datetime import UTC, datetime
from typing import TypeVar

from bot.diagnosis import addresses, advice
from bot.diagnosis.cache import SharedCache
from bot.diagnosis.dnsbl import DnsblChecker, domain_name
from bot.diagnosis.domain_advice import domain_steps
from bot.diagnosis.model import Bounce, Case, Diagnosis, DnsblReport, DnsblStatus, DomainCheck, Owner, ZoneResult
from bot.diagnosis.options import LookupOptions, OwnContext
from bot.diagnosis.owner import OwnerLookup
from bot.diagnosis.parse import parse_bounce
from bot.diagnosis.providers import DEFAULT, Registry
from bot.diagnosis.providers.microsoft import Route

log = logging.getLogger(__name__)

T = TypeVar("T")
REDACTED = "[redacted]"
MAX_DOMAINS = 3  # the domains of one bounce checked (sender, a link or two); a hostile text must not cost more


def ip_problem(ip: str) -> str | None:
    """Why an address cannot be meaningfully checked (``"malformed"``, ``"private"``, ``"reserved"``),
    or None when it can."""
    address = addresses.parse_ip(ip)
    return "malformed" if address is None else addresses.problem(address)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Diagnoser:
    def __init__(self, options: LookupOptions, own: OwnContext, *, dnsbl: DnsblChecker, owners: OwnerLookup,
                 registry: Registry = DEFAULT):
        self.options = options
        self.own = own
        self.dnsbl = dnsbl
        self.owners = owners
        self.registry = registry
        # The operator's own MTA writes its DQS key into bounces (<key>.zen.dq.spamhaus.net): it is
        # taken out of the text before the parser can copy it into a snippet that people are shown.
        key = options.dqs_key.strip()
        self._dqs_key = re.compile(re.escape(key), re.IGNORECASE) if len(key) >= 4 else None

    @classmethod
    def create(cls, options: LookupOptions, own: OwnContext | None = None, *,
               registry: Registry = DEFAULT, shared: SharedCache | None = None) -> Diagnoser:
        """``shared``: a cache every instance of the app shares (its state store), for the DNSBL
        reports and owners; None keeps them in this process only (the terminal)."""
        return cls(options, own or OwnContext(),
                   dnsbl=DnsblChecker.create(options, registry=registry, shared=shared),
                   owners=OwnerLookup.create(options, shared=shared), registry=registry)

    @property
    def answer_deadline(self) -> float:
        """How long a surface should wait for a whole answer (the lookups' deadline and a grace)."""
        return self.options.answer_deadline

    async def resolver_trusted(self) -> bool:
        """Whether the resolver path passes Spamhaus's test points now (cached like every lookup)."""
        return (await self.dnsbl.self_test()).ok

    def close(self) -> None:
        """Release the lookup workers (RDAP runs in its own thread pool)."""
        self.owners.close()

    def parse(self, text: str) -> Bounce:
        if self._dqs_key is not None:
            text = self._dqs_key.sub(REDACTED, text)
        return parse_bounce(text, self.registry)

    async def diagnose(self, text: str, *, fresh: bool = False) -> Diagnosis:
        return await self.diagnose_bounce(self.parse(text), fresh=fresh)

    async def diagnose_all(self, bounce: Bounce, *, fresh: bool = False) -> tuple[Diagnosis, ...]:
        """One diagnosis per blocked address of the bounce (two recipients, two hops: at most a few),
        side by side; a bounce without one gets the one diagnosis that says so."""
        if len(bounce.blocked_ips) <= 1:
            return (await self.diagnose_bounce(bounce, fresh=fresh),)
        return tuple(await asyncio.gather(*(self.diagnose_bounce(_about(bounce, ip), fresh=fresh)
                                            for ip in bounce.blocked_ips)))

    async def diagnose_bounce(self, bounce: Bounce, *, fresh: bool = False) -> Diagnosis:
        """The diagnosis of a bounce already parsed (a surface that screened the text parses it once)."""
        started = time.perf_counter()
        ip = bounce.blocked_ip
        problem = bounce.problem or ("no_ip" if ip is None else ip_problem(ip))
        route = advice.microsoft_route(bounce)
        if problem == "no_ip" and route and not route.needs_ip:
            return self._microsoft_without_ip(bounce, route, started)
        # A bounce that blames a domain (DBL, ZRD): the domain lists are asked beside the rest.
        domains = (asyncio.ensure_future(self._domains(bounce, fresh=fresh))
                   if bounce.listed_domains and not bounce.problem else None)
        if problem or ip is None:
            if domains is not None and problem == "no_ip":
                return self._about_domains(bounce, await domains, started)
            if domains is not None:
                domains.cancel()
            return self._without_lookups(bounce, problem or "no_ip", started, ip=ip)

        report, owner = await self._lookups(ip, fresh=fresh)
        checks = await domains if domains is not None else ()
        case, reason_key, reason_params = advice.classify(bounce, ip, owner, self.own)
        steps = advice.fix_steps(bounce=bounce, ip=ip, case=case, dnsbl=report, owner=owner, registry=self.registry,
                                 configured=self.own.configured)
        steps = domain_steps(bounce, checks, self.own, self.registry) + steps
        diagnosis = Diagnosis(
            bounce=bounce,
            ip=ip,
            dnsbl=report,
            owner=owner,
            case=case,
            case_reason=reason_key,
            case_params=reason_params,
            fix=steps,
            blocked_by="microsoft" if case == Case.MICROSOFT and route and route.block else None,
            domains=checks,
            checked_at=_now(),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        log.info("diagnosed ip=%s status=%s case=%s lists=%s in %.0f ms", ip, report.status, case,
                 ",".join(listing.list for listing in report.listings) or "-", diagnosis.elapsed_ms)
        return diagnosis

    def _microsoft_without_ip(self, bounce: Bounce, route: Route, started: float) -> Diagnosis:
        """Microsoft blocked the tenant or the account, not one IP (5.7.705, 5.7.750 ...): its advice
        needs no IP, and there is nothing to look up."""
        code = (bounce.blocklist.code if bounce.blocklist else None) or bounce.enhanced_code or ""
        return Diagnosis(
            bounce=bounce,
            ip=None,
            case=Case.MICROSOFT,
            case_reason="case.reason.microsoft_list",
            case_params={"code": code},
            fix=tuple(advice.microsoft_steps(bounce, None)),
            blocked_by="microsoft" if route.block else None,
            checked_at=_now(),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def _domains(self, bounce: Bounce, *, fresh: bool) -> tuple[DomainCheck, ...]:
        """The domain lists' verdict on each domain the bounce blames (at most a few), side by
        side, within the deadline; a check that runs out of time is "could not check"."""
        names: list[str] = []
        for domain in bounce.listed_domains:
            with contextlib.suppress(ValueError):  # not a name a domain list can be asked about
                names.append(domain_name(domain))
        deadline = self.options.deadline

        async def one(name: str) -> DomainCheck:
            try:
                report = await asyncio.wait_for(self.dnsbl.check_domain(name, fresh=fresh), deadline)
            except TimeoutError:
                report = DnsblReport(status=DnsblStatus.UNKNOWN, resolver=self.options.resolver_label,
                                     dqs=bool(self.options.dqs_key),
                                     zones=(ZoneResult(zone="*", provider="all", status=DnsblStatus.UNKNOWN,
                                                       error="timeout", detail=f"no answer within {deadline:g} s"),))
            return DomainCheck(name, report)

        return tuple(await asyncio.gather(*(one(name) for name in list(dict.fromkeys(names))[:MAX_DOMAINS])))

    def _about_domains(self, bounce: Bounce, checks: tuple[DomainCheck, ...], started: float) -> Diagnosis:
        """A bounce that blames a domain and no IP: the domains' verdicts and what to do."""
        if not checks:
            return self._without_lookups(bounce, "no_ip", started)
        log.info("diagnosed domains=%s status=%s", ",".join(check.domain for check in checks),
                 ",".join(check.report.status for check in checks))
        return Diagnosis(
            bounce=bounce,
            ip=None,
            domains=checks,
            fix=domain_steps(bounce, checks, self.own, self.registry),
            checked_at=_now(),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _without_lookups(self, bounce: Bounce, problem: str, started: float, ip: str | None = None) -> Diagnosis:
        return Diagnosis(
            bounce=bounce,
            ip=ip,
            ip_problem=problem,
            fix=advice.problem_steps(problem, bounce),
            checked_at=_now(),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    async def _lookups(self, ip: str, *, fresh: bool) -> tuple[DnsblReport, Owner]:
        """DNSBL and ownership side by side, bounded together by the deadline. Ownership starts
        first: its first step queues the first question of each of its chains (PTR → A, Cymru origin
        → AS name, RDAP /ip → entity), which then leave ahead of the DNSBL queries; behind them,
        each chain's second question would wait for twenty answers it does not need."""
        deadline = self.options.deadline
        owner_task = asyncio.create_task(self.owners.lookup(ip, fresh=fresh))
        dnsbl_task = asyncio.create_task(self.dnsbl.check(ip, fresh=fresh))
        done, pending = await asyncio.wait((dnsbl_task, owner_task), timeout=deadline)
        for task in pending:
            task.cancel()
        report = _result(dnsbl_task, dnsbl_task in done) or DnsblReport(
            status=DnsblStatus.UNKNOWN,
            zones=(ZoneResult(zone="*", provider="all", status=DnsblStatus.UNKNOWN, error="timeout",
                              detail=f"no answer within {deadline:g} s"),),
            resolver=self.options.resolver_label,
            dqs=bool(self.options.dqs_key),
        )
        owner = _result(owner_task, owner_task in done) or Owner(error="timeout")
        return report, owner


def _about(bounce: Bounce, ip: str) -> Bounce:
    """The bounce as the diagnosis of one of its blocked addresses reads it: that address first."""
    candidates = sorted(bounce.candidates, key=lambda candidate: candidate.ip != ip)
    return dataclasses.replace(bounce, blocked_ip=ip, candidates=tuple(candidates))


def _result(task: asyncio.Task[T], done: bool) -> T | None:
    if not done:
        return None
    if task.exception() is not None:
        # The lookup modules turn every expected failure into a result; this is a bug. Keep
        # answering (the verdict says "could not check") and leave the trace in the log.
        log.error("lookup failed unexpectedly", exc_info=task.exception())
        return None
    return task.result()
