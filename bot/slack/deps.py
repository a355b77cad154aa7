"""What the listeners share, built once per app and handed to each ``register(app, deps)``.

The listeners' closures hold it; nothing travels through Bolt's untyped context. The diagnoser is
typed by what the Slack face uses of it (``BounceDiagnoser``), so tests can hand in a fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.diagnosis.model import Bounce, Diagnosis
from bot.slack.content import Content, gather
from bot.slack.dedupe import SeenKeys
from bot.slack.files import DEFAULT_MAX_BYTES, FileReader
from bot.slack.language import LocaleCache
from bot.slack.limits import CheckGate
from bot.slack.metrics import Metrics
from bot.slack.recheck_value import RecheckTexts
from bot.slack.web_client import Redactor
from bot.state.base import StateStore
from bot.watching import DEFAULT_DAYS, DEFAULT_SCHEDULE, parse_schedule

log = logging.getLogger(__name__)

T = TypeVar("T")
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

    async def diagnose_all(self, bounce: Bounce, *, fresh: bool = False) -> tuple[Diagnosis, ...]: ...

    async def diagnose(self, text: str, *, fresh: bool = False) -> Diagnosis: ...


RECHECK_NAMESPACE = "recheck"
RECHECK_KEEP = 7 * 86400.0  # seconds a re-check button's bounce is kept in the state store
RECHECK_MAX_CHARS = 200_000  # longer bounces are re-checked by their IP alone after a restart
_STORING: set[asyncio.Task[Any]] = set()


def _persist_texts(store: StateStore, redactor: Redactor) -> Callable[[str, str], None]:
    """Keep each re-check button's bounce in the store, secrets taken out, without waiting for it."""

    def persist(ref: str, text: str) -> None:
        if len(text) > RECHECK_MAX_CHARS:
            return

        async def save() -> None:
            try:
                await asyncio.wait_for(store.cache_set(RECHECK_NAMESPACE, ref, redactor.text(text), RECHECK_KEEP), 2.0)
            except Exception:
                log.info("could not keep a re-check button's bounce in the state store")

        try:
            task = asyncio.get_running_loop().create_task(save())
        except RuntimeError:  # no loop (a unit test): nothing to keep it in the background
            return
        _STORING.add(task)
        task.add_done_callback(_STORING.discard)

    return persist


@dataclass
class LookupHealth:
    """How the latest diagnoses' ownership lookups went: App Home's "RDAP reachable", without a
    request of its own."""

    last_ok: float | None = None  # epoch seconds of the last owner found
    last_error: str | None = None  # the last failure's kind ("timeout", "http_error", ...)
    last_error_at: float | None = None

    def saw(self, diagnosis: Diagnosis) -> None:
        owner = diagnosis.owner
        if owner is None:
            return
        if owner.error in (None, "not_public"):
            self.last_ok = time.time()
        else:
            self.last_error, self.last_error_at = owner.error, time.time()


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
        """Let answers being worked on finish (at most ``timeout`` seconds): for a clean shutdown.
        Each answer bounds its own diagnosis and apologises when that runs out, so within the
        answer deadline every one has been answered or apologised for; any still running after
        ``timeout`` (a Slack call that hangs) is cancelled and logged."""
        busy = {task for task in self._tasks if task is not asyncio.current_task() and not task.done()}
        if busy:
            log.info("waiting up to %.0f s for %d answer(s) in progress", timeout, len(busy))
            _, stuck = await asyncio.wait(busy, timeout=timeout)
            for task in stuck:
                task.cancel()
            if stuck:
                log.error("%d answer(s) still running after %.0f s were abandoned", len(stuck), timeout)
                await asyncio.wait(stuck, timeout=1.0)

    def __len__(self) -> int:
        return sum(1 for task in self._tasks if not task.done())


# The parser is pure Python and regular expressions, which hold the GIL: a large paste would stop
# the event loop (acks, /healthz) for as long as it takes. It runs on this one thread instead, one
# paste at a time, and the loop gets its turn between the parser's steps.
_PARSER_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bounce-parser")


