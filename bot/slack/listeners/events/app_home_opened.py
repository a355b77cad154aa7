"""The bot's App Home tab: how to use it, in the user's language, published each time it is opened."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.render.blocks import home_view
from bot.slack import replies
from bot.slack.deps import Deps, Listener


def listener(deps: Deps) -> Listener:
    async def app_home_opened(event: dict, client: AsyncWebClient) -> None:
        user_id = event.get("user")
        if event.get("tab") != "home" or not isinstance(user_id, str):
            return
        with deps.in_flight.track():
            await publish(deps, client, user_id=user_id)

    return app_home_opened


async def publish(deps: Deps, client: AsyncWebClient, *, user_id: str) -> None:
    try:
        lang = await deps.locales.lang_for(client, user_id)
        await client.views_publish(user_id=user_id, view=home_view(lang))
    except Exception:
        replies.log_failure("App Home", user=user_id)
