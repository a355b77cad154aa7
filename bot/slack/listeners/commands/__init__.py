from slack_bolt.async_app import AsyncApp

from bot.slack.deps import Deps
from bot.slack.listeners.commands import spamhaus

COMMAND = "/spamhaus"  # also in manifest.yml


def register(app: AsyncApp, deps: Deps) -> None:
    app.command(COMMAND)(spamhaus.listener(deps))
