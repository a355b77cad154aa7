"""The Bolt app: one AsyncApp for HTTP mode and Socket Mode alike."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.slack.deps import BounceDiagnoser, Deps
from bot.slack.listeners import register_listeners
from bot.slack.metrics import Metrics
from bot.slack.middleware import drop_redelivered_events
from bot.slack.web_client import GuardedWebClient, Redactor
from bot.state.base import StateStore

log = logging.getLogger(__name__)
bolt_log = logging.getLogger("bot.slack.bolt")


class _ClientCarriesTheToken(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and then warns that it is unused
    because a client was given. Our client carries that very token: the warning only misleads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


bolt_log.addFilter(_ClientCarriesTheToken())


def make_client(settings: Settings, *, session: aiohttp.ClientSession | None = None,
                metrics: Metrics | None = None) -> AsyncWebClient:
    """A Web API client for ``SLACK_API_URL`` that retries what is worth retrying and never sends a
    secret (bot/slack/web_client.py). With ``session``, calls reuse its connections (keep-alive, one
    TLS handshake); without, slack_sdk opens a connection per call."""
    return GuardedWebClient(
        redactor=Redactor(settings.secrets),
        metrics=metrics,
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        session=session,
        logger=logging.getLogger("bot.slack.web"),
    )


def deps_for(settings: Settings, diagnoser: BounceDiagnoser, store: StateStore | None = None) -> Deps:
    """What the listeners share, with the limits, secrets and watch schedule ``settings`` name, and
    the state store (None: everything in this process's memory, watches unavailable)."""
    return Deps.create(diagnoser, default_lang=settings.default_lang, per_user=settings.user_checks_per_minute,
                       per_channel=settings.channel_checks_per_minute, max_in_flight=settings.max_checks_in_flight,
                       secrets=settings.secrets, file_max_bytes=settings.file_max_bytes, store=store,
                       watch_schedule=settings.watch_schedule, watch_days=settings.watch_days,
                       dqs=bool(settings.spamhaus_dqs_key))


def build_app(settings: Settings, diagnoser: BounceDiagnoser, *, client: AsyncWebClient | None = None,
              socket_mode: bool = False, deps: Deps | None = None) -> AsyncApp:
    """``diagnoser`` is a ``bot.diagnosis.diagnose.Diagnoser`` (or anything with what
    ``BounceDiagnoser`` names). ``deps``, when given, is what the listeners share (``running_app``
    keeps it to wait for answers in progress on shutdown); by default it is built around
    ``diagnoser``. In Socket Mode there is no signing secret to check."""
    deps = deps or deps_for(settings, diagnoser)
    app = AsyncApp(
        client=client or make_client(settings, metrics=deps.metrics),  # carries the bot token
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=not socket_mode,
        # Answer Slack first, work after: lookups run after ack() (Bolt's default, spelled out).
        process_before_response=False,
        logger=bolt_log,
    )
    app.use(drop_redelivered_events(deps.replies))
    register_listeners(app, deps)
    return app
