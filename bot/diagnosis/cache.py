"""A TTL cache for lookup results, bounded in size, that also merges concurrent lookups.

Two engineers pasting the same bounce at once cause one set of DNS and RDAP queries, not two;
the same IP checked again within the TTL causes none (RIRs rate-limit RDAP hard). Expiry and the
size bound are cachetools' (``TLRUCache``: a time-to-use per entry, least recently used out
first); what is ours is the merge of lookups in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

from cachetools import TLRUCache

V = TypeVar("V")


class _Entry(NamedTuple, Generic[V]):
    value: V
    ttl: float


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, maxsize: int = 4096, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.maxsize = maxsize
        self._items: TLRUCache[Hashable, _Entry[V]] = TLRUCache(
            maxsize, ttu=lambda _key, entry, now: now + entry.ttl, timer=clock)
        self._pending: dict[Hashable, asyncio.Future[V]] = {}

    def get(self, key: Hashable) -> V | None:
        entry = self._items.get(key)
        return entry.value if entry is not None else None

    def set(self, key: Hashable, value: V, ttl: float | None = None) -> None:
        self._items[key] = _Entry(value, self.ttl if ttl is None else ttl)

    def __len__(self) -> int:
        self._items.expire()
        return len(self._items)

    async def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[V]],
        *,
        fresh: bool = False,
        ttl_for: Callable[[V], float | None] = lambda value: None,
    ) -> V:
        """The cached value, or ``compute()`` once however many callers ask at the same time.
        ``ttl_for`` gives a value its own TTL (failures a short one); None: the cache's TTL."""
        if not fresh:
            cached = self.get(key)
            if cached is not None:
                return cached
            pending = self._pending.get(key)
            if pending is not None:
                return await asyncio.shield(pending)
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await compute()
        except BaseException as exc:
            if not future.done():
                future.set_exception(exc)
                future.exception()  # mark retrieved: waiting callers re-raise it, nobody else must
            raise
        finally:
            if self._pending.get(key) is future:
                del self._pending[key]
        self.set(key, value, ttl_for(value))
        if not future.done():
            future.set_result(value)
        return value
