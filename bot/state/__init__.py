"""State that survives restarts and is shared by instances: SQLite by default, Redis when
``REDIS_URL`` is set (see ``base.py`` for what is kept)."""

from __future__ import annotations

from bot.state.base import RecentCheck, StateStore, StoreError, Watch

__all__ = ["RecentCheck", "StateStore", "StoreError", "Watch", "open_store"]


def open_store(*, database_path: str, redis_url: str = "") -> StateStore:
    """The store the settings name: Redis when a URL is given, else the SQLite file (created with
    its schema on first use)."""
    if redis_url:
        from bot.state.redis_store import RedisStore

        return RedisStore(redis_url)
    from bot.state.sqlite_store import SqliteStore

    return SqliteStore(database_path)
