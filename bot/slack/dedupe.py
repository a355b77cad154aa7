"""Remember what the bot has already handled, for a while, in bounded memory.

Slack redelivers an event with the same ``event_id`` when it thinks the first delivery failed
(up to three retries over about five minutes), and a channel message that mentions the bot
arrives twice, as ``app_mention`` and as ``message``, with the same (channel, ts). Either way the
bot must answer once. Keys are kept for ``ttl`` seconds (default 15 minutes, above Slack's retry
window) and at most ``maxsize`` of them; the oldest go first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Deduper:
    def __init__(self, ttl: float = 900.0, maxsize: int = 50_000, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.maxsize = maxsize
        self._clock = clock
        self._seen: OrderedDict[Hashable, float] = OrderedDict()  # key -> expiry, oldest first
        self._lock = threading.Lock()  # Socket Mode and HTTP handlers may share one instance

    def first_time(self, key: Hashable) -> bool:
        """True the first time ``key`` is seen within ``ttl``; records it. False for a repeat."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            if key in self._seen:
                return False
            self._seen[key] = now + self.ttl
            while len(self._seen) > self.maxsize:
                self._seen.popitem(last=False)
            return True

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._seen)

    def _expire(self, now: float) -> None:
        # Every key has the same ttl, so insertion order is expiry order.
        while self._seen:
            key, expires = next(iter(self._seen.items()))
            if expires > now:
                break
            del self._seen[key]
