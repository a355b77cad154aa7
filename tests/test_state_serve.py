"""State that survives a restart and is shared by several instances, shown with the real
``python -m bot serve`` processes (configured by environment variables only) against the loopback
DNS, RDAP and fake Slack servers, a SQLite file and a real redis-server.

- A restart: a watch made before it is worked after it, and a listing that clears while the bot
  was down gets exactly one post; a Slack retry of an event answered before the restart is not
  answered again.
- Two instances on one Redis: one event delivered to both gives one reply; one watch change gives
  one post, whichever instance works the round.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.fake_slack import FakeSlack
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures
from loopback.serve_process import ServedBot
from loopback.slack_sender import SlackSender, settle, wait_calls
from tests.support.slack_limits import mrkdwn_texts

LISTED = "45.61.150.7"
ZEN = "zen.spamhaus.org"
BOUNCE = f"550 5.7.1 Service unavailable; Client host [{LISTED}] blocked using zen.spamhaus.org"
WATCH = "watch_listing"


@pytest.fixture(scope="module")
def servers():
    with LoopbackDNS() as dns, RecordedRDAP() as rdap, FakeSlack() as fake:
        yield fake, dns, rdap


@pytest.fixture
def world(servers):
    fake, dns, rdap = servers
    fake.reset()
    dns.clear()
    serve_healthy_lists(dns)
    serve_owner_fixtures(dns, rdap)
    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    return fake, dns, rdap


def delist(dns: LoopbackDNS) -> None:
    dns.remove(f"{'.'.join(reversed(LISTED.split('.')))}.{ZEN}", "A")


def mentions_the_clicker(call) -> bool:
    """A post that tells the watcher something changed."""
    return "<@U_EN>" in "\n".join(mrkdwn_texts(call.params))


def notifications(fake: FakeSlack) -> list:
    return [call for call in fake.calls_to("chat.postMessage") if mentions_the_clicker(call)]


async def answer_and_watch(bot: ServedBot, fake: FakeSlack) -> dict:
    """A bounce pasted in a channel, answered by ``bot``, and "Notify me when delisted" clicked."""
    async with aiohttp.ClientSession() as session:
        sender = SlackSender(bot.url, session, fake)
        event = sender.message_event(BOUNCE)
        await sender.event(event, event_id="Ev-first")
        (update,) = await wait_calls(fake, "chat.update", timeout=10)
        await sender.click(update, WATCH)
        (reply,) = await wait_calls(fake, "response_url", timeout=10)
        assert "I will look at" in "\n".join(mrkdwn_texts(reply.params))
        return event


async def test_a_watch_and_the_reply_window_outlive_a_restart(world, tmp_path):
    fake, dns, rdap = world
    env = {"DATABASE_PATH": str(tmp_path / "state.db"), "WATCH_SCHEDULE": "1s"}
    with ServedBot(fake, dns, rdap, **env) as first:
        event = await answer_and_watch(first, fake)
    # The bot is down; the listing clears meanwhile.
    delist(dns)
    with ServedBot(fake, dns, rdap, **env) as second:
        (post,) = await wait_calls(fake, "chat.postMessage", where=mentions_the_clicker, timeout=10)
        assert post.params["thread_ts"] == event["ts"]
        async with aiohttp.ClientSession() as session:  # Slack retries the first event after the restart
            await SlackSender(second.url, session, fake).event(event, event_id="Ev-first")
        await settle(3.0)  # three more rounds
        assert len(notifications(fake)) == 1
        assert len(fake.calls_to("chat.update")) == 1  # the retry was not answered again
        assert "Traceback" not in second.log()


async def test_two_instances_on_one_redis_answer_once_and_post_a_change_once(world, redis_url):
    fake, dns, rdap = world
    env = {"REDIS_URL": redis_url, "WATCH_SCHEDULE": "1s"}
    with ServedBot(fake, dns, rdap, **env) as one, ServedBot(fake, dns, rdap, **env) as two:
        async with aiohttp.ClientSession() as session:
            senders = [SlackSender(bot.url, session, fake) for bot in (one, two)]
            event = senders[0].message_event(BOUNCE)
            # One event delivered to both (a retry that reached the other instance), at once
            await asyncio.gather(*(sender.event(event, event_id="Ev-both") for sender in senders))
            # The same message as a mention too, with another event id: still one answer
            mention = dict(event, type="app_mention")
            mention.pop("channel_type", None)
            await senders[1].event(mention, event_id="Ev-mention")
            (update,) = await wait_calls(fake, "chat.update", timeout=10)
            await settle(1.0)
            assert len(fake.calls_to("chat.update")) == 1 and len(fake.calls_to("chat.postMessage")) == 1
            await senders[1].click(update, WATCH)
            await wait_calls(fake, "response_url", timeout=10)
        delist(dns)
        await wait_calls(fake, "chat.postMessage", where=mentions_the_clicker, timeout=10)
        await settle(3.0)  # several rounds on both instances
        assert len(notifications(fake)) == 1
        for bot in (one, two):
            assert "Traceback" not in bot.log()
