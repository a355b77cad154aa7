"""The language of each Slack user, from their Slack locale (``users.info(include_locale=True)``).

Looked up after the ack, never before: a Web API round trip (or a 429 with Retry-After) in front of
``ack()`` would spend Slack's 3-second budget. Cached per user, since people rarely switch; a
failed lookup, whatever the failure, answers in ``DEFAULT_LANG`` and is retried after a minute.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.diagnosis.cache import TTLCache
from bot.i18n import lang_for_locale

log = logging.getLogger(__name__)


class LocaleCache:
    def __init__(self, default_lang: str, ttl: float = 6 * 3600.0, failure_ttl: float = 60.0,
                 maxsize: int = 10_000):
        self.default_lang = default_lang
        self.failure_ttl = failure_ttl
        self._cache: TTLCache[tuple[str, bool]] = TTLCache(ttl, maxsize)

    async def lang_for(self, client: AsyncWebClient, user_id: str | None) -> str:
        if not user_id:
            return self.default_lang
        lang, _ = await self._cache.get_or_compute(
            user_id, lambda: self._lookup(client, user_id),
            ttl_for=lambda item: None if item[1] else self.failure_ttl)
        return lang

    async def _lookup(self, client: AsyncWebClient, user_id: str) -> tuple[str, bool]:
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        # Not only SlackApiError: a dropped connection surfaces as aiohttp's own error, an odd body
        # as whatever slack_sdk trips over. The language is never worth losing the answer for.
        except Exception as error:
            log.warning("users.info failed for %s (%s): answering in %s", user_id, type(error).__name__,
                        self.default_lang)
            return self.default_lang, False
        locale = (response.get("user") or {}).get("locale")
        return lang_for_locale(locale, self.default_lang), True
