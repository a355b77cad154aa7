from slack_bolt.async_app import AsyncApp

from bot.slack.listeners.commands.spamhaus import spamhaus_command

COMMAND = "/spamhaus"  # also in manifest.yml


def register(app: AsyncApp) -> None:
    app.command(COMMAND)(spamhaus_command)
