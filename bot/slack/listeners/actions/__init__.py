from slack_bolt.async_app import AsyncApp

from bot.render.blocks import LOOKUP_ACTION, RECHECK_ACTION
from bot.slack.listeners.actions.lookup import open_lookup
from bot.slack.listeners.actions.recheck import recheck


def register(app: AsyncApp) -> None:
    app.action(RECHECK_ACTION)(recheck)
    app.action(LOOKUP_ACTION)(open_lookup)
