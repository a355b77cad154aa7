"""The state stores, each against the real thing: a SQLite file and a real redis-server on loopback.
Every behaviour is asked of both backends: they must be interchangeable."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time

import pytest

from bot.state import RecentCheck, StoreError, Watch, open_store
from bot.state.sqlite_store import MIGRATIONS, SqliteStore


@pytest.fixture(params=["sqlite", "redis"])
async def store(request, database_path):
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    opened = open_store(database_path=database_path, redis_url=url)
    yield opened
    await opened.close()


def _watch(watch_id: str = "w1", **fields) -> Watch:
    now = time.time()
    values = dict(id=watch_id, ip="192.0.2.7", channel="C1", thread_ts="1.1", user="U1", lang="en",
                  state="zen.spamhaus.org:127.0.0.2", created_at=now, ends_at=now + 7 * 86400, next_at=now - 1)
    values.update(fields)
    return Watch(**values)


async def test_a_key_is_new_once_within_its_ttl_and_again_after_it(store):
    assert await store.first_time("event:Ev1", 0.3) is True
    assert await store.first_time("event:Ev1", 0.3) is False
    await asyncio.sleep(0.4)
    assert await store.first_time("event:Ev1", 0.3) is True


async def test_concurrent_first_times_have_one_winner(store):
    results = await asyncio.gather(*(store.first_time("event:Ev2", 60) for _ in range(20)))
    assert results.count(True) == 1


async def test_cached_values_expire(store):
    await store.cache_set("dnsbl", "192.0.2.7", '{"status": "listed"}', 0.3)
    assert await store.cache_get("dnsbl", "192.0.2.7") == '{"status": "listed"}'
    assert await store.cache_get("owner", "192.0.2.7") is None
    await asyncio.sleep(0.4)
    assert await store.cache_get("dnsbl", "192.0.2.7") is None


async def test_a_watch_is_kept_found_by_channel_and_not_added_twice(store):
    first = await store.add_watch(_watch("w1"))
    again = await store.add_watch(_watch("w2"))  # same IP, person and thread
    other = await store.add_watch(_watch("w3", channel="C2"))
    assert again == first and (await store.get_watch("w1")) == first
    assert [w.id for w in await store.watches("C1")] == ["w1"]
    assert {w.id for w in await store.watches()} == {"w1", "w3"} and other.id == "w3"


async def test_only_one_claim_of_a_round_wins_and_a_claim_lapses(store):
    watch = await store.add_watch(_watch())
    now = time.time()
    wins = await asyncio.gather(*(store.claim(watch, now, 0.3) for _ in range(10)))
    assert wins.count(True) == 1
    assert await store.due_watches(now) == []  # claimed: not due for anyone else
    later = now + 0.5
    assert await store.claim(watch, later, 0.3) is True  # the claim lapsed: the round is up for grabs again
    await store.save_watch(watch.__class__(**{**watch.__dict__, "round": 1, "claimed_until": 0.0}))
    assert await store.claim(watch, later + 1, 0.3) is False  # the caller read round 0: another worked it


async def test_due_watches_save_and_remove(store):
    await store.add_watch(_watch("w1"))
    await store.add_watch(_watch("w2", user="U2", next_at=time.time() + 3600))
    assert [w.id for w in await store.due_watches(time.time())] == ["w1"]
    moved = _watch("w1", next_at=time.time() + 60, round=3, state="")
    await store.save_watch(moved)
    assert (await store.get_watch("w1")).round == 3 and await store.due_watches(time.time()) == []
    assert await store.remove_watch("w1") is True and await store.remove_watch("w1") is False
    assert await store.get_watch("w1") is None and [w.id for w in await store.watches()] == ["w2"]


async def test_recent_checks_newest_first_and_bounded(store):
    for n in range(25):
        await store.add_recent(RecentCheck(f"192.0.2.{n}", "listed", "SBL", float(n)), keep=20)
    recent = await store.recent(5)
    assert [check.ip for check in recent] == [f"192.0.2.{n}" for n in (24, 23, 22, 21, 20)]
    assert len(await store.recent(100)) == 20


async def test_the_state_survives_a_new_connection(request, database_path):
    for kind in ("sqlite", "redis"):
        url = request.getfixturevalue("redis_url") if kind == "redis" else ""
        first = open_store(database_path=database_path, redis_url=url)
        await first.add_watch(_watch(f"survivor-{kind}"))
        await first.first_time(f"event:{kind}", 60)
        await first.close()
        second = open_store(database_path=database_path, redis_url=url)
        assert await second.get_watch(f"survivor-{kind}") is not None
        assert await second.first_time(f"event:{kind}", 60) is False
        await second.close()


def test_the_sqlite_schema_is_created_once_and_versioned(database_path):
    store = SqliteStore(database_path)
    assert store.version == len(MIGRATIONS)
    again = SqliteStore(database_path)  # an existing file: nothing re-run, nothing lost
    assert again.version == len(MIGRATIONS)


async def test_a_read_only_sqlite_file_raises_store_error_not_sqlite3(database_path):
    store = SqliteStore(database_path)
    await store.close()
    os.chmod(database_path, 0o444)
    read_only = SqliteStore(database_path)
    try:
        if os.geteuid() == 0:  # root writes through file modes: make the connection itself read-only
            read_only._db.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError):
            await read_only.first_time("event:x", 60)
        assert await read_only.healthy() is False
    finally:
        await read_only.close()
        os.chmod(database_path, 0o644)


async def test_an_unreachable_redis_raises_store_error():
    store = open_store(database_path="", redis_url="redis://127.0.0.1:1/0")
    with pytest.raises(StoreError):
        await store.first_time("event:x", 60)
    assert await store.healthy() is False
    await store.close()


def test_sqlite3_is_the_standard_library_one():
    assert sqlite3.sqlite_version_info >= (3, 24)  # upsert (ON CONFLICT ... DO UPDATE)
