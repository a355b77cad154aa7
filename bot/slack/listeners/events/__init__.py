from slack_bolt.async_app import AsyncApp

from bot.slack.deps import Deps
from bot.slack.incoming import PERSON_SUBTYPES
from bot.slack.listeners.events import app_home_opened, app_mention, message


def register(app: AsyncApp, deps: Deps) -> None:
    app.event("app_mention")(app_mention.listener(deps))
    app.event({"type": "message", "subtype": PERSON_SUBTYPES})(message.listener(deps))
    # Edits, deletions, joins, bot posts ...: acknowledged and ignored. Without a listener Bolt
    # answers 404, which Slack counts as a failure and retries.
    app.event("message")(message.ignore_message)
    app.event("app_home_opened")(app_home_opened.listener(deps))
