"""A TTL cache for lookup results, bounded in size, that also merges concurrent lookups.

Two engineers pasting the same bounce at once cause one set of DNS and RDAP queries, not two;
the same IP checked again within the TTL causes none (RIRs rate-limit RDAP hard). Expiry and the
size bound are cachetools' (``TLRUCache``: a time-to-use per entry, least recently used out
first); what is ours is the merge of lookups in flight.

A lookup in flight belongs to no caller: it runs in a task of its own, and every caller awaits it
through ``asyncio.shield``. A caller whose own deadline passes stops waiting (its cancellation
ends at the shield); the lookup goes on for the others, and its result is cached for the next.
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
        self._pending: dict[Hashable, asyncio.Task[V]] = {}

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
        async def run() -> V:
            return await compute()

        task = asyncio.create_task(run())
        self._pending[key] = task

        def finished(done: asyncio.Task[V]) -> None:
            if self._pending.get(key) is done:
                del self._pending[key]
            if done.cancelled():
                return
            if done.exception() is None:  # also marks a failure retrieved: its callers re-raise it
                value = done.result()
                self.set(key, value, ttl_for(value))

        task.add_done_callback(finished)
        return await asyncio.shield(task)
