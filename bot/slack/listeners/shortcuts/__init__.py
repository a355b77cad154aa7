from slack_bolt.async_app import AsyncApp

from bot.slack.deps import Deps
from bot.slack.listeners.shortcuts import diagnose_bounce

CALLBACK_ID = "diagnose_bounce"  # also in manifest.yml


def register(app: AsyncApp, deps: Deps) -> None:
    app.message_shortcut(CALLBACK_ID)(diagnose_bounce.listener(deps))
