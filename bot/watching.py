"""Following a listing until it clears: the schedule, what counts as a change, and one round.

Surfaces decide how a change is told (a Slack post in the thread, a terminal line); this module
decides when to look again and whether anything changed. A round re-checks the IP's lists
without the lookup cache's stored answer (``fresh``), but concurrent rounds for one IP share one
set of queries (the cache merges lookups in flight), so a hundred watches of one IP cost one.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from bot.diagnosis.model import Diagnosis, DnsblStatus
from bot.state.base import StateStore, Watch

DEFAULT_SCHEDULE = "15m,30m,1h,2h,4h,8h,12h"
DEFAULT_DAYS = 7.0
CLAIM_HOLD = 300.0  # seconds an instance holds a round it works; then another may take it over
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d)")
_UNIT = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class ScheduleError(ValueError):
    """WATCH_SCHEDULE is not a comma-separated list of durations such as ``15m,1h,12h``."""


def parse_schedule(text: str) -> tuple[float, ...]:
    """``"15m,30m,1h"`` -> seconds. The last step repeats until the watch ends."""
    steps = []
    for part in (part.strip().lower() for part in text.split(",")):
        match = _DURATION.fullmatch(part)
        if not match or float(match.group(1)) <= 0:
            raise ScheduleError(f"{part!r} is not a duration such as 30s, 15m, 2h or 1d")
        steps.append(float(match.group(1)) * _UNIT[match.group(2)])
    if not steps:
        raise ScheduleError("no durations")
    return tuple(steps)


def listing_state(diagnosis: Diagnosis) -> str:
    """What the lists say, as a comparable string: every (zone, code) listed, or "unknown" when the
    check failed (a failure is no news: the watch looks again), "" when listed nowhere."""
    report = diagnosis.dnsbl
    if report is None or (report.status == DnsblStatus.UNKNOWN and not report.listings):
        return "unknown"
    return ",".join(sorted(f"{listing.zone}:{listing.code}" for listing in report.listings))


@dataclass(frozen=True)
class Change:
    watch: Watch
    diagnosis: Diagnosis
    before: str
    after: str

    @property
    def cleared(self) -> bool:
        return self.after == ""

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(sorted(set(_items(self.before)) - set(_items(self.after))))

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(sorted(set(_items(self.after)) - set(_items(self.before))))


def _items(state: str) -> list[str]:
    return [item for item in state.split(",") if item and state != "unknown"]


def new_watch(*, ip: str, channel: str, thread_ts: str, user: str, lang: str, state: str,
              schedule: Sequence[float], days: float, now: float | None = None) -> Watch:
    now = time.time() if now is None else now
    return Watch(id=secrets.token_hex(8), ip=ip, channel=channel, thread_ts=thread_ts, user=user, lang=lang,
                 state=state, created_at=now, ends_at=now + days * 86400, next_at=now + schedule[0])


def next_round(watch: Watch, state: str, schedule: Sequence[float], now: float) -> Watch:
    """The watch after a round that changed nothing: the next step of the schedule."""
    done = watch.round + 1
    step = schedule[min(done, len(schedule) - 1)]
    return replace(watch, round=done, state=state if state != "unknown" else watch.state, next_at=now + step,
                   claimed_until=0.0)


Diagnose = Callable[[str], Awaitable[Diagnosis]]
Notify = Callable[[Change], Awaitable[None]]


async def run_round(store: StateStore, diagnose: Diagnose, notify: Notify, schedule: Sequence[float], *,
                    now: float | None = None) -> int:
    """Every due watch this instance can claim: re-check each IP once (however many watch it), tell
    a change once, then stop the watch (cleared, or past its end) or plan its next look. Returns the
    watches worked."""
    now = time.time() if now is None else now
    claimed = [watch for watch in await store.due_watches(now) if await store.claim(watch, now, CLAIM_HOLD)]
    for watch in [watch for watch in claimed if now >= watch.ends_at]:
        await store.remove_watch(watch.id)
    live = [watch for watch in claimed if now < watch.ends_at]
    ips = list(dict.fromkeys(watch.ip for watch in live))
    diagnoses = dict(zip(ips, await asyncio.gather(*(diagnose(ip) for ip in ips)), strict=True))
    for watch in live:
        diagnosis = diagnoses[watch.ip]
        state = listing_state(diagnosis)
        if state not in ("unknown", watch.state):
            await notify(Change(watch, diagnosis, watch.state, state))
            if state == "":
                await store.remove_watch(watch.id)  # clean: the watch is over
                continue
        await store.save_watch(next_round(watch, state, schedule, now))
    return len(claimed)
