"""Watches through Slack, against the real stores (a SQLite file, a real redis-server) and the
loopback DNS, RDAP and fake Slack: "Notify me when delisted", the one post when a listing changes,
``/spamhaus watches`` with Stop, App Home, the one-reply window in the store, and a store that fails.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bot.diagnosis.dnsbl import reverse_name
from bot.render.blocks import STOP_WATCH_ACTION, WATCH_ACTION
from bot.state import open_store
from bot.watching import new_watch, run_round
from loopback.dnsbl_zones import list_ip
from tests.support.slack_harness import running_app, settle, test_settings, wait_calls
from tests.support.slack_limits import mrkdwn_texts

LISTED = "45.61.150.7"
ZEN = "zen.spamhaus.org"
BOUNCE = (f"<bob@example.com>: host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; "
          f"Client host [{LISTED}] blocked using zen.spamhaus.org (in reply to RCPT TO command)")


def text_of(call) -> str:
    return "\n".join(mrkdwn_texts(call.params))


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request, database_path):
    """The state in a SQLite file, and in a real Redis: every test runs against both."""
    if request.param == "sqlite":
        return {"database_path": database_path}
    return {"database_path": database_path, "redis_url": request.getfixturevalue("redis_url")}


@pytest.fixture
async def watched(fake_slack, dns, rdap, diagnoser, store_url):
    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    settings = test_settings(fake_slack, dns, rdap.url, watch_schedule=(0.4,), **store_url)
    store = open_store(database_path=settings.database_path, redis_url=settings.redis_url)
    try:
        async with running_app(settings, diagnoser, fake_slack, store=store) as app:
            yield app, store
    finally:
        await store.close()


async def answered(app) -> object:
    """A pasted bounce answered in its thread; the updated answer (with its buttons)."""
    event = app.sender.message_event(BOUNCE)
    await app.sender.event(event)
    (update,) = await wait_calls(app.fake, "chat.update")
    return update, event


def delist(dns) -> None:
    dns.remove(f"{reverse_name(LISTED)}.{ZEN}", "A")


async def test_notify_me_when_delisted_posts_once_in_the_thread_mentioning_the_clicker(watched, dns):
    app, store = watched
    update, event = await answered(app)
    assert any(e.get("action_id") == WATCH_ACTION for b in update.params["blocks"] if b["type"] == "actions"
               for e in b["elements"])
    posts = len(app.fake.calls_to("chat.postMessage"))  # the placeholder
    await app.sender.click(update, WATCH_ACTION, user="U_TW")
    (started,) = await wait_calls(app.fake, "response_url")
    assert "我會依排程再次查詢" in text_of(started)  # to the clicker, in the clicker's language
    (watch,) = await store.watches()
    assert (watch.ip, watch.user, watch.thread_ts, watch.lang) == (LISTED, "U_TW", event["ts"], "zh-TW")
    await asyncio.sleep(1.0)  # rounds with no change: no post
    assert len(app.fake.calls_to("chat.postMessage")) == posts
    delist(dns)
    post = (await wait_calls(app.fake, "chat.postMessage", posts + 1, timeout=6))[-1]
    assert post.params["thread_ts"] == event["ts"] and "<@U_TW>" in text_of(post)
    assert "目前已不在任何清單中" in text_of(post)
    await asyncio.sleep(1.2)
    assert len(app.fake.calls_to("chat.postMessage")) == posts + 1  # once; the watch is over
    assert await store.watches() == []


async def test_a_different_listing_is_told_and_the_watch_goes_on(watched, dns):
    app, store = watched
    update, _ = await answered(app)
    await app.sender.click(update, WATCH_ACTION)
    await wait_calls(app.fake, "response_url")
    delist(dns)
    list_ip(dns, LISTED, ZEN, "127.0.0.4")  # SBL gone, XBL now
    post = (await wait_calls(app.fake, "chat.postMessage", 2, timeout=6))[-1]  # after the placeholder
    assert "No longer listed: Spamhaus SBL" in text_of(post) and "Newly listed: Spamhaus XBL" in text_of(post)
    await asyncio.sleep(1.2)
    assert len(app.fake.calls_to("chat.postMessage")) == 2
    (watch,) = await store.watches()
    assert watch.state == f"{ZEN}:127.0.0.4"


async def test_clicking_twice_is_one_watch_and_a_clean_ip_is_not_watched(watched, dns):
    app, store = watched
    update, _ = await answered(app)
    await app.sender.click(update, WATCH_ACTION)
    await app.sender.click(update, WATCH_ACTION)
    _, second = await wait_calls(app.fake, "response_url", 2)
    assert "already watching" in text_of(second)
    assert len(await store.watches()) == 1
    await store.remove_watch((await store.watches())[0].id)
    delist(dns)
    await app.sender.click(update, WATCH_ACTION, value="88.198.20.10")  # an IP on no list
    third = (await wait_calls(app.fake, "response_url", 3))[2]
    assert "nothing to watch" in text_of(third) and await store.watches() == []


async def test_the_watches_command_lists_them_with_stop_and_stop_ends_one(watched):
    app, store = watched
    update, _ = await answered(app)
    await app.sender.click(update, WATCH_ACTION)
    await wait_calls(app.fake, "response_url")
    await app.sender.command("watches")
    listing = (await wait_calls(app.fake, "response_url", 2))[1]
    assert LISTED in text_of(listing) and listing.params["response_type"] == "ephemeral"
    (stop,) = [element for block in listing.params["blocks"] if block.get("accessory")
               for element in (block["accessory"],) if element["action_id"] == STOP_WATCH_ACTION]
    payload = {"type": "block_actions", "user": {"id": "U_EN"}, "team": {"id": "T_TEST"}, "api_app_id": "A_APP",
               "token": "legacy", "container": {"type": "message", "is_ephemeral": True},
               "channel": {"id": "C_TEST"}, "response_url": app.fake.response_url("stop"),
               "actions": [{"action_id": STOP_WATCH_ACTION, "value": stop["value"], "type": "button"}]}
    await app.sender.interaction(payload)
    stopped = (await wait_calls(app.fake, "response_url", 3))[2]
    assert stopped.params["replace_original"] is True and "Stopped watching" in text_of(stopped)
    assert await store.watches() == []


async def test_app_home_shows_the_setup_the_last_checks_and_the_watches_with_stop(watched):
    app, store = watched
    update, _ = await answered(app)
    await app.sender.click(update, WATCH_ACTION)
    await wait_calls(app.fake, "response_url")
    await app.sender.event({"type": "app_home_opened", "user": "U_EN", "channel": "D_EN", "tab": "home"})
    (home,) = await wait_calls(app.fake, "views.publish")
    text = json.dumps(home.params["view"], ensure_ascii=False)
    assert "test points answer correctly" in text and "DQS key: none" in text
    assert "last owner found" in text and ("SQLite file" in text or "Redis" in text)
    assert f"`{LISTED}`: listed: SBL" in text  # the last check
    (watch,) = await store.watches()
    stops = [block for block in home.params["view"]["blocks"]
             if (block.get("accessory") or {}).get("value") == watch.id]
    assert stops and stops[0]["accessory"]["action_id"] == STOP_WATCH_ACTION
    payload = {"type": "block_actions", "user": {"id": "U_EN"}, "team": {"id": "T_TEST"}, "api_app_id": "A_APP",
               "token": "legacy", "container": {"type": "view", "view_id": "V_HOME"},
               "view": {"id": "V_HOME", "type": "home"},
               "actions": [{"action_id": STOP_WATCH_ACTION, "value": watch.id, "type": "button"}]}
    await app.sender.interaction(payload)
    republished = (await wait_calls(app.fake, "views.publish", 2))[1]
    assert await store.watches() == [] and "No active watches" in json.dumps(republished.params["view"])


async def test_a_hundred_watches_of_one_ip_make_one_set_of_queries_a_round(watched, dns):
    app, store = watched
    _, event = await answered(app)
    later = time.time() + 3600  # due an hour from now: the round below is the only one that sees them
    for n in range(100):  # a hundred people clicked
        await store.add_watch(new_watch(ip=LISTED, channel="C_TEST", thread_ts=event["ts"], user=f"U{n}",
                                        lang="en", state=f"{ZEN}:127.0.0.2", schedule=(3600.0,), days=2,
                                        now=later - 3600.0))
    name = f"{reverse_name(LISTED)}.{ZEN}"
    before = dns.table.queries[(name, "A")]

    async def diagnose(ip: str):
        return await app.deps.diagnoser.diagnose(ip, fresh=True)

    async def tell(change) -> None:
        raise AssertionError("nothing changed")

    assert await run_round(store, diagnose, tell, (3600.0,), now=later + 1) == 100
    assert dns.table.queries[(name, "A")] - before == 1  # one query for the hundred
    assert all(watch.round == 1 for watch in await store.watches())


async def test_a_retry_after_a_restart_is_not_answered_twice(fake_slack, dns, rdap, diagnoser, store_url):
    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    settings = test_settings(fake_slack, dns, rdap.url, **store_url)
    event = None
    for _ in range(2):  # the same event, delivered to the app, then to the app after a restart
        store = open_store(database_path=settings.database_path, redis_url=settings.redis_url)
        try:
            async with running_app(settings, diagnoser, fake_slack, store=store) as app:
                event = event or app.sender.message_event(BOUNCE)
                await app.sender.event(event, event_id="Ev-retried")
                await settle(0.8)
        finally:
            await store.close()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_without_its_store_the_bot_still_answers_and_says_watches_are_unavailable(
        fake_slack, dns, rdap, diagnoser, tmp_path):
    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    settings = test_settings(fake_slack, dns, rdap.url, redis_url="redis://127.0.0.1:9/0")  # nothing listens
    store = open_store(database_path=settings.database_path, redis_url=settings.redis_url)
    try:
        async with running_app(settings, diagnoser, fake_slack, store=store) as app:
            update, _ = await answered(app)  # the one-reply check failed open: answered anyway
            assert f"{LISTED} is listed" in text_of(update)
            await app.sender.click(update, WATCH_ACTION)
            (reply,) = await wait_calls(app.fake, "response_url")
            assert "not available right now" in text_of(reply)
            await app.sender.event({"type": "app_home_opened", "user": "U_EN", "channel": "D_EN", "tab": "home"})
            (home,) = await wait_calls(app.fake, "views.publish")
            assert "not reachable" in json.dumps(home.params["view"])
    finally:
        await store.close()


async def test_lookups_are_shared_through_the_store_by_instances_and_over_a_restart(dns, rdap, owner_ips,
                                                                                   store_url):
    """Two diagnosers (two instances, or one before and after a restart) on one store: the second
    asks the network nothing for an IP the first looked up; an entry that does not decode is a miss."""
    from bot.diagnosis.diagnose import Diagnoser
    from bot.diagnosis.options import LookupOptions, Nameserver
    from bot.state.cache import StoreCache
    from loopback.dnsbl_zones import serve_healthy_lists
    from loopback.rdap_server import serve_owner_fixtures

    serve_healthy_lists(dns)
    serve_owner_fixtures(dns, rdap)
    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    options = LookupOptions(nameservers=(Nameserver("127.0.0.1", dns.port),), dns_timeout=0.5, deadline=3.0,
                            rdap_timeout=2.0, rdap_relay=rdap.url)
    stores = [open_store(**store_url), open_store(**store_url)]
    try:
        first, second = (Diagnoser.create(options, shared=StoreCache(store)) for store in stores)
        one = await first.diagnose(LISTED)
        queries = sum(dns.table.queries.values())
        two = await second.diagnose(LISTED)
        assert sum(dns.table.queries.values()) - queries <= 4  # the test points only: reports and owner shared
        assert two.dnsbl == one.dnsbl and two.owner == one.owner
        keys = [f"owner:{LISTED}", f"dnsbl:public:{options.resolver_label}:{LISTED}"]
        assert all([await stores[1].cache_get("lookup", key) for key in keys])  # where the first left them
        for key in keys:
            await stores[0].cache_set("lookup", key, "{not json", 60)
        third = Diagnoser.create(options, shared=StoreCache(stores[1]))
        assert (await third.diagnose(LISTED)).dnsbl.status == "listed"  # looked up again, not crashed
        for diagnoser in (first, second, third):
            diagnoser.close()
    finally:
        for store in stores:
            await store.close()


async def test_a_recheck_button_from_before_a_restart_rechecks_the_whole_bounce(fake_slack, dns, rdap, diagnoser,
                                                                                 store_url):
    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    settings = test_settings(fake_slack, dns, rdap.url, **store_url)
    update = None
    for restart in range(2):
        store = open_store(database_path=settings.database_path, redis_url=settings.redis_url)
        try:
            async with running_app(settings, diagnoser, fake_slack, store=store) as app:
                if restart == 0:
                    update, _ = await answered(app)
                    await settle(0.3)  # the bounce is kept in the store in the background
                else:
                    assert len(app.deps.recheck_texts) == 0  # a new process knows nothing of it
                    await app.sender.click(update, "recheck")
                    rechecked = (await wait_calls(app.fake, "chat.update", 2))[1]
                    assert "mx.example.net" in text_of(rechecked)  # the bounce's evidence, not the IP alone
        finally:
            await store.close()


async def test_redis_down_mid_watch_loses_no_watch_and_the_bot_keeps_answering(fake_slack, dns, rdap, diagnoser,
                                                                                redis_url, database_path, caplog):
    from urllib.parse import urlsplit

    from loopback.tcp_proxy import TcpProxy

    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    target = urlsplit(redis_url)
    proxy = await TcpProxy(target.hostname, target.port).start()
    settings = test_settings(fake_slack, dns, rdap.url, watch_schedule=(0.4,), database_path=database_path,
                             redis_url=f"redis://127.0.0.1:{proxy.port}/0")
    store = open_store(database_path=settings.database_path, redis_url=settings.redis_url)
    try:
        async with running_app(settings, diagnoser, fake_slack, store=store) as app:
            update, _ = await answered(app)
            await app.sender.click(update, WATCH_ACTION)
            await wait_calls(app.fake, "response_url")
            proxy.cut()  # Redis is gone
            delist(dns)
            await asyncio.sleep(1.2)  # rounds fail meanwhile: nothing posted, nothing lost
            assert not [call for call in app.fake.calls_to("chat.postMessage") if "<@U_EN>" in text_of(call)]
            list_ip(dns, "88.198.20.10", ZEN, "127.0.0.2")
            await app.sender.event(app.sender.message_event(BOUNCE.replace(LISTED, "88.198.20.10")))
            await wait_calls(app.fake, "chat.update", 2)  # still answering, the one-reply check fails open
            proxy.restore()  # Redis is back, with the watch
            post = (await wait_calls(app.fake, "chat.postMessage", where=lambda call: "<@U_EN>" in text_of(call),
                                     timeout=10))[0]
            assert "is on no list now" in text_of(post)
            await asyncio.sleep(1.2)
            assert len([call for call in app.fake.calls_to("chat.postMessage") if "<@U_EN>" in text_of(call)]) == 1
            await store.close()
            await proxy.close()  # its connections would otherwise keep the app's shutdown waiting
        assert "watch round skipped, the state store failed" in caplog.text
    finally:
        await store.close()
        await proxy.close()


async def test_a_locked_sqlite_file_keeps_the_bot_answering_and_a_watch_says_it_could_not_be_saved(
        fake_slack, dns, rdap, diagnoser, database_path):
    import sqlite3

    list_ip(dns, LISTED, ZEN, "127.0.0.2")
    settings = test_settings(fake_slack, dns, rdap.url, database_path=database_path)
    store = open_store(database_path=settings.database_path)
    other = sqlite3.connect(database_path, isolation_level=None)
    try:
        async with running_app(settings, diagnoser, fake_slack, store=store) as app:
            other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
            update, _ = await answered(app)
            assert f"{LISTED} is listed" in text_of(update)
            await app.sender.click(update, WATCH_ACTION)
            (reply,) = await wait_calls(app.fake, "response_url", timeout=15)
            assert "not available right now" in text_of(reply)
            other.execute("ROLLBACK")  # the lock is released: watches work again
            await app.sender.click(update, WATCH_ACTION)
            second = (await wait_calls(app.fake, "response_url", 2, timeout=15))[1]
            assert "I will look at" in text_of(second) and len(await store.watches()) == 1
    finally:
        other.close()
        await store.close()
