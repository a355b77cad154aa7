"""Remember what the bot has already handled, for a while, in bounded memory.

Slack redelivers an event with the same ``event_id`` when it thinks the first delivery failed
(up to three retries over about five minutes), and a channel message that mentions the bot
arrives twice, as ``app_mention`` and as ``message``, with the same (channel, ts). Either way the
bot must answer once. Keys are kept for ``ttl`` seconds (default 15 minutes, above Slack's retry
window) and at most ``maxsize`` of them; the oldest go first. ``cachetools.TTLCache`` does the
expiry and the bound; it is not thread-safe, hence the lock.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable, Hashable

from cachetools import TTLCache

from bot.state.base import StateStore, StoreError

log = logging.getLogger(__name__)


class Deduper:
    def __init__(self, ttl: float = 900.0, maxsize: int = 50_000, timer: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.maxsize = maxsize
        # Only membership is asked (never a read, which would reorder), so eviction is oldest first.
        self._seen: TTLCache[Hashable, bool] = TTLCache(maxsize=maxsize, ttl=ttl, timer=timer)
        self._lock = threading.Lock()  # Socket Mode and HTTP handlers may share one instance

    def first_time(self, key: Hashable) -> bool:
        """True the first time ``key`` is seen within ``ttl``; records it. False for a repeat."""
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = True
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)  # expired keys are dropped first


class SeenKeys:
    """"Already answered?" for this instance (``Deduper``, in memory) and for every instance that
    shares the state store: the first to record a key answers, every other one stays silent, and a
    retry after a restart finds the key still there.

    The store is asked with a short wait, since the answer is on the path before Slack's ack. A
    store that fails or is slow is logged (at most once a minute) and the key counts as new: an
    answer twice is better than none.
    """

    def __init__(self, store: StateStore | None = None, *, ttl: float = 900.0, wait: float = 0.5,
                 timer: Callable[[], float] = time.monotonic):
        self.store = store
        self.ttl = ttl
        self.wait = wait
        self.local = Deduper(ttl=ttl, timer=timer)
        self._timer = timer
        self._last_warning = -math.inf

    async def first_time(self, key: tuple[str, ...]) -> bool:
        if not self.local.first_time(key):
            return False
        if self.store is None:
            return True
        try:
            return await asyncio.wait_for(self.store.first_time(":".join(key), self.ttl), self.wait)
        except (StoreError, TimeoutError) as error:
            now = self._timer()
            if now - self._last_warning >= 60.0:
                self._last_warning = now
                log.warning("state store unavailable for the one-reply check (%s): answering anyway",
                            type(error).__name__)
            return True
