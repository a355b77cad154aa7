"""The bot as deployed: ``python -m bot serve`` in its own process, configured by environment variables
only (as the Procfile's ``web:`` line runs it), talked to over real HTTP with signed requests, and
itself talking to the fake Slack, the loopback DNS and the recorded-RDAP servers. One process for
the whole module, logging at DEBUG so that the secrets check sees everything it could log."""

from __future__ import annotations

import asyncio
import itertools
import urllib.request

import aiohttp
import pytest

from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.fake_slack import FakeSlack
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures
from loopback.serve_process import ServedBot, warm_up
from tests.support.slack_harness import BOT_TOKEN, CHANNEL, SIGNING_SECRET, SlackSender, settle, wait_calls
from tests.support.slack_limits import mrkdwn_texts

LISTED_IP = "45.61.150.7"  # the "hostile" ownership fixture
SBL_TXT = "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL654321"
BOUNCE = (f"<bob@example.com>: host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; "
          f"Client host [{LISTED_IP}] blocked using zen.spamhaus.org (in reply to RCPT TO command)")
ACK_LIMIT = 1.0  # seconds; Slack allows 3, the app acks in tens of milliseconds
_message_ts = (f"1700000000.{n:06d}" for n in itertools.count(1))  # unique for the process's reply dedupe


@pytest.fixture(scope="module")
def servers():
    with LoopbackDNS() as dns, RecordedRDAP() as rdap, FakeSlack() as fake:
        serve_healthy_lists(dns)
        serve_owner_fixtures(dns, rdap)
        list_ip(dns, LISTED_IP, "zen.spamhaus.org", "127.0.0.2", txt=SBL_TXT)
        yield fake, dns, rdap


@pytest.fixture(scope="module")
def served(servers):
    fake, dns, rdap = servers
    with ServedBot(fake, dns, rdap, LOG_LEVEL="DEBUG") as bot:
        asyncio.run(_warm_up(bot.url, fake))
        yield bot


async def _warm_up(url: str, fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        await warm_up(SlackSender(url, session, fake))


@pytest.fixture
async def sender(served, servers):
    fake, dns, _ = servers
    fake.reset()
    dns.table.queries.clear()
    async with aiohttp.ClientSession() as session:
        yield SlackSender(served.url, session, fake)


def _text(call) -> str:
    return "\n".join(mrkdwn_texts(call.params))


def test_healthz_answers_200(served):
    with urllib.request.urlopen(f"{served.url}/healthz", timeout=2) as response:
        assert response.status == 200


async def test_slash_command_is_acked_at_once_then_answered_in_a_thread_naming_the_listing(sender):
    reply = await sender.command(LISTED_IP)
    assert (reply.status, reply.body) == (200, "")
    assert reply.elapsed < ACK_LIMIT, f"ack took {reply.elapsed * 1000:.0f} ms"
    summary, details = await wait_calls(sender.fake, "chat.postMessage", 2)
    assert summary.params["channel"] == CHANNEL and "thread_ts" not in summary.params
    assert details.params["thread_ts"] == summary.response["ts"]
    assert f"{LISTED_IP} is listed: Spamhaus SBL" in _text(summary)
    assert "SBL654321" in _text(details)
    assert summary.token == BOT_TOKEN


async def test_pasted_bounce_in_a_channel_gets_a_reply_in_its_thread(sender):
    event = sender.message_event(BOUNCE, ts=next(_message_ts))
    assert (await sender.event(event)).status == 200
    (placeholder,) = await wait_calls(sender.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"] and placeholder.params["channel"] == CHANNEL
    (update,) = await wait_calls(sender.fake, "chat.update")
    assert update.params["ts"] == placeholder.response["ts"]
    assert "SBL654321" in _text(update)


async def test_ordinary_chat_gets_no_reply_and_no_lookup(sender, servers):
    _, dns, _ = servers
    for text in ("good morning team", "the new server is 88.198.20.10", "lunch at 12:30?"):
        assert (await sender.event(sender.message_event(text, ts=next(_message_ts)))).status == 200
    await settle()
    assert sender.fake.methods() == [] and dns.query_count == 0


async def test_bad_signature_is_refused_and_nothing_happens(sender, servers):
    _, dns, _ = servers
    sender.secret = "not-the-signing-secret"
    assert (await sender.command(LISTED_IP)).status == 401
    assert (await sender.event(sender.message_event(BOUNCE, ts=next(_message_ts)))).status == 401
    await settle()
    assert sender.fake.calls == [] and dns.query_count == 0


async def test_retried_event_is_answered_once(sender, served):
    event = sender.message_event(BOUNCE, ts=next(_message_ts))
    event_id = f"EvRETRY{event['ts'].replace('.', '')}"
    first = await sender.event(event, event_id=event_id)
    retry = await sender.event(event, event_id=event_id,
                               headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == retry.status == 200
    await wait_calls(sender.fake, "chat.update")
    await settle()
    assert len(sender.fake.calls_to("chat.postMessage")) == 1
    assert len(sender.fake.calls_to("chat.update")) == 1
    assert f"event {event_id} already handled" in served.log()  # dropped by event_id, before any listener


async def test_bot_token_and_signing_secret_never_reach_the_log_nor_slack(sender, served):
    # Pasted into a bounce, both secrets would travel in the bot's own calls to Slack, which slack_sdk
    # logs at DEBUG: the client redacts what it sends, and the log filter stands behind it.
    event = sender.message_event(f"{BOUNCE} {BOT_TOKEN} {SIGNING_SECRET}", ts=next(_message_ts))
    await sender.event(event)
    await sender.command(LISTED_IP)
    await wait_calls(sender.fake, "chat.update")
    await wait_calls(sender.fake, "chat.postMessage", 3)
    sent = sender.fake.everything_sent()
    assert SIGNING_SECRET not in sent and BOT_TOKEN.split("-")[-1] not in sent
    log = served.log()
    assert " DEBUG slack_sdk" in log or " DEBUG bot.slack.web" in log  # the log really is at DEBUG
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log
    assert BOT_TOKEN.split("-")[-1] not in log  # not even the token's unique tail
