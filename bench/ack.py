"""Slash-command acknowledgement under load: ``python -m bench.ack [--quick]``.

The bot runs as deployed, ``python -m bot serve`` in its own process (loopback/serve_process.py),
and gets signed ``/spamhaus <ip>`` commands over real HTTP from an aiohttp client with no
connection limit. Its lookups go to the loopback DNS and recorded-RDAP servers, its answers to
the fake Slack Web API, all in this process.

(a) steady load: 200 commands on an open-loop schedule of 20 per second (each sent at its time,
    whether or not earlier ones were answered), lookups answering normally;
(b) burst while everything hangs: 20 commands at once, no DNS or RDAP answer at all, so every
    diagnosis runs into DIAGNOSIS_TIMEOUT; each command must still be answered in its thread;
(c) pasted bounces: 200 message events at 20 per second, each checked against the one-reply
    window in the state store (the SQLite file, the default) before it is acknowledged.

Ack latency is measured from each command's scheduled send time to the end of the HTTP response.
Every repeat starts a fresh server process and warms it up first (Bolt's auth.test).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp

from bench.common import Stats, line, percentile, quick, stats, title, verdict
from bot.diagnosis.providers import DEFAULT
from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.fake_slack import FakeSlack
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures
from loopback.serve_process import ServedBot, warm_up
from loopback.slack_sender import SlackSender

STEADY_COUNT, STEADY_RATE = 200, 20.0  # commands, per second
BURST_COUNT = 20
DIAGNOSIS_TIMEOUT = 3.0  # seconds, for the burst while every lookup hangs
STEADY_CACHE_TTL = "0.001"  # every command does its DNSBL lookups (ownership stays cached: owner.py)
ACK_TARGET_MS = 100.0
LISTED_IP = "45.61.150.7"
USERS = 10  # distinct askers: the locale lookup is cached per user, as in a real workspace
REPEATS, QUICK_REPEATS = 5, 1


@dataclass(frozen=True)
class Round:
    acks_ms: tuple[float, ...]
    failed: int  # commands not acknowledged with HTTP 200
    answered: int  # commands whose summary got its details in the thread
    first_answer_s: float  # from the first send to the first answer in a thread
    calls: tuple[tuple[str, int], ...]  # Slack API calls by method, to see where missing answers went

    @property
    def p50(self) -> float:
        return percentile(self.acks_ms, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.acks_ms, 0.99)


# --- sending -------------------------------------------------------------------------------------

async def send_on_schedule(sender: SlackSender, texts: Sequence[str], interval: float) -> list[tuple[int, float]]:
    """Send command ``i`` at ``start + i * interval`` without waiting for earlier ones.
    Returns (HTTP status, ms from scheduled time to response) per command."""
    start = time.perf_counter()

    async def one(index: int, text: str) -> tuple[int, float]:
        due = start + index * interval
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        reply = await sender.command(text, user=f"U_LOAD{index % USERS}")
        return reply.status, (time.perf_counter() - due) * 1000

    return list(await asyncio.gather(*(one(i, text) for i, text in enumerate(texts))))


async def send_events_on_schedule(sender: SlackSender, texts: Sequence[str],
                                  interval: float) -> list[tuple[int, float]]:
    """Like ``send_on_schedule`` for pasted bounces: message events, each with its own event id."""
    start = time.perf_counter()

    async def one(index: int, text: str) -> tuple[int, float]:
        due = start + index * interval
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        reply = await sender.event(sender.message_event(text, user=f"U_LOAD{index % USERS}"))
        return reply.status, (time.perf_counter() - due) * 1000

    return list(await asyncio.gather(*(one(i, text) for i, text in enumerate(texts))))


def answered_in_thread(fake: FakeSlack) -> tuple[int, list[float]]:
    """How many channel summaries have a reply in their thread, and when those replies came."""
    posts = fake.calls_to("chat.postMessage")
    summaries = {post.ts for post in posts if "thread_ts" not in post.params}
    replies = [post for post in posts if post.params.get("thread_ts") in summaries]
    return len({post.params["thread_ts"] for post in replies}), [post.at for post in replies]


async def wait_answered(fake: FakeSlack, count: int, timeout: float) -> tuple[int, list[float]]:
    deadline = time.monotonic() + timeout
    while True:
        answered, times = answered_in_thread(fake)
        if answered >= count or time.monotonic() > deadline:
            return answered, times
        await asyncio.sleep(0.05)


async def run_round(bot: ServedBot, fake: FakeSlack, texts: Sequence[str], interval: float,
                    answer_timeout: float) -> Round:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        sender = SlackSender(bot.url, session, fake)
        await warm_up(sender)
        fake.reset()
        started = time.monotonic()
        results = await send_on_schedule(sender, texts, interval)
        answered, times = await wait_answered(fake, len(texts), answer_timeout)
    return Round(acks_ms=tuple(ms for _, ms in results), failed=sum(status != 200 for status, _ in results),
                 answered=answered, first_answer_s=(min(times) - started) if times else float("nan"),
                 calls=tuple(sorted(Counter(fake.methods()).items())))


# --- scenarios -----------------------------------------------------------------------------------

def healthy(dns: LoopbackDNS, rdap: RecordedRDAP) -> list[str]:
    """Lists and owners answering normally; returns the IPs to ask about (one listed, the rest not)."""
    dns.clear()
    rdap.reset()
    serve_healthy_lists(dns)
    owners = serve_owner_fixtures(dns, rdap)
    list_ip(dns, LISTED_IP, "zen.spamhaus.org", "127.0.0.2", txt="Listed by SBL, see https://check.spamhaus.org/")
    return sorted(owners.values())


def hang_everything(dns: LoopbackDNS, rdap: RecordedRDAP) -> None:
    healthy(dns, rdap)
    for zone in [dnsbl.zone for dnsbl in DEFAULT.zones] + ["cymru.com", "in-addr.arpa", "ip6.arpa"]:
        dns.drop(zone)
    rdap.hang()


async def steady(fake: FakeSlack, dns: LoopbackDNS, rdap: RecordedRDAP) -> Round:
    ips = healthy(dns, rdap)
    texts = [ips[i % len(ips)] for i in range(STEADY_COUNT)]
    with ServedBot(fake, dns, rdap, CACHE_TTL=STEADY_CACHE_TTL) as bot:
        return await run_round(bot, fake, texts, 1 / STEADY_RATE, answer_timeout=30)


async def burst_while_hanging(fake: FakeSlack, dns: LoopbackDNS, rdap: RecordedRDAP) -> Round:
    hang_everything(dns, rdap)
    texts = [f"45.61.151.{n + 1}" for n in range(BURST_COUNT)]  # new IPs: nothing cached
    try:
        with ServedBot(fake, dns, rdap, DIAGNOSIS_TIMEOUT=str(DIAGNOSIS_TIMEOUT),
                       DNS_TIMEOUT=str(DIAGNOSIS_TIMEOUT), RDAP_TIMEOUT=str(DIAGNOSIS_TIMEOUT)) as bot:
            return await run_round(bot, fake, texts, 0.0, answer_timeout=DIAGNOSIS_TIMEOUT + 15)
    finally:
        rdap.reset()  # release the hanging RDAP requests


async def pasted_bounces(fake: FakeSlack, dns: LoopbackDNS, rdap: RecordedRDAP) -> Round:
    ips = healthy(dns, rdap)
    texts = [f"550 5.7.1 Service unavailable; Client host [{ips[i % len(ips)]}] blocked using zen.spamhaus.org"
             for i in range(STEADY_COUNT)]
    with ServedBot(fake, dns, rdap, CACHE_TTL=STEADY_CACHE_TTL) as bot:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            sender = SlackSender(bot.url, session, fake)
            await warm_up(sender)
            fake.reset()
            started = time.monotonic()
            results = await send_events_on_schedule(sender, texts, 1 / STEADY_RATE)
            deadline = time.monotonic() + 30
            while len(fake.calls_to("chat.update")) < len(texts) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            updates = fake.calls_to("chat.update")
    return Round(acks_ms=tuple(ms for _, ms in results), failed=sum(status != 200 for status, _ in results),
                 answered=len(updates), first_answer_s=(min(c.at for c in updates) - started) if updates
                 else float("nan"), calls=tuple(sorted(Counter(fake.methods()).items())))


# --- report --------------------------------------------------------------------------------------

def report(name: str, rounds: list[Round], count: int) -> Stats:
    p50s, p99s = stats(r.p50 for r in rounds), stats(r.p99 for r in rounds)
    worst = max(max(r.acks_ms) for r in rounds)
    line(f"{name}: ack p50 {p50s.fmt()}, p99 {p99s.fmt()}, max {worst:.1f} ms over all repeats")
    failed = sum(r.failed for r in rounds)
    answered = min(r.answered for r in rounds)
    first = stats(r.first_answer_s for r in rounds)
    line(f"{name}: non-200 acks {failed}; answered {answered}/{count} in its thread in every repeat "
         f"(fewest over repeats); first threaded answer {first.fmt('s', 2)} after the first send")
    for number, short in enumerate(rounds, 1):
        if short.answered < count:
            line(f"{name}: repeat {number} left {count - short.answered} unanswered; Slack calls {dict(short.calls)}")
    return p99s


async def measure(repeats: int) -> int:
    title("Slash-command ack over HTTP (`python -m bot serve` in its own process)")
    line(f"(a) {STEADY_COUNT} commands at {STEADY_RATE:g}/s open-loop, lookups answering, CACHE_TTL="
         f"{STEADY_CACHE_TTL}; (b) {BURST_COUNT} at once, every DNS and RDAP lookup hanging, DIAGNOSIS_TIMEOUT="
         f"{DIAGNOSIS_TIMEOUT:g}; (c) {STEADY_COUNT} message events at {STEADY_RATE:g}/s, the state store "
         f"(SQLite) asked before each ack; {repeats} repeat(s), a fresh server each; ms from scheduled send to "
         "response")
    with LoopbackDNS() as dns, RecordedRDAP() as rdap, FakeSlack() as fake:
        steady_rounds = [await steady(fake, dns, rdap) for _ in range(repeats)]
        report("(a) steady 20/s", steady_rounds, STEADY_COUNT)
        burst_rounds = [await burst_while_hanging(fake, dns, rdap) for _ in range(repeats)]
        burst_p99 = report("(b) burst, lookups hanging", burst_rounds, BURST_COUNT)
        event_rounds = [await pasted_bounces(fake, dns, rdap) for _ in range(repeats)]
        report("(c) pasted bounces 20/s, one-reply check in SQLite", event_rounds, STEADY_COUNT)
    all_answered = all(r.answered == BURST_COUNT and not r.failed for r in burst_rounds)
    ok = burst_p99.median < ACK_TARGET_MS and all_answered
    line(verdict("ack p99 < 100 ms while lookups hang, every command answered", ok,
                 f"median p99 {burst_p99.median:.1f} ms, worst repeat {burst_p99.high:.1f} ms; "
                 f"answered {min(r.answered for r in burst_rounds)}/{BURST_COUNT}"))
    return 0


def main(argv: list[str]) -> int:
    return asyncio.run(measure(QUICK_REPEATS if quick(argv) else REPEATS))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
