from slack_bolt.async_app import AsyncApp

from bot.slack.listeners.shortcuts.diagnose_bounce import diagnose_bounce

CALLBACK_ID = "diagnose_bounce"  # also in manifest.yml


def register(app: AsyncApp) -> None:
    app.message_shortcut(CALLBACK_ID)(diagnose_bounce)
