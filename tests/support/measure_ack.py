"""Slash-command ack latency while every lookup hangs: ``python -m tests.support.measure_ack [N] [HANG_S]``.

Everything real and on loopback: the aiohttp app ``server.py`` builds, the real Diagnoser, a DNS
server that never answers, an RDAP server that never answers, the fake Slack Web API. Fires N
concurrent signed ``/spamhaus <ip>`` requests and prints ack latency p50 / p99 / max, then waits
for the diagnoses to give up (HANG_S, the diagnosis timeout) and checks every command was answered.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from tests.support import netguard

netguard.install()

import aiohttp  # noqa: E402

from bot.config import Nameserver, Settings  # noqa: E402
from bot.diagnosis.diagnose import Diagnoser  # noqa: E402
from bot.diagnosis.lists import DEFAULT_LISTS  # noqa: E402
from bot.slack.app import build_app, make_client  # noqa: E402
from bot.slack.server import bound_port, create_web_app, start_web_app  # noqa: E402
from tests.support.dns_server import LoopbackDNS  # noqa: E402
from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.rdap_server import RecordedRDAP  # noqa: E402
from tests.support.slack_harness import BOT_TOKEN, SIGNING_SECRET, SlackSender, wait_calls  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(count: int, hang: float) -> dict[str, float]:
    with LoopbackDNS() as dns, RecordedRDAP() as rdap, FakeSlack() as fake:
        for dnsbl in DEFAULT_LISTS:
            dns.drop(dnsbl.zone)
        for suffix in ("cymru.com", "in-addr.arpa", "ip6.arpa"):
            dns.drop(suffix)
        rdap.hang()
        settings = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                            slack_api_url=fake.api_url, dns_nameservers=(Nameserver(dns.host, dns.port),),
                            dns_timeout=hang, diagnosis_timeout=hang, rdap_timeout=hang, rdap_relay=rdap.url)
        diagnoser = Diagnoser.from_settings(settings)
        api_session = aiohttp.ClientSession()  # as serve() builds it
        bolt_app = build_app(settings, diagnoser, client=make_client(settings, session=api_session))
        runner = await start_web_app(create_web_app(bolt_app), "127.0.0.1", 0)
        url = f"http://127.0.0.1:{bound_port(runner)}"
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                sender = SlackSender(url, session, fake)
                await sender.command("help")  # first request: Bolt's auth.test, outside the measurement
                started = time.perf_counter()
                replies = await asyncio.gather(*(sender.command(f"45.61.{150 + n // 250}.{n % 250 + 1}",
                                                                user=f"U{n}") for n in range(count)))
                wall = time.perf_counter() - started
                assert all(reply.status == 200 for reply in replies), [reply.status for reply in replies]
                answered_before_acks = len(fake.calls_to("chat.postMessage"))
                await wait_calls(fake, "chat.postMessage", 2 * count, timeout=hang + 15)
        finally:
            await runner.cleanup()
            await api_session.close()
            rdap.reset()
            diagnoser.close()
    latencies = [reply.elapsed * 1000 for reply in replies]
    return {"n": count, "p50_ms": statistics.median(latencies), "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies), "wall_ms": wall * 1000, "answers_before_all_acks": answered_before_acks}


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 20
    hang = float(argv[1]) if len(argv) > 1 else 3.0
    result = asyncio.run(measure(count, hang))
    print(f"{result['n']} concurrent /spamhaus commands, every lookup hanging ({hang:g} s diagnosis timeout): "
          f"ack p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.1f} ms "
          f"(all sent within {result['wall_ms']:.0f} ms; answers posted before the last ack: "
          f"{result['answers_before_all_acks']})")


if __name__ == "__main__":
    main(sys.argv[1:])
