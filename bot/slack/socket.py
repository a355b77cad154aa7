"""Socket Mode: the same Bolt app over a websocket Slack opens for us; no public URL needed.

Runs until SIGTERM (a deploy, the platform's stop) or SIGINT (Ctrl-C), then drains as HTTP mode
does: the websocket is closed, so no new work arrives (Slack redelivers to another connection or
later), answers in progress finish or apologise, and the process exits. An app token Slack refuses
(wrong, revoked, not an app-level token) ends the process with one clear line and a non-zero
status: retrying every 10 seconds forever would look healthy to the platform while answering
nobody.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.config import ConfigError, Settings
from bot.slack.deps import BounceDiagnoser
from bot.slack.server import freeze_startup_objects, running_app, stop_on_signals

log = logging.getLogger(__name__)

APP_TOKEN_PREFIX = "xapp-"
# apps.connections.open errors that no retry can fix: the token is wrong, revoked or of the wrong kind.
FATAL_TOKEN_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
                                "not_allowed_token_type", "invalid_token", "missing_scope", "no_permission"})


class AppTokenRefused(ConfigError):
    """Slack refused SLACK_APP_TOKEN."""


def socket_handler(bolt_app: AsyncApp, settings: Settings) -> AsyncSocketModeHandler:
    """``apps.connections.open`` goes through the app's client, so to ``SLACK_API_URL`` too."""
    return AsyncSocketModeHandler(bolt_app, settings.slack_app_token, logger=logging.getLogger("bot.slack.socket"))


def _fail_fast_on_refused_token(handler: AsyncSocketModeHandler, refused: asyncio.Future[str]) -> None:
    """slack_sdk's client logs a refused token and retries forever; here the refusal settles
    ``refused`` with Slack's error word and closes the client, which ends its retry loop."""
    client = handler.client
    issue = client.issue_new_wss_url

    async def issue_new_wss_url(*args: Any, **kwargs: Any) -> str:
        try:
            return await issue(*args, **kwargs)
        except SlackApiError as error:
            word = str(error.response.get("error", ""))
            if word in FATAL_TOKEN_ERRORS and not refused.done():
                refused.set_result(word)
                await client.close()
            raise

    client.issue_new_wss_url = issue_new_wss_url  # type: ignore[method-assign]


async def run_socket(settings: Settings, *, diagnoser: BounceDiagnoser | None = None) -> None:
    """Connect and serve until SIGTERM or SIGINT or until cancelled (``python -m bot socket``)."""
    if not settings.slack_bot_token or not settings.slack_app_token:
        raise ConfigError("SLACK_BOT_TOKEN and SLACK_APP_TOKEN are required for Socket Mode")
    if not settings.slack_app_token.startswith(APP_TOKEN_PREFIX):
        raise ConfigError(f"SLACK_APP_TOKEN must be an app-level token (it starts with {APP_TOKEN_PREFIX!r}); "
                          "create one with the connections:write scope under Basic Information")
    async with running_app(settings, diagnoser, socket_mode=True) as running:
        handler = socket_handler(running.app, settings)
        refused: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        _fail_fast_on_refused_token(handler, refused)
        stop = stop_on_signals()
        freeze_startup_objects()
        log.info("connecting to Slack in Socket Mode")
        connecting = asyncio.create_task(handler.connect_async())
        stopping = asyncio.create_task(stop.wait())
        ends: set[asyncio.Future[Any]] = {refused, stopping}
        try:
            await asyncio.wait(ends, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            log.info("shutting down: %d answer(s) in progress", len(running.deps.in_flight))
            await handler.close_async()
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await connecting
        if refused.done():
            raise AppTokenRefused(f"Slack refused SLACK_APP_TOKEN ({refused.result()}): check that it is this "
                                  "app's app-level token with the connections:write scope and that it was not revoked")
