"""What the bot keeps between requests, restarts and instances, whatever stores it.

- **Seen keys** (``first_time``): an event or message already answered. Slack redelivers events for
  about five minutes and a mention arrives twice; with several instances behind one URL, whichever
  instance sees a key first answers, every other one stays silent.
- **Cached lookups** (``cache_get`` / ``cache_set``): DNSBL reports and owners as JSON text, with a
  TTL, shared by every instance, so that watches of one IP make one set of queries per round.
- **Watches**: a listing followed until it clears. ``claim`` hands a watch's round to exactly one
  instance, so that one change makes one post.
- **Recent checks**: the last IPs checked in the workspace, for App Home.

SQLite (``sqlite.py``) is the default; Redis (``redis.py``) lets several instances share one state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Watch:
    """A listing someone asked to be told about when it changes."""

    id: str
    ip: str
    channel: str
    thread_ts: str  # the thread the change is posted in
    user: str  # who asked: mentioned in the post
    lang: str
    state: str  # what the lists said last time (``listing_state``): a change is a different state
    created_at: float  # epoch seconds
    ends_at: float  # WATCH_DAYS after creation
    next_at: float  # when the next round is due
    round: int = 0  # rounds done: the index into the schedule (its last step repeats)
    claimed_until: float = 0.0  # an instance works this round until then (``StateStore.claim``)


@dataclass(frozen=True)
class RecentCheck:
    ip: str
    status: str  # "listed", "not_listed", "unknown", "blocked"
    lists: str  # the lists it is on, comma-separated
    at: float


class StateStore(Protocol):
    """The one interface of every backend. Every method may raise ``StoreError``: the callers keep
    answering without the store and say what could not be saved."""

    kind: str  # "sqlite" or "redis", for App Home and /healthz

    async def first_time(self, key: str, ttl: float) -> bool: ...

    async def cache_get(self, namespace: str, key: str) -> str | None: ...

    async def cache_set(self, namespace: str, key: str, value: str, ttl: float) -> None: ...

    async def add_watch(self, watch: Watch) -> Watch: ...

    async def get_watch(self, watch_id: str) -> Watch | None: ...

    async def watches(self, channel: str | None = None) -> list[Watch]: ...

    async def due_watches(self, now: float) -> list[Watch]: ...

    async def claim(self, watch: Watch, now: float, hold: float) -> bool: ...

    async def save_watch(self, watch: Watch) -> None: ...

    async def remove_watch(self, watch_id: str) -> bool: ...

    async def add_recent(self, check: RecentCheck, keep: int = 20) -> None: ...

    async def recent(self, limit: int = 10) -> list[RecentCheck]: ...

    async def healthy(self) -> bool: ...

    async def close(self) -> None: ...


class StoreError(RuntimeError):
    """The store could not do what was asked (locked, read-only, unreachable)."""
