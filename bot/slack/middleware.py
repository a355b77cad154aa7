"""Global middleware: drop redelivered events before any listener sees them.

Nothing here calls Slack or does a lookup: everything before the listener's ``ack()`` is on the
clock (3 seconds). The user's language is looked up after the ack (bot.slack.language).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt import BoltResponse

from bot.slack.dedupe import SeenKeys

log = logging.getLogger(__name__)

Next = Callable[[], Awaitable[None]]


def drop_redelivered_events(seen: SeenKeys):
    """Slack keeps the ``event_id`` across retries: the second delivery (to this instance or to
    another sharing the state store, before or after a restart) is acknowledged, not handled."""

    async def middleware(body: dict, next: Next):
        event_id = body.get("event_id")
        if (body.get("type") == "event_callback" and isinstance(event_id, str)
                and not await seen.first_time(("event", event_id))):
            log.info("event %s already handled: acknowledged, not handled again", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    return middleware
