"""Slack's Socket Mode end on loopback: a websocket server (aiohttp) that says ``hello``, pushes
envelopes when told to, and collects the app's acknowledgements by envelope id.

The fake Web API answers ``apps.connections.open`` with this server's ``ws://`` URL. Clients may
go away without a close frame (slack_sdk's aiohttp client does): that ends the connection
quietly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from aiohttp import WSMsgType, web


class FakeSocketMode:
    def __init__(self):
        self.acks: dict[str, dict] = {}
        self.connections = 0
        self._socket: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._acked = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> FakeSocketMode:
        app = web.Application()
        app.add_routes([web.get("/link", self._link)])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"ws://127.0.0.1:{self._runner.addresses[0][1]}/link"
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._socket = socket
        self.connections += 1
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                          "connection_info": {"app_id": "A_APP"},
                                          "debug_info": {"host": "fake-socket-mode"}}))
        self._connected.set()
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    continue
                ack = json.loads(message.data)
                if "envelope_id" in ack:
                    async with self._acked:
                        self.acks[ack["envelope_id"]] = ack
                        self._acked.notify_all()
        return socket

    async def push(self, envelope_type: str, payload: dict, *, envelope_id: str,
                   accepts_response_payload: bool = False) -> None:
        await asyncio.wait_for(self._connected.wait(), 5)
        assert self._socket is not None
        await self._socket.send_str(json.dumps({"envelope_id": envelope_id, "type": envelope_type,
                                                "accepts_response_payload": accepts_response_payload,
                                                "retry_attempt": 0, "retry_reason": "", "payload": payload}))

    async def ack_for(self, envelope_id: str, timeout: float = 5.0) -> dict:
        async with self._acked:
            await asyncio.wait_for(self._acked.wait_for(lambda: envelope_id in self.acks), timeout)
            return self.acks[envelope_id]
