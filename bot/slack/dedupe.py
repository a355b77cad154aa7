"""Remember what the bot has already handled, for a while, in bounded memory.

Slack redelivers an event with the same ``event_id`` when it thinks the first delivery failed
(up to three retries over about five minutes), and a channel message that mentions the bot
arrives twice, as ``app_mention`` and as ``message``, with the same (channel, ts). Either way the
bot must answer once. Keys are kept for ``ttl`` seconds (default 15 minutes, above Slack's retry
window) and at most ``maxsize`` of them; the oldest go first. ``cachetools.TTLCache`` does the
expiry and the bound; it is not thread-safe, hence the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from cachetools import TTLCache


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
