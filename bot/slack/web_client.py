"""The Web API client every Slack call goes through: patient with Slack's bad moments, and the
last place a secret could leave the process.

* Retries: a dropped connection, HTTP 429 (after Retry-After) and Slack's own server errors (500,
  502, 503, 504, with exponential backoff and jitter) are retried by slack_sdk's retry handlers;
  anything else is Slack's answer and is not.
* Secrets: the operator's tokens, signing secret and DQS key are replaced in every string the bot
  sends, whatever put them there (a pasted bounce that the operator's own MTA wrote with its DQS
  zone in it, say). The one field meant to carry a token (``token``, as ``apps.connections.open``
  sends the app token) is left alone.
* Failures are counted for ``/metrics`` by method and Slack's error word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.slack.metrics import Metrics

REDACTED = "[redacted]"
SERVER_ERRORS = frozenset({500, 502, 503, 504})


class ServerErrorRetryHandler(AsyncRetryHandler):
    """slack_sdk's own handler retries 500 and 503 only; a gateway's 502 and 504 are as transient."""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS


def retry_handlers() -> list[AsyncRetryHandler]:
    """429 twice (Retry-After); connection and server errors three times (0.5, 1, 2 s and jitter). The
    handlers share one count of attempts: a call is tried at most four times whatever went wrong."""
    return [AsyncConnectionErrorRetryHandler(max_retry_count=3), AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=3)]


class Redactor:
    """Replaces each secret (case-insensitively: DNS names are) in strings, dicts and lists."""

    def __init__(self, secrets: Iterable[str]):
        kept = sorted({secret for secret in secrets if secret and len(secret) >= 4}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, kept)), re.IGNORECASE) if kept else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def text(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text) if self._pattern else text

    def value(self, value: Any, *, keep_token: bool = False) -> Any:
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: item if keep_token and key == "token" else self.value(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(item) for item in value]
        return value


class GuardedWebClient(AsyncWebClient):
    """``AsyncWebClient`` whose every call is redacted, retried as above and counted when it fails."""

    def __init__(self, *, redactor: Redactor, metrics: Metrics | None = None, **kwargs: Any):
        super().__init__(retry_handlers=retry_handlers(), **kwargs)
        self.redactor = redactor
        self.metrics = metrics

    async def api_call(self, api_method: str, *, http_verb: str = "POST", files: dict | None = None,
                       data: Any = None, params: dict | None = None, json: dict | None = None,
                       headers: dict | None = None, auth: dict | None = None) -> AsyncSlackResponse:
        redact = self.redactor.value
        try:
            return await super().api_call(api_method, http_verb=http_verb, files=files,
                                          data=redact(data, keep_token=True) if isinstance(data, dict) else data,
                                          params=redact(params, keep_token=True), json=redact(json, keep_token=True),
                                          headers=headers, auth=auth)
        except SlackApiError as error:
            self._count(api_method, _error_word(error))
            raise
        except (aiohttp.ClientError, TimeoutError):
            self._count(api_method, "connection")
            raise

    def _count(self, method: str, error: str) -> None:
        if self.metrics is not None:
            self.metrics.slack_errors.labels(method, error).inc()


def _error_word(error: SlackApiError) -> str:
    try:
        word = str(error.response.get("error", "") or "")
    except Exception:
        word = ""
    return word if re.fullmatch(r"[a-z_]{1,40}", word) else f"http_{getattr(error.response, 'status_code', 0)}"
