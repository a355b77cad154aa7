"""Cache: the same IP checked again within its TTL makes no DNS or RDAP query.

Queries are counted at the loopback servers (50 ms added to every DNS answer and RDAP request, as
in bench/fanout.py). Compared: the first diagnosis, the same bounce again within the TTL, the
re-check button (``fresh=True``), and two engineers pasting the same bounce at the same moment.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter

from bench.common import Stats, line, quick, stats, title, verdict
from bench.fanout import (
    BOUNCE,
    IP,
    LATENCY,
    Requests,
    forget_requests,
    options_for,
    seen_requests,
    serve_world,
    set_latency,
    start_dns,
    timed,
)
from bot.diagnosis.diagnose import Diagnoser
from loopback.dns_server import LoopbackDNS
from loopback.rdap_server import RecordedRDAP


async def counted(dns_server: LoopbackDNS, rdap: RecordedRDAP, work) -> tuple[float, Requests]:
    """Milliseconds and the requests the servers saw while ``work()`` ran."""
    forget_requests(dns_server, rdap)
    elapsed = await timed(work)
    return elapsed, seen_requests(dns_server, rdap)


async def cached_us(diagnoser: Diagnoser, repeats: int) -> tuple[Stats, Stats]:
    """In-process time of a cached diagnosis, and of its two lookups alone (no parsing, no advice)."""
    whole, lookups = [], []
    for _ in range(repeats):
        started = time.perf_counter_ns()
        await diagnoser.diagnose(BOUNCE)
        middle = time.perf_counter_ns()
        await asyncio.gather(diagnoser.dnsbl.check(IP), diagnoser.owners.lookup(IP))
        lookups.append((time.perf_counter_ns() - middle) / 1000)
        whole.append((middle - started) / 1000)
    return stats(whole), stats(lookups)


async def first_and_again(dns_server: LoopbackDNS, rdap: RecordedRDAP, repeats: int) -> Requests:
    diagnoser = Diagnoser.create(options_for(dns_server, rdap))
    first_ms, first = await counted(dns_server, rdap, lambda: diagnoser.diagnose(BOUNCE))
    line(f"first diagnosis of {IP}: {first_ms:.0f} ms; {first.describe()}")
    forget_requests(dns_server, rdap)
    whole, lookups = await cached_us(diagnoser, repeats)
    again = seen_requests(dns_server, rdap)
    line(f"same bounce again within the TTL, {repeats} times: {again.describe()}; "
         f"in-process {whole.fmt('µs')} for diagnose(), {lookups.fmt('µs')} for the two lookups alone")
    line(verdict("within the TTL, no query", again.total == 0,
                 f"{sum(again.dns.values())} DNS, {len(again.rdap)} RDAP at the servers over {repeats} diagnoses; "
                 f"the first made {first.total}"))
    fresh = [await counted(dns_server, rdap, lambda: diagnoser.diagnose(BOUNCE, fresh=True)) for _ in range(3)]
    line(f"re-check button (fresh=True): {stats(ms for ms, _ in fresh).fmt()}; {fresh[-1][1].describe()} "
         f"(everything again except the RFC 5782 test points, cached for SELF_TEST_TTL)")
    diagnoser.close()
    return first


async def concurrent_pair(dns_server: LoopbackDNS, rdap: RecordedRDAP, first: Requests) -> None:
    diagnoser = Diagnoser.create(options_for(dns_server, rdap))

    async def two_at_once() -> None:
        await asyncio.gather(diagnoser.diagnose(BOUNCE), diagnoser.diagnose(BOUNCE))

    pair_ms, pair = await counted(dns_server, rdap, two_at_once)
    line(f"two diagnoses of {IP} at the same moment (new Diagnoser): {pair_ms:.0f} ms; {pair.describe()}")
    same = pair.dns == first.dns and Counter(pair.rdap) == Counter(first.rdap)
    line(verdict("concurrent lookups merged", same,
                 f"{pair.total} requests for two, {first.total} for one"))
    diagnoser.close()


async def run(repeats: int) -> None:
    dns_server, _ = start_dns(0)
    with RecordedRDAP() as rdap:
        try:
            serve_world(dns_server, rdap)
            set_latency(dns_server, rdap, LATENCY)
            options = options_for(dns_server, rdap)
            title("Cache: the same IP again within its TTL")
            line(f"{LATENCY * 1000:.0f} ms per DNS answer and RDAP request; TTLs: DNSBL report "
                 f"{options.dnsbl_cache_ttl:g} s, owner {options.owner_cache_ttl:g} s, "
                 f"test points {options.self_test_ttl:g} s")
            first = await first_and_again(dns_server, rdap, repeats)
            await concurrent_pair(dns_server, rdap, first)
        finally:
            dns_server.stop()


def main(argv: list[str]) -> int:
    asyncio.run(run(repeats=100 if quick(argv) else 2000))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
