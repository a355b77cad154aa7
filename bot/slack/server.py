"""HTTP mode: Bolt's ``POST /slack/events`` and ``GET /healthz`` on aiohttp's web runner, on $PORT.

aiohttp serves many requests concurrently on one event loop, and the AsyncApp acknowledges
before it diagnoses, so acks stay fast while lookups are slow (bench/ack.py measures it;
docs/benchmarks.md has the numbers).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.config import ConfigError, Settings
from bot.diagnosis.diagnose import Diagnoser
from bot.slack.app import build_app, make_client
from bot.slack.deps import BounceDiagnoser, Deps

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 2 * 1024 * 1024  # Slack's payloads are far smaller; a message is at most 40,000 characters


def create_web_app(bolt_app: AsyncApp) -> web.Application:
    async def slack_events(request: web.Request) -> web.Response:
        bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.add_routes([web.post(EVENTS_PATH, slack_events), web.get(HEALTH_PATH, healthz)])
    return web_app


async def start_web_app(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    """Listen on ``host:port`` (port 0: any free port, see ``bound_port``). Caller cleans up the runner."""
    runner = web.AppRunner(web_app, access_log=None)  # request lines carry nothing useful; Bolt logs failures
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    return runner.addresses[0][1]


@contextlib.asynccontextmanager
async def running_app(settings: Settings, diagnoser: BounceDiagnoser | None = None, *,
                      socket_mode: bool = False) -> AsyncIterator[AsyncApp]:
    """The Bolt app with its Web API session and the listeners' shared ``Deps``, for either mode.
    Without ``diagnoser`` it makes (and later closes) its own. On the way out, answers still being
    worked on get the diagnoser's answer deadline (``DIAGNOSIS_TIMEOUT`` plus a little) to post."""
    owned: Diagnoser | None = None
    if diagnoser is None:
        diagnoser = owned = Diagnoser.create(settings.lookups, settings.own)
    deps = Deps.create(diagnoser, default_lang=settings.default_lang)
    try:
        async with aiohttp.ClientSession() as session:
            yield build_app(settings, diagnoser, client=make_client(settings, session=session),
                            socket_mode=socket_mode, deps=deps)
            await deps.in_flight.wait_idle(diagnoser.answer_deadline)
    finally:
        if owned is not None:
            owned.close()


def freeze_startup_objects() -> None:
    """Move everything loaded at start-up out of the collector's reach. A full collection over
    those ~60,000 long-lived objects took about 50 ms on a 2-core machine, a pause that can land
    inside an ack; they never become garbage, so later collections need not walk them."""
    gc.collect()
    gc.freeze()


async def serve(settings: Settings, *, diagnoser: BounceDiagnoser | None = None, host: str = "0.0.0.0") -> None:
    """Run until SIGTERM or SIGINT (``python -m bot serve``)."""
    if not settings.slack_bot_token or not settings.slack_signing_secret:
        raise ConfigError("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are required for HTTP mode")
    async with running_app(settings, diagnoser) as bolt_app:
        runner = await start_web_app(create_web_app(bolt_app), host, settings.port)
        freeze_startup_objects()
        log.info("serving Slack on %s:%d (POST %s, GET %s)", host, bound_port(runner), EVENTS_PATH, HEALTH_PATH)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            log.info("shutting down")
            await runner.cleanup()
