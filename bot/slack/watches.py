"""Watches in Slack: "Notify me when delisted" starts one, a background task looks again on the
schedule, and a change is posted once in the original thread, mentioning whoever asked.

The rounds are ``bot.watching.run_round``: due watches are claimed in the state store, so that with
several instances on one Redis each round is worked by one of them and a change makes one post;
each IP is checked once per round however many watch it. A round that fails (the store is
unreachable, Slack is down) is logged and tried again at the next tick; nothing is lost, since the
watch stays due in the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from slack_sdk.web.async_client import AsyncWebClient

from bot.diagnosis.model import Diagnosis
from bot.render.blocks import full_message, present_for_slack
from bot.render.home import change_preface
from bot.slack.deps import Deps
from bot.state.base import RecentCheck, StateStore, StoreError, Watch
from bot.watching import Change, listing_state, new_watch, run_round

log = logging.getLogger(__name__)

MAX_TICK = 30.0  # seconds between looks for due watches, at most
WATCH_TIMEOUT = 10.0  # seconds a click may take the store to answer


def tick_for(schedule: tuple[float, ...]) -> float:
    """How often due watches are looked for: often enough for the shortest step (``2s`` in tests)."""
    return max(0.2, min(MAX_TICK, min(schedule) / 4))


async def notify(client: AsyncWebClient, change: Change) -> None:
    """The post in the watch's thread: who asked, what changed, then the new state in full."""
    watch = change.watch
    preface = change_preface(user=watch.user, ip=watch.ip, before=change.before, after=change.after, lang=watch.lang)
    message = full_message(present_for_slack(change.diagnosis, watch.lang), preface=preface)
    await client.chat_postMessage(channel=watch.channel, thread_ts=watch.thread_ts, **message)


async def run_watches(deps: Deps, client: AsyncWebClient, stop: asyncio.Event) -> None:
    """Work due watches until ``stop`` is set (the process is shutting down)."""
    store = deps.store
    if store is None:
        return
    tick = tick_for(deps.watch_schedule)

    async def diagnose(ip: str) -> Diagnosis:  # fresh: the lists' answer now, not the cached one
        return await deps.diagnoser.diagnose(ip, fresh=True)

    async def tell(change: Change) -> None:
        await notify(client, change)

    failing = False
    while not stop.is_set():
        try:
            worked = await run_round(store, diagnose, tell, deps.watch_schedule)
            if worked:
                log.info("watch round: %d watch(es) looked at", worked)
            failing = False
        except StoreError as error:
            if not failing:
                log.warning("watch round skipped, the state store failed: %s", error)
            failing = True
        except Exception:
            log.exception("watch round failed; trying again at the next tick")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), tick)


async def start_watch(deps: Deps, *, ip: str, channel: str, thread_ts: str, user: str,
                      lang: str) -> tuple[str, Watch | None]:
    """A new watch of ``ip`` for ``user`` in the thread: ("started", watch), or why not ("already",
    "not_listed", "unavailable")."""
    store = deps.store
    if store is None:
        return "unavailable", None
    try:
        existing = await asyncio.wait_for(store.watches(channel), WATCH_TIMEOUT)
        if any(w.ip == ip and w.user == user and w.thread_ts == thread_ts for w in existing):
            return "already", None
        diagnosis = await deps.diagnoser.diagnose(ip)  # what the answer showed: cached a moment ago
        state = listing_state(diagnosis)
        if state == "":
            return "not_listed", None
        watch = new_watch(ip=ip, channel=channel, thread_ts=thread_ts, user=user, lang=lang, state=state,
                          schedule=deps.watch_schedule, days=deps.watch_days)
        await asyncio.wait_for(store.add_watch(watch), WATCH_TIMEOUT)
    except (StoreError, TimeoutError) as error:
        log.warning("could not start a watch: %s", type(error).__name__)
        return "unavailable", None
    log.info("watch %s started for %s in %s", watch.id, ip, channel)
    return "started", watch


async def remember(store: StateStore | None, diagnoses: tuple[Diagnosis, ...]) -> None:
    """The checks just made, for App Home's "last checks"; a store that fails costs nothing else."""
    if store is None:
        return
    for diagnosis in diagnoses:
        if diagnosis.ip is None or diagnosis.ip_problem:
            continue
        status = "blocked" if diagnosis.blocked_by else str(diagnosis.dnsbl_status)
        listings = diagnosis.dnsbl.listings if diagnosis.dnsbl else ()
        lists = ", ".join(dict.fromkeys(listing.list for listing in listings))
        try:
            await asyncio.wait_for(store.add_recent(RecentCheck(diagnosis.ip, status, lists, time.time())), 2.0)
        except (StoreError, TimeoutError):
            log.info("could not record a recent check in the state store")
            return
