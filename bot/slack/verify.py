"""Slack's request signature, checked on the raw bytes before anything else reads them.

Bolt checks the signature too, but only after its adapter has decoded and parsed the body, and
slack_sdk's verifier calls ``int()`` on the timestamp header unguarded: an unsigned ``{x`` or a
timestamp of ``abc`` became an HTTP 500 with a traceback in the log, for anyone on the internet.
Here the order is: timestamp shape and age, then the HMAC of ``v0:{timestamp}:{raw body}``, then
the body as UTF-8 and as the one JSON object (or form) Bolt expects. Anything else is refused with
a status and a short reason word; ``RefusalLog`` turns a flood of refusals into a log line now
and then.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

MAX_AGE = 300  # seconds either way: Slack's replay window
_MAX_TIMESTAMP_CHARS = 12


@dataclass(frozen=True)
class Refusal:
    status: int  # 400 malformed, 401 not signed by Slack
    reason: str  # a word for the log and the metrics, never the request's own text


def check_signature(headers: Mapping[str, str], body: bytes, secret: str, *,
                    now: Callable[[], float] = time.time) -> Refusal | None:
    """None when Slack signed ``body`` within the last five minutes."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not timestamp or not signature:
        return Refusal(401, "unsigned")
    if len(timestamp) > _MAX_TIMESTAMP_CHARS or not timestamp.isascii() or not timestamp.isdigit():
        return Refusal(400, "bad_timestamp")
    if abs(now() - int(timestamp)) > MAX_AGE:
        return Refusal(401, "stale_timestamp")
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return Refusal(401, "bad_signature")
    return None


def read_body(body: bytes, content_type: str) -> tuple[str, Refusal | None]:
    """The body as text, and whether Bolt can read it: a JSON object, or a form whose ``payload``
    (interactions) is one. Bolt would raise on anything else (``[]``, ``null``, ``payload=%7Bbad``)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "", Refusal(400, "not_utf8")
    if text and payload_of(text, content_type) is None:
        return text, Refusal(400, "malformed_body")
    return text, None


def payload_of(text: str, content_type: str) -> dict[str, Any] | None:
    """What Bolt's ``parse_body`` makes of ``text``, or None when that is not a dict (or fails)."""
    try:
        if content_type == "application/json" or text.startswith("{"):
            parsed: Any = json.loads(text)
        else:
            params = dict(parse_qsl(text, keep_blank_values=True))
            parsed = json.loads(params["payload"]) if "payload" in text and "payload" in params else params
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


class RefusalLog:
    """One WARNING line per refused request at most every ``interval`` seconds; the refusals in
    between are counted into the next line. A flood of garbage costs a line every few seconds."""

    def __init__(self, logger: logging.Logger, interval: float = 10.0, clock: Callable[[], float] = time.monotonic):
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self._last = float("-inf")
        self._quiet: Counter[str] = Counter()

    def refused(self, refusal: Refusal) -> None:
        now = self.clock()
        if now - self._last < self.interval:
            self._quiet[refusal.reason] += 1
            return
        self._last = now
        also = ", ".join(f"{count} {reason}" for reason, count in sorted(self._quiet.items()))
        self._quiet.clear()
        self.logger.warning("refused a request to /slack/events: HTTP %d %s%s", refusal.status, refusal.reason,
                            f" (and since the last such line: {also})" if also else "")
