"""Answers through a ``response_url`` (slash commands, shortcuts, buttons): checked, and patient with 429.

Bolt's ``respond()`` hands back Slack's answer without looking at it, and its webhook client has no
rate-limit handler: an expired or spent URL (404 ``expired_url`` / ``used_url``), blocks Slack
refuses (400 ``invalid_blocks``) or an HTTP 429 all pass in silence, so the asker waits for an answer
that never comes and the log says nothing. This sender retries 429 (Retry-After) and server errors
like the Web API client does (bot/slack/web_client.py), keeps secrets out of what it sends, and
raises ``ResponseUrlError`` on any other refusal so the caller's apology path runs.
The URL itself is never logged, not even at DEBUG: whoever holds it can post into the conversation
for 30 minutes.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.web_client import Redactor, retry_handlers

# slack_sdk's webhook client logs the URL it posts to at DEBUG: never, for this one.
_client_log = logging.getLogger(f"{__name__}.client")
_client_log.setLevel(logging.INFO)


class ResponseUrlError(Exception):
    """Slack did not accept a message sent to a ``response_url`` (or the payload had none)."""


class ResponseUrl:
    """Call it like Bolt's ``respond``: ``await respond(response_type="ephemeral", text=..., blocks=...)``."""

    def __init__(self, url: str | None, *, session: aiohttp.ClientSession | None = None,
                 redactor: Redactor | None = None):
        self.url = url
        self.session = session
        self.redactor = redactor or Redactor(())

    async def __call__(self, **message: Any) -> WebhookResponse:
        if not self.url:
            raise ResponseUrlError("this request carried no response_url")
        client = AsyncWebhookClient(
            self.url,
            session=self.session,
            retry_handlers=retry_handlers(),
            logger=_client_log,
        )
        body = {key: value for key, value in message.items() if value is not None}
        response = await client.send_dict(self.redactor.value(body))
        if response.status_code != 200:
            raise ResponseUrlError(f"response_url refused the message: HTTP {response.status_code} "
                                   f"{(response.body or '')[:100]!r}")
        return response
