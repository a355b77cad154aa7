"""A small TTL cache for lookup results, bounded in size, that also merges concurrent lookups.

Two engineers pasting the same bounce at once cause one set of DNS and RDAP queries, not two;
the same IP checked again within the TTL causes none (RIRs rate-limit RDAP hard).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, maxsize: int = 4096, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.maxsize = maxsize
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[V]] = {}

    def get(self, key: Hashable) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        expires, value = item
        if expires <= self._clock():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def set(self, key: Hashable, value: V, ttl: float | None = None) -> None:
        self._items[key] = (self._clock() + (self.ttl if ttl is None else ttl), value)
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def invalidate(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)

    async def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[V]],
        *,
        fresh: bool = False,
        cacheable: Callable[[V], bool] = lambda value: True,
        ttl_for: Callable[[V], float | None] = lambda value: None,
    ) -> V:
        """The cached value, or ``compute()`` once however many callers ask at the same time.
        ``cacheable`` keeps failures out of the cache (or ``ttl_for`` gives them a short TTL)."""
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
        if cacheable(value):
            self.set(key, value, ttl_for(value))
        if not future.done():
            future.set_result(value)
        return value
