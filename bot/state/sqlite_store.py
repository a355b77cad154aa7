"""The state in one SQLite file (``DATABASE_PATH``): the default, for one instance.

The standard library's ``sqlite3`` in a worker thread, one connection behind a lock, WAL journal
and a busy timeout, so the event loop never waits on the disk. The schema is created on first
start and migrated by version (``MIGRATIONS``; ``PRAGMA user_version`` holds the version reached).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.state.base import RecentCheck, StoreError, Watch

BUSY_TIMEOUT = 2.0  # seconds a write waits for another writer's lock before it fails

T = TypeVar("T")

# Each entry takes the schema from the version before it to its own (index + 1). Never edit one
# that has shipped: add the next.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE seen (key TEXT PRIMARY KEY, expires_at REAL NOT NULL)",
        "CREATE TABLE cache (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
        "expires_at REAL NOT NULL, PRIMARY KEY (namespace, key))",
        "CREATE TABLE watches (id TEXT PRIMARY KEY, ip TEXT NOT NULL, channel TEXT NOT NULL, "
        "thread_ts TEXT NOT NULL, user TEXT NOT NULL, lang TEXT NOT NULL, state TEXT NOT NULL, "
        "created_at REAL NOT NULL, ends_at REAL NOT NULL, next_at REAL NOT NULL, round INTEGER NOT NULL, "
        "claimed_until REAL NOT NULL DEFAULT 0)",
        "CREATE INDEX watches_due ON watches (next_at)",
        "CREATE INDEX watches_channel ON watches (channel)",
        "CREATE TABLE recent (id INTEGER PRIMARY KEY AUTOINCREMENT, ip TEXT NOT NULL, status TEXT NOT NULL, "
        "lists TEXT NOT NULL, at REAL NOT NULL)",
    ),
)
_WATCH_FIELDS = ("id", "ip", "channel", "thread_ts", "user", "lang", "state", "created_at", "ends_at", "next_at",
                 "round", "claimed_until")
_SWEEP_EVERY = 500  # seen-key writes between deletions of expired rows


class SqliteStore:
    kind = "sqlite"

    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time):
        self.path = str(path)
        self._clock = clock
        self._lock = threading.Lock()
        self._writes = 0
        # One thread of its own: a locked database (another process holding a write) makes the store
        # wait, never the event loop's default executor that other work shares.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-store")
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=BUSY_TIMEOUT)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._migrate()
        except sqlite3.Error as error:
            raise StoreError(f"SQLite {self.path}: {error}") from error

    def _migrate(self) -> None:
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            self._db.execute("BEGIN IMMEDIATE")
            for statement in statements:
                self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {number}")
            self._db.execute("COMMIT")

    @property
    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def locked() -> T:
            with self._lock:
                return work(self._db)

        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, locked)
        except sqlite3.Error as error:  # locked, read-only, disk full, gone
            raise StoreError(f"SQLite {self.path}: {error}") from error

    async def _execute(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        return await self._run(lambda db: db.execute(sql, parameters).rowcount)

    # --- seen keys -------------------------------------------------------------------------------
    async def first_time(self, key: str, ttl: float) -> bool:
        now = self._clock()
        self._writes += 1
        sweep = self._writes % _SWEEP_EVERY == 0

        def work(db: sqlite3.Connection) -> bool:
            if sweep:
                db.execute("DELETE FROM seen WHERE expires_at <= ?", (now,))
                db.execute("DELETE FROM cache WHERE expires_at <= ?", (now,))
            changed = db.execute(
                "INSERT INTO seen (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                "SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?", (key, now + ttl, now)).rowcount
            return bool(changed)

        return await self._run(work)

    # --- cache -----------------------------------------------------------------------------------
    async def cache_get(self, namespace: str, key: str) -> str | None:
        now = self._clock()
        row = await self._run(lambda db: db.execute(
            "SELECT value FROM cache WHERE namespace = ? AND key = ? AND expires_at > ?", (namespace, key, now),
        ).fetchone())
        return str(row[0]) if row else None

    async def cache_set(self, namespace: str, key: str, value: str, ttl: float) -> None:
        await self._execute("INSERT OR REPLACE INTO cache (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)",
                            (namespace, key, value, self._clock() + ttl))

    # --- watches ---------------------------------------------------------------------------------
    async def add_watch(self, watch: Watch) -> Watch:
        """The watch, or the one already following this IP for this person in this thread."""
        def work(db: sqlite3.Connection) -> Watch:
            row = db.execute(f"SELECT {', '.join(_WATCH_FIELDS)} FROM watches WHERE ip = ? AND channel = ? "
                             "AND thread_ts = ? AND user = ?",
                             (watch.ip, watch.channel, watch.thread_ts, watch.user)).fetchone()
            if row:
                return _watch(row)
            db.execute(f"INSERT INTO watches ({', '.join(_WATCH_FIELDS)}) VALUES ({', '.join('?' * 12)})",
                       _row(watch))
            return watch

        return await self._run(work)

    async def get_watch(self, watch_id: str) -> Watch | None:
        row = await self._run(lambda db: db.execute(
            f"SELECT {', '.join(_WATCH_FIELDS)} FROM watches WHERE id = ?", (watch_id,)).fetchone())
        return _watch(row) if row else None

    async def watches(self, channel: str | None = None) -> list[Watch]:
        where, parameters = ("WHERE channel = ?", (channel,)) if channel else ("", ())
        rows = await self._run(lambda db: db.execute(
            f"SELECT {', '.join(_WATCH_FIELDS)} FROM watches {where} ORDER BY created_at", parameters).fetchall())
        return [_watch(row) for row in rows]

    async def due_watches(self, now: float) -> list[Watch]:
        rows = await self._run(lambda db: db.execute(
            f"SELECT {', '.join(_WATCH_FIELDS)} FROM watches WHERE next_at <= ? AND claimed_until <= ? "
            "ORDER BY next_at LIMIT 500", (now, now)).fetchall())
        return [_watch(row) for row in rows]

    async def claim(self, watch: Watch, now: float, hold: float) -> bool:
        """This instance works the watch's round, no other: only if nobody claimed it and it is
        still at the round the caller read."""
        changed = await self._execute(
            "UPDATE watches SET claimed_until = ? WHERE id = ? AND round = ? AND claimed_until <= ?",
            (now + hold, watch.id, watch.round, now))
        return changed == 1

    async def save_watch(self, watch: Watch) -> None:
        await self._execute(f"UPDATE watches SET ({', '.join(_WATCH_FIELDS[1:])}) = "
                            f"({', '.join('?' * 11)}) WHERE id = ?", (*_row(watch)[1:], watch.id))

    async def remove_watch(self, watch_id: str) -> bool:
        return await self._execute("DELETE FROM watches WHERE id = ?", (watch_id,)) == 1

    # --- recent checks ---------------------------------------------------------------------------
    async def add_recent(self, check: RecentCheck, keep: int = 20) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO recent (ip, status, lists, at) VALUES (?, ?, ?, ?)",
                       (check.ip, check.status, check.lists, check.at))
            db.execute("DELETE FROM recent WHERE id NOT IN (SELECT id FROM recent ORDER BY id DESC LIMIT ?)",
                       (keep,))

        await self._run(work)

    async def recent(self, limit: int = 10) -> list[RecentCheck]:
        rows = await self._run(lambda db: db.execute(
            "SELECT ip, status, lists, at FROM recent ORDER BY id DESC LIMIT ?", (limit,)).fetchall())
        return [RecentCheck(str(ip), str(status), str(lists), float(at)) for ip, status, lists, at in rows]

    async def healthy(self) -> bool:
        try:
            await self._run(lambda db: db.execute("BEGIN IMMEDIATE").execute("ROLLBACK"))
        except StoreError:
            return False
        return True

    async def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._db.close()


def _row(watch: Watch) -> tuple[Any, ...]:
    return tuple(getattr(watch, name) for name in _WATCH_FIELDS)


def _watch(row: Sequence[Any]) -> Watch:
    values = dict(zip(_WATCH_FIELDS, row, strict=True))
    return Watch(**values)
