"""The state in Redis (``REDIS_URL``): for several instances behind one request URL.

redis-py's asyncio client. Seen keys are ``SET NX PX`` (the first instance to see a key wins),
cached lookups plain strings with a TTL, watches a hash each with a sorted set of due times and a
set per channel, and a claim a Lua script that compares the round and the claim time in one step.
Every key starts with ``bounce-doctor:`` so that the bot can share a Redis with other things.
"""

from __future__ import annotations

import json
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.state.base import RecentCheck, StoreError, Watch

PREFIX = "bounce-doctor:"
_CLAIM = """
local claimed = redis.call('HGET', KEYS[1], 'claimed_until')
local round = redis.call('HGET', KEYS[1], 'round')
if not claimed or tonumber(round) ~= tonumber(ARGV[1]) or tonumber(claimed) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'claimed_until', ARGV[3])
return 1
"""
_WATCH_INTS = {"round"}
_WATCH_FLOATS = {"created_at", "ends_at", "next_at", "claimed_until"}


class RedisStore:
    kind = "redis"

    def __init__(self, url: str):
        self._redis: aioredis.Redis = aioredis.from_url(url, decode_responses=True, socket_timeout=2.0,
                                                        socket_connect_timeout=2.0, health_check_interval=30)
        self._claim = self._redis.register_script(_CLAIM)

    async def _do(self, call: Any) -> Any:
        try:
            return await call
        except (RedisError, OSError) as error:
            raise StoreError(f"Redis: {type(error).__name__}: {error}") from error

    # --- seen keys -------------------------------------------------------------------------------
    async def first_time(self, key: str, ttl: float) -> bool:
        return bool(await self._do(self._redis.set(f"{PREFIX}seen:{key}", "1", nx=True, px=max(1, int(ttl * 1000)))))

    # --- cache -----------------------------------------------------------------------------------
    async def cache_get(self, namespace: str, key: str) -> str | None:
        value = await self._do(self._redis.get(f"{PREFIX}cache:{namespace}:{key}"))
        return str(value) if value is not None else None

    async def cache_set(self, namespace: str, key: str, value: str, ttl: float) -> None:
        await self._do(self._redis.set(f"{PREFIX}cache:{namespace}:{key}", value, px=max(1, int(ttl * 1000))))

    # --- watches ---------------------------------------------------------------------------------
    async def add_watch(self, watch: Watch) -> Watch:
        """The watch, or the one already following this IP for this person in this thread."""
        same = f"{PREFIX}watch-of:{watch.channel}:{watch.thread_ts}:{watch.ip}:{watch.user}"
        if not await self._do(self._redis.set(same, watch.id, nx=True)):
            existing = await self.get_watch(str(await self._do(self._redis.get(same))))
            if existing:
                return existing
            await self._do(self._redis.set(same, watch.id))
        await self.save_watch(watch)
        await self._do(self._redis.sadd(f"{PREFIX}watches:{watch.channel}", watch.id))
        return watch

    async def get_watch(self, watch_id: str) -> Watch | None:
        fields = await self._do(self._redis.hgetall(f"{PREFIX}watch:{watch_id}"))
        return _watch(fields) if fields else None

    async def watches(self, channel: str | None = None) -> list[Watch]:
        if channel:
            ids = await self._do(self._redis.smembers(f"{PREFIX}watches:{channel}"))
        else:
            ids = await self._do(self._redis.zrange(f"{PREFIX}due", 0, -1))
        found = [await self.get_watch(str(watch_id)) for watch_id in ids]
        return sorted((watch for watch in found if watch), key=lambda watch: watch.created_at)

    async def due_watches(self, now: float) -> list[Watch]:
        ids = await self._do(self._redis.zrangebyscore(f"{PREFIX}due", "-inf", now, start=0, num=500))
        found = [await self.get_watch(str(watch_id)) for watch_id in ids]
        return [watch for watch in found if watch and watch.claimed_until <= now]

    async def claim(self, watch: Watch, now: float, hold: float) -> bool:
        claimed = await self._do(self._claim(keys=[f"{PREFIX}watch:{watch.id}"], args=[watch.round, now, now + hold]))
        return bool(claimed)

    async def save_watch(self, watch: Watch) -> None:
        fields: Any = {name: str(value) for name, value in _fields(watch).items()}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(f"{PREFIX}watch:{watch.id}", mapping=fields)
            pipe.zadd(f"{PREFIX}due", {watch.id: watch.next_at})
            await self._do(pipe.execute())

    async def remove_watch(self, watch_id: str) -> bool:
        watch = await self.get_watch(watch_id)
        if watch is None:
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(f"{PREFIX}watch:{watch_id}")
            pipe.zrem(f"{PREFIX}due", watch_id)
            pipe.srem(f"{PREFIX}watches:{watch.channel}", watch_id)
            pipe.delete(f"{PREFIX}watch-of:{watch.channel}:{watch.thread_ts}:{watch.ip}:{watch.user}")
            await self._do(pipe.execute())
        return True

    # --- recent checks ---------------------------------------------------------------------------
    async def add_recent(self, check: RecentCheck, keep: int = 20) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lpush(f"{PREFIX}recent", json.dumps(_fields(check)))
            pipe.ltrim(f"{PREFIX}recent", 0, keep - 1)
            await self._do(pipe.execute())

    async def recent(self, limit: int = 10) -> list[RecentCheck]:
        rows = await self._do(self._redis.lrange(f"{PREFIX}recent", 0, limit - 1))
        return [RecentCheck(**json.loads(row)) for row in rows]

    async def healthy(self) -> bool:
        try:
            return bool(await self._do(self._redis.ping()))
        except StoreError:
            return False

    async def close(self) -> None:
        await self._redis.aclose()


def _fields(value: Watch | RecentCheck) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


def _watch(fields: dict[str, str]) -> Watch:
    values: dict[str, Any] = {}
    for name, value in fields.items():
        values[name] = int(value) if name in _WATCH_INTS else float(value) if name in _WATCH_FLOATS else value
    return Watch(**values)
