from slack_bolt.async_app import AsyncApp

from bot.render.blocks import LOOKUP_ACTION, RECHECK_ACTION, STOP_WATCH_ACTION, WATCH_ACTION
from bot.slack.deps import Deps
from bot.slack.listeners.actions import recheck, watch
from bot.slack.listeners.actions.lookup import open_lookup


def register(app: AsyncApp, deps: Deps) -> None:
    app.action(RECHECK_ACTION)(recheck.listener(deps))
    app.action(LOOKUP_ACTION)(open_lookup)
    app.action(WATCH_ACTION)(watch.watch_listener(deps))
    app.action(STOP_WATCH_ACTION)(watch.stop_listener(deps))
