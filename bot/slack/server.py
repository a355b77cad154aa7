"""HTTP mode: Bolt's ``POST /slack/events``, ``GET /healthz`` and ``GET /metrics`` on aiohttp's web
runner, on $PORT.

aiohttp serves many requests concurrently on one event loop, and the AsyncApp acknowledges
before it diagnoses, so acks stay fast while lookups are slow (bench/ack.py measures it;
docs/benchmarks.md has the numbers). A request reaches Bolt only once its signature has been
checked on the raw bytes (bot/slack/verify.py); a connection that sends no whole request head
within ``HEADER_TIMEOUT`` is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import math
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.config import ConfigError, Settings
from bot.diagnosis.diagnose import Diagnoser
from bot.slack.app import build_app, deps_for, make_client
from bot.slack.deps import BounceDiagnoser, Deps
from bot.slack.metrics import CONTENT_TYPE, Metrics
from bot.slack.verify import Refusal, RefusalLog, check_signature, read_body
from bot.slack.watches import run_watches
from bot.state import StateStore, open_store
from bot.state.cache import StoreCache

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY = 2 * 1024 * 1024  # Slack's payloads are far smaller; a message is at most 40,000 characters
# A connection must send a whole request head within HTTP_HEADER_TIMEOUT seconds of opening (or of
# its last answer, when kept alive): idle and half-open connections are closed instead of held for
# an hour (aiohttp's keep-alive timer also runs from the moment a connection is made).
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0  # and the body within this many seconds of the head
SELF_TEST_WAIT = 1.0
STORE_CHECK_EVERY = 5.0  # /healthz waits this long for a resolver self-test (cached) before saying "unknown"

SelfTestProbe = Callable[[], Awaitable[bool]]


@dataclass
class Health:
    """What /healthz and /metrics report, and whether the server is draining for a shutdown."""

    metrics: Metrics = field(default_factory=Metrics)
    self_test: SelfTestProbe | None = None  # True when the resolver's test points pass
    store: StateStore | None = None
    draining: bool = False

    _store_state: tuple[float, str] = (-math.inf, "unknown")

    async def store_state(self) -> str:
        """"ok", "failing" or "none"; asked of the store at most every STORE_CHECK_EVERY seconds, so
        that a platform polling /healthz costs the store nothing."""
        if self.store is None:
            return "none"
        checked_at, state = self._store_state
        if time.monotonic() - checked_at < STORE_CHECK_EVERY:
            return state
        try:
            state = "ok" if await asyncio.wait_for(self.store.healthy(), SELF_TEST_WAIT) else "failing"
        except Exception:
            state = "failing"
        self._store_state = (time.monotonic(), state)
        return state

    async def resolver_self_test(self) -> str:
        if self.self_test is None:
            return "unknown"
        try:
            return "ok" if await asyncio.wait_for(self.self_test(), SELF_TEST_WAIT) else "failing"
        except Exception:
            return "unknown"


def create_web_app(bolt_app: AsyncApp, *, signing_secret: str, health: Health | None = None) -> web.Application:
    """The routes around ``bolt_app``. Without a ``signing_secret`` every request to Bolt is refused."""
    health = health or Health()
    refusals = RefusalLog(log)

    def refuse(refusal: Refusal) -> web.Response:
        health.metrics.refused.labels(refusal.reason).inc()
        refusals.refused(refusal)
        return web.Response(status=refusal.status, text=refusal.reason)

    async def slack_events(request: web.Request) -> web.Response:
        started = time.perf_counter()
        if health.draining:
            return web.Response(status=503, text="shutting down", headers={"Retry-After": "5"})
        try:
            raw = await asyncio.wait_for(request.read(), BODY_TIMEOUT)
        except web.HTTPRequestEntityTooLarge:
            return refuse(Refusal(413, "too_large"))
        except (TimeoutError, aiohttp.ClientError, ConnectionError):
            return refuse(Refusal(408, "body_timeout"))
        refusal = check_signature(request.headers, raw, signing_secret)
        if refusal is None:
            text, refusal = read_body(raw, request.content_type)
        if refusal is not None:
            return refuse(refusal)
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string,
                                        headers=request.headers)  # type: ignore[arg-type]
        response = await to_aiohttp_response(await bolt_app.async_dispatch(bolt_request))
        health.metrics.ack(time.perf_counter() - started)
        return response

    async def healthz(request: web.Request) -> web.Response:
        """Unauthenticated: says only whether the process and its resolver path are well."""
        body = {"ok": not health.draining, "resolver_self_test": await health.resolver_self_test(),
                "state_store": await health.store_state(), "draining": health.draining}
        return web.json_response(body, status=503 if health.draining else 200)

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(body=health.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.add_routes([web.post(EVENTS_PATH, slack_events), web.get(HEALTH_PATH, healthz),
                        web.get(METRICS_PATH, metrics)])
    return web_app


async def start_web_app(web_app: web.Application, host: str, port: int, *,
                        header_timeout: float = HEADER_TIMEOUT) -> web.AppRunner:
    """Listen on ``host:port`` (port 0: any free port, see ``bound_port``). Caller cleans up the runner."""
    runner = web.AppRunner(web_app, access_log=None,  # request lines carry nothing useful; Bolt logs failures
                           keepalive_timeout=header_timeout, shutdown_timeout=5.0)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    return runner.addresses[0][1]


@dataclass
class Running:
    """The Bolt app and what the servers around it need of it."""

    app: AsyncApp
    deps: Deps
    health: Health


@contextlib.asynccontextmanager
async def running_app(settings: Settings, diagnoser: BounceDiagnoser | None = None, *,
                      socket_mode: bool = False) -> AsyncIterator[Running]:
    """The Bolt app with its Web API session and the listeners' shared ``Deps``, for either mode.
    Without ``diagnoser`` it makes (and later closes) its own. On the way out, answers still being
    worked on get the diagnoser's answer deadline (``DIAGNOSIS_TIMEOUT`` plus a little) to finish
    or apologise; any still running after that is cancelled."""
    owned: Diagnoser | None = None
    store = open_store_or_none(settings)
    if diagnoser is None:
        diagnoser = owned = Diagnoser.create(settings.lookups, settings.own,
                                             shared=StoreCache(store) if store is not None else None)
    deps = deps_for(settings, diagnoser, store)
    probe = diagnoser.resolver_trusted if isinstance(diagnoser, Diagnoser) else None
    stop_watches = asyncio.Event()
    try:
        async with aiohttp.ClientSession() as session:
            client = make_client(settings, session=session, metrics=deps.metrics)
            bolt_app = build_app(settings, diagnoser, client=client, socket_mode=socket_mode, deps=deps)
            watching = asyncio.create_task(run_watches(deps, client, stop_watches))
            try:
                yield Running(bolt_app, deps, Health(metrics=deps.metrics, self_test=probe, store=store))
                await deps.in_flight.wait_idle(diagnoser.answer_deadline + 1.0)
            finally:
                stop_watches.set()
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(watching, diagnoser.answer_deadline + 1.0)
    finally:
        if owned is not None:
            owned.close()
        if store is not None:
            await store.close()


def open_store_or_none(settings: Settings) -> StateStore | None:
    """The state store the settings name. One that cannot be opened (an unwritable DATABASE_PATH)
    is logged, and the bot runs on without it: answers matter more than watches."""
    try:
        return open_store(database_path=settings.database_path, redis_url=settings.redis_url)
    except Exception as error:
        log.error("the state store could not be opened (%s: %s): running without watches, and the one-reply "
                  "check in memory only", type(error).__name__, error)
        return None


def freeze_startup_objects() -> None:
    """Move everything loaded at start-up out of the collector's reach. A full collection over
    those ~60,000 long-lived objects took about 50 ms on a 2-core machine, a pause that can land
    inside an ack; they never become garbage, so later collections need not walk them."""
    gc.collect()
    gc.freeze()


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM (a deploy, the platform's stop) or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def serve(settings: Settings, *, diagnoser: BounceDiagnoser | None = None, host: str = "0.0.0.0") -> None:
    """Run until SIGTERM or SIGINT (``python -m bot serve``), then drain: new requests get 503 (Slack
    retries them), answers in progress finish or apologise, and the process exits."""
    if not settings.slack_bot_token or not settings.slack_signing_secret:
        raise ConfigError("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are required for HTTP mode")
    async with running_app(settings, diagnoser) as running:
        web_app = create_web_app(running.app, signing_secret=settings.slack_signing_secret, health=running.health)
        runner = await start_web_app(web_app, host, settings.port, header_timeout=settings.http_header_timeout)
        freeze_startup_objects()
        log.info("serving Slack on %s:%d (POST %s, GET %s, GET %s)", host, bound_port(runner), EVENTS_PATH,
                 HEALTH_PATH, METRICS_PATH)
        stop = stop_on_signals()
        try:
            await stop.wait()
        finally:
            running.health.draining = True
            log.info("shutting down: %d answer(s) in progress", len(running.deps.in_flight))
            await runner.cleanup()
