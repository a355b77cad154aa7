"""Socket Mode: the same Bolt app over a websocket Slack opens for us; no public URL needed."""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.config import ConfigError, Settings
from bot.slack.deps import BounceDiagnoser
from bot.slack.server import freeze_startup_objects, running_app

log = logging.getLogger(__name__)


def socket_handler(bolt_app: AsyncApp, settings: Settings) -> AsyncSocketModeHandler:
    """``apps.connections.open`` goes through the app's client, so to ``SLACK_API_URL`` too."""
    return AsyncSocketModeHandler(bolt_app, settings.slack_app_token, logger=logging.getLogger("bot.slack.socket"))


async def run_socket(settings: Settings, *, diagnoser: BounceDiagnoser | None = None) -> None:
    """Connect and serve until cancelled (``python -m bot socket``)."""
    if not settings.slack_bot_token or not settings.slack_app_token:
        raise ConfigError("SLACK_BOT_TOKEN and SLACK_APP_TOKEN are required for Socket Mode")
    async with running_app(settings, diagnoser, socket_mode=True) as bolt_app:
        handler = socket_handler(bolt_app, settings)
        freeze_startup_objects()
        log.info("connecting to Slack in Socket Mode")
        try:
            await handler.start_async()
        finally:
            await handler.close_async()
