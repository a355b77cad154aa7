"""A stand-in for Slack on the sending side: signed requests as Slack sends them, to the app served
on loopback (in-process or the real ``python -m bot serve``), and waiting for the calls it makes
to the fake Web API. Used by the tests and by the benchmarks."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from loopback.fake_slack import BOT_USER_ID, TEAM_ID, Call, FakeSlack

SIGNING_SECRET = "test-signing-secret-5f0c6a1e9b"
BOT_TOKEN = "xoxb-1111-2222-testbottokensecret"
APP_TOKEN = "xapp-1-A111-333-testapptokensecret"
CHANNEL = "C_OPS"



def escape(text: str) -> str:
    """Slack's escaping of incoming text: ``&``, ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Reply:
    status: int
    body: str
    headers: dict
    elapsed: float

    def json(self) -> dict:
        """The ack's message: Bolt sends a JSON body, or bare text for ``ack(text=...)`` alone."""
        return json.loads(self.body) if self.body.startswith("{") else {"text": self.body}


@dataclass
class SlackSender:
    """Sends what Slack would send, signed with the signing secret."""

    url: str
    session: aiohttp.ClientSession
    fake: FakeSlack
    secret: str = SIGNING_SECRET
    _ts: int = field(default=0)

    def sign(self, body: str, timestamp: int | None = None) -> dict[str, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = SignatureVerifier(self.secret).generate_signature(timestamp=str(timestamp), body=body)
        return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}

    async def post(self, body: str, content_type: str, *, headers: dict | None = None,
                   timestamp: int | None = None) -> Reply:
        all_headers = {"Content-Type": content_type, **self.sign(body, timestamp), **(headers or {})}
        started = time.perf_counter()
        async with self.session.post(f"{self.url}/slack/events", data=body.encode("utf-8"),
                                     headers=all_headers) as response:
            text = await response.text()
            return Reply(response.status, text, dict(response.headers), time.perf_counter() - started)

    async def command(self, text: str, *, user: str = "U_EN", channel: str = CHANNEL, **kwargs) -> Reply:
        form = {"token": "legacy", "team_id": TEAM_ID, "team_domain": "test", "channel_id": channel,
                "channel_name": "ops", "user_id": user, "user_name": user.lower(), "command": "/spamhaus",
                "text": escape(text), "api_app_id": "A_APP", "response_url": self.fake.response_url(f"cmd-{user}"),
                "trigger_id": "1.2.3"}
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    def new_ts(self) -> str:
        self._ts += 1
        return f"1699999999.{self._ts:06d}"

    async def event(self, event: dict, *, event_id: str | None = None, **kwargs) -> Reply:
        body = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A_APP", "event": event,
                "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}
        return await self.post(json.dumps(body), "application/json", **kwargs)

    def message_event(self, text: str, *, user: str = "U_EN", channel: str = CHANNEL, ts: str | None = None,
                      kind: str = "message", **extra) -> dict:
        """An event as Slack delivers it: text escaped (``&lt;`` ...), ``ts`` unique."""
        ts = ts or self.new_ts()
        event = {"type": kind, "channel": channel, "user": user, "text": escape(text), "ts": ts, "event_ts": ts,
                 "channel_type": "channel", **extra}
        if kind == "app_mention":
            event.pop("channel_type")
        return event

    async def interaction(self, payload: dict, **kwargs) -> Reply:
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded",
                               **kwargs)

    async def click(self, message: Call, action_id: str, *, user: str = "U_EN", value: str | None = None) -> Reply:
        """Click a button of a message the bot posted (or updated): ``message`` is that call.
        ``value`` stands in for the button's own (a message from an older version of the bot)."""
        blocks = message.params["blocks"]
        button = next(element for block in blocks if block["type"] == "actions"
                      for element in block["elements"] if element["action_id"] == action_id)
        channel, ts = message.params["channel"], message.ts
        # A reply in a thread carries its thread_ts, as Slack's payload does (chat.update names none).
        posted = next((call for call in self.fake.calls_to("chat.postMessage") if call.ts == ts), message)
        thread = {"thread_ts": posted.params["thread_ts"]} if posted.params.get("thread_ts") else {}
        payload = {"type": "block_actions", "user": {"id": user}, "api_app_id": "A_APP", "token": "legacy",
                   "team": {"id": TEAM_ID}, "trigger_id": "1.2.3",
                   "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
                   "channel": {"id": channel, "name": "ops"},
                   "message": {"ts": ts, "text": message.params["text"], **thread},
                   "response_url": self.fake.response_url("action"),
                   "actions": [{"action_id": action_id, "block_id": "actions", "type": "button",
                                "value": button.get("value", "") if value is None else value,
                                "action_ts": str(time.time())}]}
        return await self.interaction(payload)

    async def shortcut(self, text: str = "", *, user: str = "U_EN", channel: str = CHANNEL, ts: str | None = None,
                       message: dict | None = None) -> Reply:
        """The message shortcut on a message of ``text`` by someone else, or on ``message`` as given
        (a forwarded message, a mail the Email app posted)."""
        ts = (message or {}).get("ts") or ts or self.new_ts()
        message = {"type": "message", "user": "U_OTHER", "text": escape(text), "ts": ts, **(message or {})}
        payload = {"type": "message_action", "callback_id": "diagnose_bounce", "trigger_id": "1.2.3",
                   "message_ts": ts, "response_url": self.fake.response_url("shortcut"), "token": "legacy",
                   "team": {"id": TEAM_ID}, "channel": {"id": channel, "name": "ops"}, "user": {"id": user},
                   "message": message}
        return await self.interaction(payload)


async def wait_calls(fake: FakeSlack, method: str, count: int = 1, *, timeout: float = 8.0,
                     where: Callable[[Call], bool] = lambda call: True) -> list[Call]:
    """Like ``FakeSlack.wait_for`` but without blocking the event loop the app runs on."""
    deadline = time.monotonic() + timeout
    while True:
        found = [call for call in fake.calls_to(method) if where(call)]
        if len(found) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} call(s) to {method}, got {len(found)}: {fake.methods()}")
        await asyncio.sleep(0.01)


async def settle(seconds: float = 0.3) -> None:
    """Give background listeners time to do something they should not do."""
    await asyncio.sleep(seconds)
