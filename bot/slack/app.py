"""The Bolt app: one AsyncApp for HTTP mode and Socket Mode alike."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler, async_default_handlers
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.slack.dedupe import Deduper
from bot.slack.deps import BounceDiagnoser, Deps
from bot.slack.listeners import register_listeners
from bot.slack.middleware import drop_redelivered_events

log = logging.getLogger(__name__)
bolt_log = logging.getLogger("bot.slack.bolt")


class _ClientCarriesTheToken(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and then warns that it is unused
    because a client was given. Our client carries that very token: the warning only misleads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


bolt_log.addFilter(_ClientCarriesTheToken())


def make_client(settings: Settings, *, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """A Web API client for ``SLACK_API_URL`` that waits out HTTP 429 (Retry-After) up to twice.
    With ``session``, calls reuse its connections (keep-alive, one TLS handshake); without, slack_sdk
    opens a connection per call."""
    return AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=[*async_default_handlers(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        logger=logging.getLogger("bot.slack.web"),
    )


def build_app(settings: Settings, diagnoser: BounceDiagnoser, *, client: AsyncWebClient | None = None,
              socket_mode: bool = False, deps: Deps | None = None) -> AsyncApp:
    """``diagnoser`` is a ``bot.diagnosis.diagnose.Diagnoser`` (or anything with what
    ``BounceDiagnoser`` names). ``deps``, when given, is what the listeners share (``running_app``
    keeps it to wait for answers in progress on shutdown); by default it is built around
    ``diagnoser``. In Socket Mode there is no signing secret to check."""
    deps = deps or Deps.create(diagnoser, default_lang=settings.default_lang)
    app = AsyncApp(
        client=client or make_client(settings),  # carries the bot token
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=not socket_mode,
        # Answer Slack first, work after: lookups run after ack() (Bolt's default, spelled out).
        process_before_response=False,
        logger=bolt_log,
    )
    app.use(drop_redelivered_events(Deduper()))
    register_listeners(app, deps)
    return app
