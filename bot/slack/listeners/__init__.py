"""One folder per kind of Slack input, one file per listener holding its flow (ack, work, reply).
Each folder's ``register(app, deps)`` wires its listeners; they reach what they share (the
diagnoser, the users' languages, the reply dedupe, the in-flight tracker) through ``deps``."""

from slack_bolt.async_app import AsyncApp

from bot.slack.deps import Deps
from bot.slack.listeners import actions, commands, events, shortcuts


def register_listeners(app: AsyncApp, deps: Deps) -> None:
    commands.register(app, deps)
    events.register(app, deps)
    shortcuts.register(app, deps)
    actions.register(app, deps)
