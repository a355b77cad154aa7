"""What the listeners share, built once per app and handed to each ``register(app, deps)``.

The listeners' closures hold it; nothing travels through Bolt's untyped context. The diagnoser is
typed by what the Slack face uses of it (``BounceDiagnoser``), so tests can hand in a fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.diagnosis.model import Bounce, Diagnosis
from bot.slack.dedupe import Deduper
from bot.slack.language import LocaleCache

log = logging.getLogger(__name__)

# A Bolt listener: Bolt passes the arguments it finds by name (ack, command, event, client, ...).
Listener = Callable[..., Awaitable[None]]


class BounceDiagnoser(Protocol):
    """What the Slack face needs of ``bot.diagnosis.diagnose.Diagnoser``."""

    @property
    def answer_deadline(self) -> float:
        """Seconds a surface waits for a whole answer."""
        ...

    def parse(self, text: str) -> Bounce: ...

    async def diagnose_bounce(self, bounce: Bounce, *, fresh: bool = False) -> Diagnosis: ...

    async def diagnose(self, text: str, *, fresh: bool = False) -> Diagnosis: ...


class InFlight:
    """The tasks answering someone right now. Listeners wrap their work after the ack in ``track()``."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        task = asyncio.current_task()
        if task is None:  # not inside a task: nothing a shutdown could wait for
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def wait_idle(self, timeout: float) -> None:
        """Let answers being worked on finish (at most ``timeout`` seconds): for a clean shutdown."""
        busy = {task for task in self._tasks if task is not asyncio.current_task() and not task.done()}
        if busy:
            log.info("waiting up to %.0f s for %d answer(s) in progress", timeout, len(busy))
            await asyncio.wait(busy, timeout=timeout)


@dataclass(frozen=True)
class Deps:
    diagnoser: BounceDiagnoser
    locales: LocaleCache  # each user's language, looked up after the ack
    replies: Deduper  # (channel, ts) of messages already answered: a mention also arrives as a message
    answer_timeout: float  # the diagnosis bounds its own lookups; this guards against a hang in the pipeline
    in_flight: InFlight = field(default_factory=InFlight)  # answers being worked on, for a clean shutdown

    @classmethod
    def create(cls, diagnoser: BounceDiagnoser, *, default_lang: str) -> Deps:
        return cls(diagnoser=diagnoser, locales=LocaleCache(default_lang), replies=Deduper(),
                   answer_timeout=diagnoser.answer_deadline)
