"""The one pipeline: pasted text -> Bounce -> DNSBL and ownership lookups in parallel -> Diagnosis.

Bad input never raises: it comes back as a Diagnosis with ``ip_problem`` set and advice saying
what to paste instead. Lookups that fail or run out of time come back as "could not check" or
"owner unknown", never as "not listed".
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from datetime import UTC, datetime

from bot.config import Settings
from bot.diagnosis import advice
from bot.diagnosis.bounce import is_plausible_ip_text, parse_bounce
from bot.diagnosis.dnsbl import DnsblChecker
from bot.diagnosis.model import Bounce, Diagnosis, DnsblReport, Owner, ZoneResult
from bot.diagnosis.owner import OwnerLookup, make_relay_opener
from bot.diagnosis.resolver import make_async_resolver

log = logging.getLogger(__name__)

# Documentation ranges (RFC 5737, RFC 3849): Python calls them private, but anonymised real
# bounces use them, and checking them is harmless, so they go through the normal path.
_DOCUMENTATION = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
_SHARED_OR_PRIVATE = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def ip_problem(ip: str) -> str | None:
    """Why an address cannot be meaningfully checked, or None when it can."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "malformed"
    if any(address in net for net in _DOCUMENTATION if net.version == address.version):
        return None
    if any(address in net for net in _SHARED_OR_PRIVATE if net.version == address.version):
        return "private"
    if (address.is_loopback or address.is_multicast or address.is_unspecified or address.is_link_local
            or address.is_reserved or not address.is_global):
        return "reserved"
    return None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Diagnoser:
    def __init__(self, settings: Settings, *, dnsbl: DnsblChecker, owners: OwnerLookup):
        self.settings = settings
        self.dnsbl = dnsbl
        self.owners = owners

    @classmethod
    def from_settings(cls, settings: Settings) -> Diagnoser:
        resolver = make_async_resolver(settings.dns_nameservers, settings.dns_timeout)
        dnsbl = DnsblChecker(
            resolver,
            dqs_key=settings.spamhaus_dqs_key,
            query_timeout=settings.dns_timeout,
            total_timeout=max(settings.dns_timeout, settings.diagnosis_timeout - 0.5),
            cache_ttl=settings.cache_ttl,
            self_test_ttl=settings.self_test_ttl,
            resolver_label=settings.resolver_label,
        )
        owners = OwnerLookup(
            nameservers=settings.dns_nameservers,
            dns_timeout=settings.dns_timeout,
            rdap_timeout=min(settings.rdap_timeout, settings.diagnosis_timeout),
            cache_ttl=settings.owner_cache_ttl,
            opener=make_relay_opener(settings.rdap_relay) if settings.rdap_relay else None,
        )
        return cls(settings, dnsbl=dnsbl, owners=owners)

    def close(self) -> None:
        """Release the lookup workers (RDAP runs in its own thread pool)."""
        self.owners.close()

    async def diagnose(self, text: str, *, fresh: bool = False) -> Diagnosis:
        started = time.perf_counter()
        bounce = parse_bounce(text)
        problem = bounce.problem or self._input_problem(text, bounce)
        if problem:
            return self._without_lookups(bounce, problem, started)
        ip = bounce.blocked_ip
        problem = ip_problem(ip)
        if problem:
            return self._without_lookups(bounce, problem, started, ip=ip)

        report, owner = await self._lookups(ip, fresh=fresh)
        case, reason_key, reason_params = advice.classify(bounce, ip, owner, self.settings)
        steps = advice.fix_steps(bounce=bounce, ip=ip, case=case, dnsbl=report, owner=owner)
        diagnosis = Diagnosis(
            bounce=bounce,
            ip=ip,
            dnsbl=report,
            owner=owner,
            case=case,
            case_reason=reason_key,
            case_params=reason_params,
            fix=steps,
            checked_at=_now(),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        log.info("diagnosed ip=%s status=%s case=%s lists=%s in %.0f ms", ip, report.status, case,
                 ",".join(listing.list for listing in report.listings) or "-", diagnosis.elapsed_ms)
        return diagnosis

    def _input_problem(self, text: str, bounce: Bounce) -> str | None:
        if bounce.blocked_ip:
            return None
        if is_plausible_ip_text(text):
            return "malformed"
        return "no_ip"

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
        """DNSBL and ownership side by side, bounded together by DIAGNOSIS_TIMEOUT. Ownership starts
        first: its chain is the longest (Cymru, then RDAP, then up to two levels of entities), and
        the DNSBL queries would otherwise go out, and be answered, ahead of its first query."""
        owner_task = asyncio.create_task(self.owners.lookup(ip, fresh=fresh))
        dnsbl_task = asyncio.create_task(self.dnsbl.check(ip, fresh=fresh))
        done, pending = await asyncio.wait({dnsbl_task, owner_task}, timeout=self.settings.diagnosis_timeout)
        for task in pending:
            task.cancel()
        report = _result(dnsbl_task, done) or DnsblReport(
            status="unknown",
            zones=(ZoneResult(zone="*", provider="all", status="unknown", error="timeout",
                              detail=f"no answer within {self.settings.diagnosis_timeout:g} s"),),
            resolver=self.settings.resolver_label,
            dqs=bool(self.settings.spamhaus_dqs_key),
        )
        owner = _result(owner_task, done) or Owner(error="timeout")
        return report, owner


def _result(task: asyncio.Task, done: set[asyncio.Task]):
    if task not in done:
        return None
    if task.exception() is not None:
        # The lookup modules turn every expected failure into a result; this is a bug. Keep
        # answering (the verdict says "could not check") and leave the trace in the log.
        log.error("lookup failed unexpectedly", exc_info=task.exception())
        return None
    return task.result()
