"""Socket Mode offline: apps.connections.open (fake Web API) -> ws:// on loopback -> hello ->
a slash command and an event pushed as envelopes -> acks collected, answers posted."""

from __future__ import annotations

import asyncio
import contextlib
import time

from bot.slack.socket import run_socket
from loopback.fake_slack import BOT_USER_ID, TEAM_ID
from loopback.fake_socket_mode import FakeSocketMode
from tests.support.slack_harness import APP_TOKEN, CHANNEL, drain, wait_calls

BOUNCE = "550 5.7.1 Service unavailable; Client host [45.61.150.7] blocked using zen.spamhaus.org"


async def test_socket_mode_acks_envelopes_and_answers_through_the_web_api(settings, diagnoser, fake_slack):
    server = await FakeSocketMode().start()
    fake_slack.socket_url = server.url
    running = asyncio.create_task(run_socket(settings, diagnoser=diagnoser))  # what `python -m bot socket` runs
    try:
        (opened,) = await wait_calls(fake_slack, "apps.connections.open")
        assert opened.token == APP_TOKEN

        command = {"token": "legacy", "team_id": TEAM_ID, "channel_id": CHANNEL, "user_id": "U_EN",
                   "command": "/spamhaus", "text": "45.61.150.7", "api_app_id": "A_APP",
                   "response_url": fake_slack.response_url("socket"), "trigger_id": "1.2.3"}
        await server.push("slash_commands", command, envelope_id="env-command", accepts_response_payload=True)
        assert await server.ack_for("env-command") == {"envelope_id": "env-command"}
        summary, details = await wait_calls(fake_slack, "chat.postMessage", 2)
        assert details.params["thread_ts"] == summary.response["ts"]

        ts = f"{time.time():.6f}"
        event = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A_APP", "type": "event_callback",
                 "event_id": "EvSOCKET1", "event_time": int(time.time()),
                 "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
                 "event": {"type": "message", "channel": CHANNEL, "user": "U_EN", "text": BOUNCE, "ts": ts,
                           "channel_type": "channel"}}
        await server.push("events_api", event, envelope_id="env-event")
        assert (await server.ack_for("env-event"))["envelope_id"] == "env-event"
        (update,) = await wait_calls(fake_slack, "chat.update")
        placeholder = fake_slack.calls_to("chat.postMessage")[2]
        assert placeholder.params["thread_ts"] == ts and update.params["ts"] == placeholder.response["ts"]
        assert not running.done()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await server.stop()
        await drain(timeout=3)
