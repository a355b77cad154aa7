"""How much checking anyone may ask for, and how much the bot does at once.

* Per user and per channel, a number of checks a minute (``USER_CHECKS_PER_MINUTE``,
  ``CHANNEL_CHECKS_PER_MINUTE``): one person, or a loop of bots posting bounces, cannot spend the
  Spamhaus query budget (a DQS key has a daily allowance) or the RIRs' patience. The first check
  refused in a minute gets a friendly answer; the rest of that minute's are dropped in silence, so
  that a bot talking to the bot cannot turn the answer itself into a loop.
* At most ``MAX_CHECKS_IN_FLIGHT`` diagnoses at once. A check over the bound is told the bot is
  busy and waits its turn (within its answer deadline) instead of piling up lookups on the one
  event loop that also acks Slack within 3 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from enum import StrEnum

from cachetools import TTLCache

WINDOW = 60.0  # seconds


class Admission(StrEnum):
    OK = "ok"
    LIMITED = "limited"  # over the limit: say so
    LIMITED_AGAIN = "limited_again"  # over the limit and already told this minute: drop in silence


class RateLimiter:
    """At most ``per_window`` events per key in any ``window`` seconds (a sliding log), for at most
    ``max_keys`` keys at once (the least recently active are forgotten first)."""

    def __init__(self, per_window: int, window: float = WINDOW, *, max_keys: int = 20_000,
                 clock: Callable[[], float] = time.monotonic):
        self.per_window = per_window
        self.window = window
        self.clock = clock
        self._events: TTLCache[Hashable, deque[float]] = TTLCache(max_keys, window, timer=clock)
        self._told: TTLCache[Hashable, bool] = TTLCache(max_keys, window, timer=clock)

    def admit(self, key: Hashable) -> Admission:
        now = self.clock()
        events = self._events.get(key) or deque()
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.per_window:
            self._events[key] = events
            if key in self._told:
                return Admission.LIMITED_AGAIN
            self._told[key] = True
            return Admission.LIMITED
        events.append(now)
        self._events[key] = events  # re-set: the key's expiry moves with its latest event
        return Admission.OK


class Busy(Exception):
    """No check slot became free within the wait."""


class CheckSlots:
    """A bound on diagnoses at once; ``in_flight`` is what /metrics reports."""

    def __init__(self, limit: int, on_change: Callable[[int], None] = lambda count: None):
        self.limit = limit
        self.in_flight = 0
        self._free = asyncio.Semaphore(limit)
        self._on_change = on_change

    @contextlib.asynccontextmanager
    async def slot(self, *, wait: float, on_busy: Callable[[], Awaitable[None]] | None = None) -> AsyncIterator[None]:
        if self._free.locked() and on_busy is not None:
            await on_busy()
        try:
            await asyncio.wait_for(self._free.acquire(), wait)
        except TimeoutError:
            raise Busy(f"no check slot free within {wait:g} s") from None
        self._moved(1)
        try:
            yield
        finally:
            self._moved(-1)
            self._free.release()

    def _moved(self, step: int) -> None:
        self.in_flight += step
        self._on_change(self.in_flight)


class CheckGate:
    """Both bounds together, as the listeners use them."""

    def __init__(self, *, per_user: int, per_channel: int, max_in_flight: int,
                 on_change: Callable[[int], None] = lambda count: None, clock: Callable[[], float] = time.monotonic):
        self.users = RateLimiter(per_user, clock=clock)
        self.channels = RateLimiter(per_channel, clock=clock)
        self.slots = CheckSlots(max_in_flight, on_change)

    def admit(self, *, user: str | None, channel: str | None) -> tuple[Admission, str]:
        """Whether a check may start, and which limit refused it (``"user"`` or ``"channel"``)."""
        if user:
            admission = self.users.admit(user)
            if admission != Admission.OK:
                return admission, "user"
        if channel:
            admission = self.channels.admit(channel)
            if admission != Admission.OK:
                return admission, "channel"
        return Admission.OK, ""
