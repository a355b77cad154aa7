from slack_bolt.async_app import AsyncApp

from bot.slack.incoming import PERSON_SUBTYPES
from bot.slack.listeners.events.app_home_opened import app_home_opened
from bot.slack.listeners.events.app_mention import app_mention
from bot.slack.listeners.events.message import ignore_message, message


def register(app: AsyncApp) -> None:
    app.event("app_mention")(app_mention)
    app.event({"type": "message", "subtype": PERSON_SUBTYPES})(message)
    # Edits, deletions, joins, bot posts ...: acknowledged and ignored. Without a listener Bolt
    # answers 404, which Slack counts as a failure and retries.
    app.event("message")(ignore_message)
    app.event("app_home_opened")(app_home_opened)
