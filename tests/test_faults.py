"""Attacked and fault-injected as an outsider would: the real ``python -m bot serve`` (and ``socket``)
in its own process, configured by environment variables only, against loopback DNS, RDAP and Slack
servers that misbehave on demand. One test per failure that issue 14 found, and one per limit it
asked for; each says what was injected and what must hold.

What holds throughout: no reply lost, none posted twice, no secret in anything sent to Slack or
written to the log, no HTTP 500 for anything an outsider can send.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import urllib.request
from urllib.parse import urlencode

import aiohttp
import pytest

from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.fake_slack import TEAM_ID, FakeSlack
from loopback.fake_socket_mode import FakeSocketMode
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures
from loopback.serve_process import ServedBot, warm_up
from loopback.slack_sender import APP_TOKEN, BOT_TOKEN, CHANNEL, SIGNING_SECRET, SlackSender, settle, wait_calls
from tests.support.slack_limits import assert_within_limits, mrkdwn_texts

DQS_KEY = "operatorsdqskey0123456789a"  # 26 characters, the shape of a real key
KEYED_ZONE = f"{DQS_KEY}.zen.dq.spamhaus.net"
LISTED_IP = "45.61.150.7"  # ARIN "hostile" ownership fixture
MANY_LISTINGS_IP = "88.198.20.10"  # RIPE fixture, listed everywhere with long TXT records
SLOW_IP = "193.0.6.139"  # RIPE NCC fixture; its DNSBL answers are made slow where a test needs time
KEYED_BOUNCE = (f"<bob@example.com>: host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; "
                f"Client host [{LISTED_IP}] blocked using {KEYED_ZONE}; see also {DQS_KEY.upper()}.zen.dq.spamhaus.net")
TXT_LINK = "https://evil.example/delist?ip="  # a TXT record's link, whose host must show in its label


_ts = (f"1700000000.{n:06d}" for n in itertools.count(1))  # unique for each served process's reply dedupe


def bounce_for(ip: str) -> str:
    return f"550 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org"


def message(sender: SlackSender, text: str, **extra) -> dict:
    return sender.message_event(text, ts=next(_ts), **extra)


def slow_down(dns: LoopbackDNS, ip: str, seconds: float) -> None:
    """Spamhaus answers for ``ip`` take ``seconds`` (queried through the DQS zone, as these bots do)."""
    dns.delay(f"{'.'.join(reversed(ip.split('.')))}.{KEYED_ZONE}", seconds)


@pytest.fixture(scope="module")
def servers():
    with LoopbackDNS() as dns, RecordedRDAP() as rdap, FakeSlack() as fake:
        serve_healthy_lists(dns, dqs_key=DQS_KEY)
        serve_healthy_lists(dns)
        serve_owner_fixtures(dns, rdap)
        list_ip(dns, LISTED_IP, KEYED_ZONE, "127.0.0.2", txt="Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL1")
        long_txt = [f"{'Listed for sending spam, ' * 9}{TXT_LINK}{n}" for n in range(3)]
        for zone, codes in (("zen.spamhaus.org", ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.9", "127.0.0.10",
                                                  "127.0.0.11")),
                            ("bl.spamcop.net", ("127.0.0.2",)), ("b.barracudacentral.org", ("127.0.0.2",)),
                            ("dnsbl-1.uceprotect.net", ("127.0.0.2",)), ("psbl.surriel.com", ("127.0.0.2",)),
                            ("bl.mailspike.net", ("127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"))):
            for key in ("", DQS_KEY):
                queried = KEYED_ZONE if key and zone == "zen.spamhaus.org" else zone
                list_ip(dns, MANY_LISTINGS_IP, queried, *codes, txt=long_txt)
        yield fake, dns, rdap


def _bot(servers, **env: str) -> ServedBot:
    fake, dns, rdap = servers
    return ServedBot(fake, dns, rdap, LOG_LEVEL="DEBUG", SPAMHAUS_DQS_KEY=DQS_KEY, **env)


@pytest.fixture(scope="module")
def served(servers):
    with _bot(servers, HTTP_HEADER_TIMEOUT="1") as bot:
        asyncio.run(_warm_up(bot.url, servers[0]))
        yield bot


async def _warm_up(url: str, fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        await warm_up(SlackSender(url, session, fake))


@pytest.fixture
async def sender(served, servers):
    fake, dns, rdap = servers
    fake.reset()
    rdap.reset()
    dns.table.queries.clear()
    async with aiohttp.ClientSession() as session:
        yield SlackSender(served.url, session, fake)


def _answers(fake: FakeSlack) -> list:
    """The full answers Slack accepted: updates or posts that carry the verdict header."""
    return [call for call in fake.calls if call.status == 200 and call.method in ("chat.update", "chat.postMessage")
            and any(block.get("block_id") == "verdict" for block in call.params.get("blocks") or [])]


def _answered_threads(fake: FakeSlack) -> list[str]:
    """For each full answer Slack accepted, the thread it is in (an updated placeholder's thread)."""
    threads = {call.response["ts"]: call.params.get("thread_ts") for call in fake.calls_to("chat.postMessage")
               if call.response and call.response.get("ok")}
    return sorted(call.params["thread_ts"] if call.method == "chat.postMessage" else threads[call.params["ts"]]
                  for call in _answers(fake))


def _no_secret_anywhere(fake: FakeSlack, log: str) -> None:
    sent = fake.everything_sent().lower()
    for secret in (DQS_KEY, BOT_TOKEN, SIGNING_SECRET, APP_TOKEN):
        assert secret.lower() not in sent, f"{secret[:6]}… was sent to Slack"
        assert secret.lower() not in log.lower(), f"{secret[:6]}… was logged"


# --- 1. unauthenticated garbage ------------------------------------------------------------------

async def _raw(session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]) -> int:
    async with session.post(f"{url}/slack/events", data=body, headers=headers) as response:
        await response.read()
        return response.status


