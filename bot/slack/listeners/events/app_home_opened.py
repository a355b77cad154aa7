"""The bot's App Home tab, in the user's language, published each time it is opened: how to ask,
the set-up's health (resolver self-test, DQS key, registries, state store), the last checks in the
workspace and the active watches, each with Stop. Nothing here makes a lookup of its own: the
self-test is the cached one, the registries' health comes from the last diagnoses."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.render.home import HomeStatus, home_view
from bot.slack import replies
from bot.slack.deps import Deps, Listener
from bot.state.base import StoreError

log = logging.getLogger(__name__)
STATUS_WAIT = 2.0  # seconds App Home waits for the self-test and the store before showing what it has


def listener(deps: Deps) -> Listener:
    async def app_home_opened(event: dict, client: AsyncWebClient) -> None:
        user_id = event.get("user")
        if event.get("tab") != "home" or not isinstance(user_id, str):
            return
        with deps.in_flight.track():
            await publish(deps, client, user_id=user_id)

    return app_home_opened


async def home_status(deps: Deps) -> HomeStatus:
    resolver = "unknown"
    trusted = getattr(deps.diagnoser, "resolver_trusted", None)
    if trusted is not None:
        try:
            resolver = "ok" if await asyncio.wait_for(trusted(), STATUS_WAIT) else "failing"
        except Exception:
            resolver = "unknown"
    store, recent, watches, store_ok = deps.store, [], [], False
    if store is not None:
        try:
            store_ok = await asyncio.wait_for(store.healthy(), STATUS_WAIT)
            recent = await asyncio.wait_for(store.recent(10), STATUS_WAIT)
            watches = await asyncio.wait_for(store.watches(), STATUS_WAIT)
        except (StoreError, TimeoutError) as error:
            log.info("App Home without the state store: %s", type(error).__name__)
            store_ok = False
    health = deps.lookups
    return HomeStatus(resolver=resolver, dqs=deps.dqs, rdap_ok_at=health.last_ok, rdap_error=health.last_error,
                      rdap_error_at=health.last_error_at, store=store.kind if store else None, store_ok=store_ok,
                      recent=recent, watches=watches)


async def publish(deps: Deps, client: AsyncWebClient, *, user_id: str) -> None:
    try:
        lang = await deps.locales.lang_for(client, user_id)
        await client.views_publish(user_id=user_id, view=home_view(lang, await home_status(deps)))
    except Exception:
        replies.log_failure("App Home", user=user_id)
