"""A TTL cache for lookup results, bounded in size, that also merges concurrent lookups.

Two engineers pasting the same bounce at once cause one set of DNS and RDAP queries, not two;
the same IP checked again within the TTL causes none (RIRs rate-limit RDAP hard). Expiry and the
size bound are cachetools' (``TLRUCache``: a time-to-use per entry, least recently used out
first); what is ours is the merge of lookups in flight.

A lookup in flight belongs to no caller: it runs in a task of its own, and every caller awaits it
through ``asyncio.shield``. A caller whose own deadline passes stops waiting (its cancellation
ends at the shield); the lookup goes on for the others, and its result is cached for the next.

With a ``Shared`` cache (the app's state store, SQLite or Redis) a miss here asks it before
computing, and every result is told to it: several instances, and a restarted one, share lookups.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, NamedTuple, Protocol, TypeVar

from cachetools import TLRUCache

from bot.diagnosis import codec

log = logging.getLogger(__name__)

V = TypeVar("V")
SHARED_WAIT = 0.25  # seconds a lookup waits for the shared cache before asking the network itself


class SharedCache(Protocol):
    """Text by key with a TTL, shared by every instance of the bot (the app's state store)."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float) -> None: ...


class Shared(Generic[V]):
    """A ``SharedCache`` for one kind of value: keys under ``namespace``, values through ``codec``.
    Never raises: a store that fails or is slow, or an entry that does not decode, is a miss."""

    def __init__(self, backend: SharedCache, namespace: str, kind: type[V]):
        self.backend = backend
        self.namespace = namespace
        self.kind = kind
        self._warned = False

    def _key(self, key: Hashable) -> str:
        parts = key if isinstance(key, tuple) else (key,)
        return ":".join((self.namespace, *map(str, parts)))

    async def get(self, key: Hashable) -> V | None:
        try:
            text = await asyncio.wait_for(self.backend.get(self._key(key)), SHARED_WAIT)
            return codec.loads(self.kind, text) if text is not None else None
        except Exception as error:  # the store is the app's; whatever it raises, look it up instead
            self._warn(error)
            return None

    async def set(self, key: Hashable, value: V, ttl: float) -> None:
        try:
            await asyncio.wait_for(self.backend.set(self._key(key), codec.dumps(value), ttl), SHARED_WAIT)
        except Exception as error:
            self._warn(error)

    def _warn(self, error: Exception) -> None:
        if not self._warned:  # once: a store that is down would otherwise log every lookup
            self._warned = True
            log.warning("shared %s cache unavailable, looking up directly: %s", self.namespace, type(error).__name__)


class _Entry(NamedTuple, Generic[V]):
    value: V
    ttl: float


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, maxsize: int = 4096, clock: Callable[[], float] = time.monotonic,
                 shared: Shared[V] | None = None):
        self.ttl = ttl
        self.maxsize = maxsize
        self.shared = shared  # asked before computing, told after: other instances' lookups count
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
        shared = self.shared

        async def run() -> V:
            if shared is not None and not fresh:
                found = await shared.get(key)
                if found is not None:
                    return found
            value = await compute()
            if shared is not None:
                ttl = ttl_for(value)
                await shared.set(key, value, self.ttl if ttl is None else ttl)
            return value

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