def _signed(body: bytes, *, timestamp: str | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    import hashlib
    import hmac

    timestamp = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


JSON, FORM = "application/json", "application/x-www-form-urlencoded"
GARBAGE = [(b"{x", JSON), (b"[]", JSON), (b"null", JSON), (b"payload=%7Bbad", FORM), (b"\xff\xfe{\"a\":1}", JSON),
           (b"payload=null", FORM), (b"", FORM)]


async def test_1_unsigned_or_malformed_requests_get_401_or_400_and_a_rate_limited_short_log_line(sender, served):
    log_before = len(served.log())
    session, url = sender.session, served.url
    cases: list[tuple[bytes, dict[str, str], int]] = []
    for body, content_type in GARBAGE:
        form = {"Content-Type": content_type}
        cases.append((body, {**form}, 401))  # not signed at all
        cases.append((body, {**form, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}, 400))
        cases.append((body, {**form, **_signed(body, secret="guessed")}, 401))
        cases.append((body, {**form, **_signed(body, timestamp=str(int(time.time()) - 3600))}, 401))
        if body:  # signed with the real secret, yet not a payload Bolt can read
            cases.append((body, {**form, **_signed(body)}, 400))
    statuses = await asyncio.gather(*(_raw(session, url, body, headers) for body, headers, _ in cases))
    assert statuses == [expected for _, _, expected in cases]
    started = time.perf_counter()
    flood = await asyncio.gather(*(_raw(session, url, GARBAGE[n % len(GARBAGE)][0], {"Content-Type": JSON})
                                   for n in range(500)))
    flood_seconds = time.perf_counter() - started
    assert set(flood) == {401}
    added = served.log()[log_before:]
    assert len(added) < 2_000, f"{len(added)} bytes of log for {len(cases) + 500} refused requests"
    assert "Traceback" not in added and " ERROR " not in added
    assert "refused a request to /slack/events" in added
    await settle()
    assert sender.fake.calls == [] and flood_seconds < 10


# --- 2. one caller's deadline, another caller's lookup -------------------------------------------

async def test_2_a_second_caller_of_the_same_ip_is_answered_when_the_first_ones_deadline_passes(servers):
    fake, _, rdap = servers
    fake.reset()
    rdap.reset()
    rdap.latency = 1.6  # ownership outlasts DIAGNOSIS_TIMEOUT; RDAP_TIMEOUT is longer still
    try:
        with _bot(servers, DIAGNOSIS_TIMEOUT="1", RDAP_TIMEOUT="3", OWNER_CACHE_TTL="1") as bot:
            async with aiohttp.ClientSession() as session:
                sender = SlackSender(bot.url, session, fake)
                await sender.event(message(sender, bounce_for(LISTED_IP)))
                await asyncio.sleep(0.4)
                await sender.event(message(sender, bounce_for(LISTED_IP)))
                await wait_calls(fake, "chat.update", 2, timeout=15)
                await settle(1.0)
            assert len(_answers(fake)) == 2, [call.params.get("text") for call in fake.calls_to("chat.update")]
            assert "Sorry" not in fake.everything_sent()
    finally:
        rdap.reset()


# --- 3. text that Unicode normalisation multiplies -----------------------------------------------

async def test_3_unicode_expansion_neither_stalls_the_event_loop_nor_is_parsed_past_the_cap(sender, served):
    latencies: list[float] = []
    stop = asyncio.Event()

    async def poll_health() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                async with sender.session.get(f"{served.url}/healthz") as response:
                    await response.read()
            except aiohttp.ClientOSError:  # a kept-alive connection the server closed as the request left
                continue
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    polling = asyncio.create_task(poll_health())
    replies = await asyncio.gather(*(sender.event(message(sender, "\ufdfa" * 40_000)) for _ in range(20)))
    mention = message(sender, "\ufdfa" * 120_000, kind="app_mention")  # 2.16 million once normalised
    mention_reply = await sender.event(mention)
    (answer,) = await wait_calls(sender.fake, "chat.update", timeout=15)
    stop.set()
    await polling
    assert "too large" in " ".join(mrkdwn_texts(answer.params)).lower()
    assert {reply.status for reply in replies} == {200} and mention_reply.status == 200
    assert max(reply.elapsed for reply in [*replies, mention_reply]) < 1.0
    # The parser's thread still holds the GIL through each regular expression: a poll can wait for
    # one, never for a whole parse (20 such messages stalled /healthz for 1.7 s when parsed on the loop).
    assert max(latencies) < 1.0, f"/healthz took up to {max(latencies) * 1000:.0f} ms"


# --- 4. the operator's DQS key in a pasted bounce ------------------------------------------------

async def test_4_the_dqs_key_never_leaves_the_process_and_the_button_refers_to_the_text(sender, served):
    await sender.event(message(sender, KEYED_BOUNCE))
    (answer,) = await wait_calls(sender.fake, "chat.update")
    assert "zen.dq.spamhaus.net" in " ".join(mrkdwn_texts(answer.params))
    value = next(element["value"] for block in answer.params["blocks"] if block["type"] == "actions"
                 for element in block["elements"] if element["action_id"] == "recheck")
    assert set(json.loads(value)) == {"ip", "k", "l", "r"}  # a reference, not the pasted text
    await sender.click(answer, "recheck")
    rechecked = await wait_calls(sender.fake, "chat.update", 2)
    assert "zen.dq.spamhaus.net" in " ".join(mrkdwn_texts(rechecked[-1].params))  # the bounce's context kept
    await settle()
    _no_secret_anywhere(sender.fake, served.log())


# --- 5. Slack's transient errors -----------------------------------------------------------------

async def test_5_server_errors_and_dropped_connections_cost_no_reply_and_post_none_twice(sender, served):
    fake = sender.fake
    fake.server_error("chat.postMessage", times=2, status=503)
    fake.drop_connection("chat.postMessage")
    first = message(sender, bounce_for(LISTED_IP))
    await sender.event(first)
    await wait_calls(fake, "chat.update", timeout=15)  # the placeholder got through on the fourth try
    fake.server_error("chat.update", times=20, status=502)  # and now no placeholder can be updated at all
    second = message(sender, bounce_for(MANY_LISTINGS_IP))
    await sender.event(second)
    await wait_calls(fake, "chat.postMessage", 1, timeout=20,
                     where=lambda call: call.status == 200 and call.params.get("thread_ts") == second["ts"]
                     and (call.params.get("blocks") or [{}])[0].get("block_id") == "verdict")
    await settle(1.0)
    assert _answered_threads(fake) == sorted([first["ts"], second["ts"]])  # each answered, and once


# --- 7. a reply longer than Slack takes ----------------------------------------------------------

async def test_7_a_huge_diagnosis_fits_slacks_total_and_every_link_names_its_host(sender):
    await sender.event(message(sender, bounce_for(MANY_LISTINGS_IP)))
    (answer,) = await wait_calls(sender.fake, "chat.update")
    assert_within_limits(answer.params)  # 50 blocks and 12,000 characters of blocks
    texts = " ".join(mrkdwn_texts(answer.params))
    assert len([b for b in answer.params["blocks"] if b.get("block_id", "").startswith("listing_")]) >= 12
    links = re.findall(r"<(https?://[^|>]+)\|([^>]*)>", texts)
    assert links and all(urllib.request.urlparse(url).hostname in label for url, label in links), links


# --- 9. payloads missing what a listener expects ------------------------------------------------

async def test_9_a_slash_command_without_a_channel_is_answered_to_the_asker(sender):
    form = {"token": "legacy", "team_id": TEAM_ID, "user_id": "U_EN", "command": "/spamhaus", "text": LISTED_IP,
            "response_url": sender.fake.response_url("no-channel"), "trigger_id": "1.2.3"}
    reply = await sender.post(urlencode(form), "application/x-www-form-urlencoded")
    assert reply.status == 200
    (answer,) = await wait_calls(sender.fake, "response_url", where=lambda call: "blocks" in call.params
                                 and call.params.get("_response_name") == "no-channel")
    assert LISTED_IP in answer.params["text"] and answer.params["response_type"] == "ephemeral"


# --- limits, timeouts, health --------------------------------------------------------------------

async def test_idle_and_half_open_connections_are_closed_after_the_header_timeout(served):
    host, port = "127.0.0.1", served.port
    connections = [await asyncio.open_connection(host, port) for _ in range(200)]
    for n, (_, writer) in enumerate(connections):
        if n % 2:
            writer.write(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: applica")  # never finished
    await asyncio.sleep(2.5)  # HTTP_HEADER_TIMEOUT=1
    closed = 0
    for reader, writer in connections:
        try:
            closed += await asyncio.wait_for(reader.read(1024), 1.0) == b""
        except (ConnectionError, TimeoutError):
            closed += 0
        writer.close()
    assert closed == len(connections)


async def test_healthz_reports_the_resolver_self_test_and_metrics_count_what_happened(sender, served):
    await sender.command(LISTED_IP)
    await wait_calls(sender.fake, "chat.postMessage", 2)
    async with sender.session.get(f"{served.url}/healthz") as response:
        health = await response.json()
    assert response.status == 200 and health == {"ok": True, "resolver_self_test": "ok", "state_store": "ok",
                                                  "draining": False}
    async with sender.session.get(f"{served.url}/metrics") as response:
        metrics = await response.text()
    for name in ('bounce_doctor_checks_total{outcome="listed"}', "bounce_doctor_checks_in_flight",
                 "bounce_doctor_acks_over_1s_total", "bounce_doctor_requests_refused_total",
                 "bounce_doctor_slack_api_errors_total", "bounce_doctor_lookups_failed_total"):
        assert name in metrics, name
    assert DQS_KEY not in metrics and LISTED_IP not in metrics


async def test_per_user_and_per_channel_limits_answer_once_in_a_friendly_way(servers):
    fake = servers[0]
    fake.reset()
    with _bot(servers, USER_CHECKS_PER_MINUTE="2", CHANNEL_CHECKS_PER_MINUTE="3") as bot:
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(bot.url, session, fake)
            for user in ("U_EN", "U_EN", "U_EN", "U_EN", "U_B", "U_C", "U_C"):
                assert (await sender.command(LISTED_IP, user=user)).status == 200
            await settle(2.0)
    told = [call for call in fake.calls_to("response_url") if "in the last minute" in call.params.get("text", "")]
    assert [call.params["_response_name"] for call in told] == ["cmd-U_EN", "cmd-U_C"]  # each told once
    assert "You have asked" in told[0].params["text"] and "This channel" in told[1].params["text"]
    summaries = [call for call in fake.calls_to("chat.postMessage") if "thread_ts" not in call.params]
    assert len(summaries) == 3  # U_EN twice, U_B once; the channel's third check was its last


async def test_checks_over_the_bound_in_flight_say_busy_and_are_answered_when_a_slot_frees(servers):
    fake, dns, _ = servers
    fake.reset()
    slow_down(dns, SLOW_IP, 1.0)
    try:
        with _bot(servers, MAX_CHECKS_IN_FLIGHT="1") as bot:
            async with aiohttp.ClientSession() as session:
                sender = SlackSender(bot.url, session, fake)
                await sender.event(message(sender, bounce_for(SLOW_IP)))
                await asyncio.sleep(0.3)
                await sender.event(message(sender, bounce_for(LISTED_IP)))
                await wait_calls(fake, "chat.update", 3, timeout=15)
                await settle(0.5)
    finally:
        dns.table.behaviours.clear()
    texts = [call.params.get("text", "") for call in fake.calls_to("chat.update")]
    assert any("busy" in text for text in texts)
    assert len(_answers(fake)) == 2


# --- 9. shutdown drains in both modes; a refused app token fails fast ----------------------------

async def test_9_sigterm_in_http_mode_lets_the_answer_in_progress_finish_then_exits(servers):
    fake, dns, _ = servers
    fake.reset()
    slow_down(dns, SLOW_IP, 1.5)
    try:
        bot = _bot(servers).start()
        async with aiohttp.ClientSession() as session:
            sender = SlackSender(bot.url, session, fake)
            assert (await sender.command(SLOW_IP)).status == 200
            await asyncio.sleep(0.3)
            bot.signal()
            status = await asyncio.to_thread(bot.wait, 20)
    finally:
        dns.table.behaviours.clear()
        bot.stop()
    assert status == 0
    summary, details = fake.calls_to("chat.postMessage")
    assert details.params["thread_ts"] == summary.response["ts"]
    assert "shutting down: 1 answer(s) in progress" in bot.log()


async def test_9_sigterm_in_socket_mode_lets_the_answer_in_progress_finish_then_exits(servers):
    fake, dns, _ = servers
    fake.reset()
    socket_server = await FakeSocketMode().start()
    fake.socket_url = socket_server.url
    slow_down(dns, SLOW_IP, 1.5)
    bot = _bot(servers, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")
    bot.environment.pop("SLACK_SIGNING_SECRET")
    bot.mode = "socket"
    try:
        bot.start()
        command = {"token": "legacy", "team_id": TEAM_ID, "channel_id": CHANNEL, "user_id": "U_EN",
                   "command": "/spamhaus", "text": SLOW_IP, "response_url": fake.response_url("socket"),
                   "trigger_id": "1.2.3"}
        await socket_server.push("slash_commands", command, envelope_id="env-1", accepts_response_payload=True)
        await socket_server.ack_for("env-1", timeout=10)
        bot.signal()
        status = await asyncio.to_thread(bot.wait, 20)
    finally:
        dns.table.behaviours.clear()
        fake.socket_url = None
        bot.stop()
        await socket_server.stop()
    assert status == 0, bot.log()
    assert len(fake.calls_to("chat.postMessage")) == 2  # summary and details: nothing lost to the restart


@pytest.mark.parametrize(("app_token", "refusal"), [("xapp-1-A1-revoked", "invalid_auth"),
                                                    (BOT_TOKEN, None)])
def test_9_an_app_token_slack_refuses_or_of_the_wrong_kind_ends_the_worker_with_one_clear_line(
        servers, app_token, refusal):
    fake = servers[0]
    fake.reset()
    fake.socket_url = "ws://127.0.0.1:9/never"
    if refusal:
        fake.fail_once("apps.connections.open", refusal)
    bot = _bot(servers, SLACK_APP_TOKEN=app_token)
    bot.environment.pop("SLACK_SIGNING_SECRET")
    bot.mode = "socket"
    try:
        started = time.monotonic()
        bot.start()
        status = bot.wait(15)
        elapsed = time.monotonic() - started
    finally:
        fake.socket_url = None
        bot.stop()
    assert status == 5 and elapsed < 10, bot.log()
    line = next(line for line in bot.log().splitlines() if line.startswith("error: configuration:"))
    assert "SLACK_APP_TOKEN" in line and app_token not in bot.log()
