import asyncio
import contextlib

from bot.diagnosis.cache import TTLCache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_value_expires_after_ttl():
    clock = Clock()
    cache = TTLCache(ttl=10, clock=clock)
    cache.set("k", 1)
    clock.now += 9
    assert cache.get("k") == 1
    clock.now += 2
    assert cache.get("k") is None


def test_size_is_bounded_oldest_first():
    cache = TTLCache(ttl=10, maxsize=2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("c", 3)
    assert cache.get("a") is None and cache.get("c") == 3


async def test_concurrent_callers_share_one_computation():
    cache = TTLCache(ttl=10)
    calls = 0

    async def compute():
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return "value"

    results = await asyncio.gather(*(cache.get_or_compute("ip", compute) for _ in range(5)))
    assert results == ["value"] * 5
    assert calls == 1


async def test_a_failure_lives_only_its_own_short_ttl_and_fresh_bypasses_the_cache():
    clock = Clock()
    cache = TTLCache(ttl=10, clock=clock)
    values = iter(["failed", "ok", "ok2"])

    async def compute():
        return next(values)

    def short_for_failures(value):
        return 1 if value == "failed" else None

    assert await cache.get_or_compute("ip", compute, ttl_for=short_for_failures) == "failed"
    assert await cache.get_or_compute("ip", compute, ttl_for=short_for_failures) == "failed"
    clock.now += 1
    assert await cache.get_or_compute("ip", compute, ttl_for=short_for_failures) == "ok"
    clock.now += 9
    assert await cache.get_or_compute("ip", compute) == "ok"
    assert await cache.get_or_compute("ip", compute, fresh=True) == "ok2"


async def test_a_caller_whose_deadline_passes_does_not_cancel_the_lookup_others_wait_for():
    cache = TTLCache(ttl=10)
    calls = 0

    async def compute():
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.2)
        return "value"

    impatient = asyncio.create_task(cache.get_or_compute("ip", compute))
    await asyncio.sleep(0.05)
    patient = asyncio.create_task(cache.get_or_compute("ip", compute))
    await asyncio.sleep(0.01)
    impatient.cancel()  # its own deadline, as diagnose.py cancels a lookup that ran out of time
    assert await patient == "value"
    assert impatient.cancelled()
    assert calls == 1 and cache.get("ip") == "value"


async def test_a_lookup_left_by_its_only_caller_still_finishes_and_is_cached():
    cache = TTLCache(ttl=10)

    async def compute():
        await asyncio.sleep(0.05)
        return "value"

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(cache.get_or_compute("ip", compute), 0.01)
    await asyncio.sleep(0.1)
    assert cache.get("ip") == "value"
