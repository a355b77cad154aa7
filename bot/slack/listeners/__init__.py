"""One folder per kind of Slack input; each folder's ``register(app)`` wires its listeners."""

from slack_bolt.async_app import AsyncApp

from bot.slack.listeners import actions, commands, events, shortcuts


def register_listeners(app: AsyncApp) -> None:
    commands.register(app)
    events.register(app)
    shortcuts.register(app)
    actions.register(app)