@dataclass(frozen=True)
class Deps:
    diagnoser: BounceDiagnoser
    locales: LocaleCache  # each user's language, looked up after the ack
    # Events and (channel, ts) of messages already answered (a mention also arrives as a message),
    # in memory and in the state store, which every instance shares and which outlives a restart.
    replies: SeenKeys
    answer_timeout: float  # the diagnosis bounds its own lookups; this guards against a hang in the pipeline
    in_flight: InFlight = field(default_factory=InFlight)  # answers being worked on, for a clean shutdown
    metrics: Metrics = field(default_factory=Metrics)
    gate: CheckGate = field(default_factory=lambda: CheckGate(per_user=10, per_channel=30, max_in_flight=20))
    recheck_texts: RecheckTexts = field(default_factory=RecheckTexts)  # what re-check buttons refer to
    redactor: Redactor = field(default_factory=lambda: Redactor(()))  # secrets out of response_url posts too
    files: FileReader = field(default_factory=FileReader)  # shared .eml/.txt files, with the bot token
    store: StateStore | None = None  # watches, recent checks, the one-reply window (None: memory only)
    watch_schedule: tuple[float, ...] = parse_schedule(DEFAULT_SCHEDULE)
    watch_days: float = DEFAULT_DAYS
    dqs: bool = False  # a Spamhaus DQS key is configured (App Home says so, never the key)
    lookups: LookupHealth = field(default_factory=LookupHealth)  # how the last lookups went, for App Home

    @classmethod
    def create(cls, diagnoser: BounceDiagnoser, *, default_lang: str, per_user: int = 10, per_channel: int = 30,
               max_in_flight: int = 20, secrets: tuple[str, ...] = (),
               file_max_bytes: int = DEFAULT_MAX_BYTES, store: StateStore | None = None,
               watch_schedule: tuple[float, ...] | None = None, watch_days: float = DEFAULT_DAYS,
               dqs: bool = False) -> Deps:
        metrics = Metrics()
        redactor = Redactor(secrets)
        texts = RecheckTexts(persist=_persist_texts(store, redactor) if store is not None else None)
        return cls(diagnoser=diagnoser, locales=LocaleCache(default_lang), replies=SeenKeys(store),
                   answer_timeout=diagnoser.answer_deadline, metrics=metrics,
                   gate=CheckGate(per_user=per_user, per_channel=per_channel, max_in_flight=max_in_flight,
                                  on_change=metrics.in_flight.set),
                   redactor=redactor, files=FileReader(max_bytes=file_max_bytes), store=store, recheck_texts=texts,
                   watch_schedule=watch_schedule or parse_schedule(DEFAULT_SCHEDULE), watch_days=watch_days, dqs=dqs)

    async def parse(self, text: str) -> Bounce:
        """``diagnoser.parse`` off the event loop (see ``_PARSER_THREAD``)."""
        return await self.off_loop(self.diagnoser.parse, text)

    async def off_loop(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` on the parser's thread (see ``_PARSER_THREAD``): for reading
        a pasted or shared bounce, pure Python that would otherwise hold up the event loop."""
        call = functools.partial(function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(_PARSER_THREAD, call)

    async def read(self, message: dict, client: AsyncWebClient, *, bot_user_id: str | None) -> Content:
        """What ``message`` holds to read: text, forwarded messages, mailed-in and shared files."""
        return await gather(message, client=client, reader=self.files, off_loop=self.off_loop,
                            bot_user_id=bot_user_id)

    async def recheck_text(self, ref: str) -> None:
        """A re-check button's bounce, from the state store when this process does not know it (a
        restart, another instance), kept here for the re-check."""
        if not ref or self.store is None or self.recheck_texts.get(ref) is not None:
            return
        try:
            text = await asyncio.wait_for(self.store.cache_get(RECHECK_NAMESPACE, ref), 1.0)
        except Exception:
            log.info("the state store could not give a re-check button's bounce: re-checking the IP alone")
            return
        if text:
            self.recheck_texts.remember(ref, text)

    async def screen(self, text: str) -> Bounce | None:
        """The parsed bounce of a message nobody asked us about yet: None for empty text, and never raises."""
        if not text.strip():
            return None
        try:
            return await self.parse(text)
        except Exception:
            log.exception("bounce parser failed while screening a message")
            return None
