"""Following a listing until it clears: the schedule, one post per change, one round per instance,
one set of queries per IP per round; against the real stores."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from bot.diagnosis.model import Bounce, Diagnosis, DnsblReport, Listing, ZoneResult
from bot.state import open_store
from bot.watching import ScheduleError, listing_state, new_watch, parse_schedule, run_round

IP = "192.0.2.7"
SCHEDULE = (10.0, 20.0, 40.0)


def _diagnosis(*codes: str, status: str | None = None) -> Diagnosis:
    listings = tuple(Listing(list="SBL", provider="spamhaus", zone="zen.spamhaus.org", code=code, meaning="x")
                     for code in codes)
    zone = ZoneResult("zen.spamhaus.org", "spamhaus", "listed" if codes else "not_listed", listings)
    report = DnsblReport(status=status or zone.status, zones=(zone,))
    return Diagnosis(bounce=Bounce(blocked_ip=IP), ip=IP, dnsbl=report)


class Lists:
    """What the lists say now, and how often they were asked."""

    def __init__(self, *codes: str):
        self.now = _diagnosis(*codes)
        self.asked: Counter[str] = Counter()

    async def diagnose(self, ip: str) -> Diagnosis:
        self.asked[ip] += 1
        await asyncio.sleep(0.01)
        return self.now


class Told(list):
    """The changes told, in order (a surface's notify)."""

    async def __call__(self, change) -> None:
        self.append(change)


@pytest.fixture(params=["sqlite", "redis"])
async def store(request, database_path):
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    opened = open_store(database_path=database_path, redis_url=url)
    yield opened
    await opened.close()


def test_the_schedule_is_durations_and_the_default_and_two_seconds_read():
    assert parse_schedule("15m,30m,1h,2h,4h,8h,12h")[:3] == (900.0, 1800.0, 3600.0)
    assert parse_schedule("2s") == (2.0,)
    for bad in ("", "15", "fast", "0s", "5m,,1h"):
        with pytest.raises(ScheduleError):
            parse_schedule(bad)


async def _watching(store, state="zen.spamhaus.org:127.0.0.2", **fields):
    watch = new_watch(ip=fields.pop("ip", IP), channel="C1", thread_ts="1.1", user=fields.pop("user", "U1"),
                      lang="en", state=state, schedule=SCHEDULE, days=7, now=time.time() - 11)
    return await store.add_watch(watch)


async def test_no_post_while_nothing_changes_and_the_next_look_follows_the_schedule(store):
    watch = await _watching(store)
    lists, told = Lists("127.0.0.2"), Told()
    now = time.time()

    assert await run_round(store, lists.diagnose, told, SCHEDULE, now=now) == 1
    after = await store.get_watch(watch.id)
    assert told == [] and after.round == 1 and after.next_at == pytest.approx(now + SCHEDULE[1])


async def test_a_change_is_told_once_and_the_watch_goes_on_until_clean(store):
    watch = await _watching(store)
    lists, told = Lists("127.0.0.2", "127.0.0.4"), Told()  # XBL added
    await run_round(store, lists.diagnose, told, SCHEDULE, now=time.time())
    await run_round(store, lists.diagnose, told, SCHEDULE, now=time.time() + 100)
    assert [change.added for change in told] == [("zen.spamhaus.org:127.0.0.4",)]

    lists.now = _diagnosis()  # delisted
    await run_round(store, lists.diagnose, told, SCHEDULE, now=time.time() + 1000)
    assert told[-1].cleared and len(told) == 2
    assert await store.get_watch(watch.id) is None  # clean: over


async def test_a_failed_check_is_no_news(store):
    watch = await _watching(store)
    lists, told = Lists(), Told()
    lists.now = Diagnosis(bounce=Bounce(blocked_ip=IP), ip=IP, dnsbl=DnsblReport(status="unknown"))
    await run_round(store, lists.diagnose, told, SCHEDULE, now=time.time())
    assert told == [] and (await store.get_watch(watch.id)).state == watch.state


async def test_a_watch_ends_after_its_days_without_a_post(store):
    watch = await _watching(store)
    told = Told()
    await run_round(store, Lists().diagnose, told, SCHEDULE, now=watch.ends_at + 1)
    assert told == [] and await store.get_watch(watch.id) is None


async def test_a_hundred_watches_of_one_ip_make_one_check_per_round(store):
    for n in range(100):
        await _watching(store, user=f"U{n}")
    lists, told = Lists("127.0.0.2"), Told()
    assert await run_round(store, lists.diagnose, told, SCHEDULE, now=time.time()) == 100
    assert lists.asked == {IP: 1}


async def test_two_instances_on_one_store_tell_a_change_once(request, database_path):
    for kind in ("sqlite", "redis"):
        url = request.getfixturevalue("redis_url") if kind == "redis" else ""
        first, second = (open_store(database_path=f"{database_path}.{kind}", redis_url=url) for _ in range(2))
        await _watching(first)
        lists, told = Lists(), Told()  # cleared
        now = time.time()
        await asyncio.gather(run_round(first, lists.diagnose, told, SCHEDULE, now=now),
                             run_round(second, lists.diagnose, told, SCHEDULE, now=now))
        assert len(told) == 1, kind
        await first.close()
        await second.close()


def test_listing_state_reads_codes_not_reasons():
    both = "zen.spamhaus.org:127.0.0.2,zen.spamhaus.org:127.0.0.4"
    assert listing_state(_diagnosis("127.0.0.4", "127.0.0.2")) == both
    assert listing_state(_diagnosis()) == ""
