"""Memory of the serving process over many diagnoses: ``python -m bench.memory [--quick]``.

The bot runs as deployed, ``python -m bot serve`` in its own process (loopback/serve_process.py).
Diagnoses are driven through signed ``/spamhaus <ip>`` commands over HTTP, 10 in flight, each one
finished only when its details reached its thread at the fake Slack (every command gets a channel of
its own, so its answer is easy to recognise). The IPs cycle over the recorded owners plus listed and
unlisted addresses. RSS is read with psutil after a warm-up (one diagnosis of each IP) and after
every 250 diagnoses, with nothing in flight; the peak is the kernel's high-water mark (VmHWM).

Run once with CACHE_TTL and OWNER_CACHE_TTL as small as the configuration allows, so that every diagnosis repeats its
DNSBL and RDAP lookups and a cache cannot hide a leak, and once with the default caches.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil

from bench.common import line, quick, title, verdict
from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.fake_slack import FakeSlack
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures
from loopback.serve_process import ServedBot, warm_up
from loopback.slack_sender import SlackSender

DIAGNOSES, CHECKPOINT = 1000, 250
IN_FLIGHT = 10
USERS = 10
ANSWER_TIMEOUT = 20.0  # seconds for one diagnosis to reach its thread
MIN_CACHE_TTL = "0.001"  # CACHE_TTL must be > 0 (bot/config.py)
PEAK_TARGET_MB, NOISE_MB = 150.0, 2.0
MB = 1024 * 1024
EXTRA_LISTED = {"203.0.113.5": "127.0.0.4", "45.61.150.7": "127.0.0.2"}  # ip -> zen code
EXTRA_UNLISTED = ("198.51.100.7",)


@dataclass(frozen=True)
class Run:
    label: str
    rss_mb: tuple[float, ...]  # after warm-up, then after every CHECKPOINT diagnoses
    peak_mb: float
    answered: int
    dns_queries: int
    rdap_requests: int

    @property
    def growth_mb(self) -> float:
        """From half-way to the end: the warm-up and the caches filling up are behind us by then."""
        return self.rss_mb[-1] - self.rss_mb[len(self.rss_mb) // 2]


def ip_pool(dns: LoopbackDNS, rdap: RecordedRDAP) -> list[str]:
    serve_healthy_lists(dns)
    owners = serve_owner_fixtures(dns, rdap)
    for ip, code in EXTRA_LISTED.items():
        list_ip(dns, ip, "zen.spamhaus.org", code, txt=f"Listed, see https://check.spamhaus.org/query/ip/{ip}")
    return sorted({*owners.values(), *EXTRA_LISTED, *EXTRA_UNLISTED})


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had (Linux)."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/<pid>/status")


class AnswerWatch:
    """Resolves a future per channel when that channel's thread gets the bot's details."""

    def __init__(self, fake: FakeSlack):
        self.fake = fake
        self.waiting: dict[str, asyncio.Future[None]] = {}
        self._seen = 0

    def expect(self, channel: str) -> asyncio.Future[None]:
        future = asyncio.get_running_loop().create_future()
        self.waiting[channel] = future
        return future

    async def run(self) -> None:
        while True:
            calls = self.fake.calls[self._seen:]
            self._seen += len(calls)
            for call in calls:
                if call.method == "chat.postMessage" and "thread_ts" in call.params:
                    future = self.waiting.pop(call.params.get("channel"), None)
                    if future is not None and not future.done():
                        future.set_result(None)
            await asyncio.sleep(0.005)


async def diagnose_all(sender: SlackSender, watch: AnswerWatch, ips: Sequence[str], first: int, count: int) -> int:
    """``count`` diagnoses, ``IN_FLIGHT`` at a time; returns how many were answered in their thread."""
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(n: int) -> bool:
        async with slots:
            channel = f"C_MEM{n}"
            answered = watch.expect(channel)
            reply = await sender.command(ips[n % len(ips)], channel=channel, user=f"U_MEM{n % USERS}")
            if reply.status != 200:
                watch.waiting.pop(channel, None)
                return False
            try:
                await asyncio.wait_for(answered, ANSWER_TIMEOUT)
            except TimeoutError:
                watch.waiting.pop(channel, None)
                return False
            return True

    return sum(await asyncio.gather(*(one(n) for n in range(first, first + count))))


async def measure_run(label: str, fake: FakeSlack, dns: LoopbackDNS, rdap: RecordedRDAP, total: int,
                      **env: str) -> Run:
    dns.clear()
    rdap.reset()
    ips = ip_pool(dns, rdap)
    with ServedBot(fake, dns, rdap, **env) as bot:
        process = psutil.Process(bot.pid)
        watch = AnswerWatch(fake)
        watcher = asyncio.create_task(watch.run())
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                sender = SlackSender(bot.url, session, fake)
                await warm_up(sender)
                await diagnose_all(sender, watch, ips, -len(ips), len(ips))  # each IP once, before counting
                queries_before, rdap_before = dns.query_count, rdap.count()
                rss = [process.memory_info().rss / MB]
                answered = 0
                for done in range(0, total, CHECKPOINT):
                    answered += await diagnose_all(sender, watch, ips, done, min(CHECKPOINT, total - done))
                    rss.append(process.memory_info().rss / MB)
        finally:
            watcher.cancel()
        peak = peak_rss_mb(bot.pid)
    return Run(label, tuple(rss), peak, answered, dns.query_count - queries_before, rdap.count() - rdap_before)


def report(run: Run, total: int) -> None:
    points = " / ".join(f"{mb:.1f}" for mb in run.rss_mb)
    line(f"{run.label}: RSS at 0/{'/'.join(str(n) for n in range(CHECKPOINT, total + 1, CHECKPOINT))} diagnoses "
         f"{points} MB; peak {run.peak_mb:.1f} MB; growth {total // 2}→{total} {run.growth_mb:+.2f} MB")
    line(f"{run.label}: answered {run.answered}/{total} in their thread; {run.dns_queries} DNS queries, "
         f"{run.rdap_requests} RDAP requests during the {total}")


async def measure(full: bool) -> int:
    title("Memory of the serving process (`python -m bot serve`)")
    line(f"{DIAGNOSES} /spamhaus diagnoses over HTTP, {IN_FLIGHT} in flight, each waited for until its thread "
         f"answer; IPs: recorded owners + listed + unlisted; RSS (psutil) after a warm-up and every {CHECKPOINT}; "
         f"peak = VmHWM; noise = {NOISE_MB:g} MB")
    runs = []
    with LoopbackDNS() as dns, RecordedRDAP() as rdap, FakeSlack() as fake:
        started = time.perf_counter()
        runs.append(await measure_run(f"CACHE_TTL=OWNER_CACHE_TTL={MIN_CACHE_TTL}", fake, dns, rdap, DIAGNOSES,
                                      CACHE_TTL=MIN_CACHE_TTL, OWNER_CACHE_TTL=MIN_CACHE_TTL))
        report(runs[-1], DIAGNOSES)
        if full:
            runs.append(await measure_run("default cache", fake, dns, rdap, DIAGNOSES))
            report(runs[-1], DIAGNOSES)
        line(f"({time.perf_counter() - started:.0f} s)")
    peak = max(run.peak_mb for run in runs)
    growth = max(run.growth_mb for run in runs)
    line(verdict(f"peak RSS < {PEAK_TARGET_MB:g} MB", peak < PEAK_TARGET_MB, f"highest peak {peak:.1f} MB"))
    line(verdict(f"no growth from {DIAGNOSES // 2} to {DIAGNOSES} diagnoses", growth < NOISE_MB,
                 f"largest growth {growth:+.2f} MB, noise {NOISE_MB:g} MB"))
    return 0


def main(argv: list[str]) -> int:
    return asyncio.run(measure(full=not quick(argv)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
