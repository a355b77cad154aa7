"""The state store as the lookups' shared cache (``bot.diagnosis.cache.SharedCache``): DNSBL
reports and owners, as JSON text with their TTL, seen by every instance and kept over a restart."""

from __future__ import annotations

from bot.state.base import StateStore

NAMESPACE = "lookup"


class StoreCache:
    def __init__(self, store: StateStore):
        self.store = store

    async def get(self, key: str) -> str | None:
        return await self.store.cache_get(NAMESPACE, key)

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self.store.cache_set(NAMESPACE, key, value, ttl)
