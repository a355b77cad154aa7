"""A fake Slack Web API on loopback: a real HTTP/1.1 keep-alive server that records every call.

Point the app at it with ``Settings(slack_api_url=fake.api_url)``. It answers the methods the bot
uses (auth.test first of all: Bolt calls it on the first request), accepts ``response_url`` POSTs
at ``fake.response_url(...)``, and can be told to answer HTTP 429 with Retry-After once, to fail a
method with a Slack error, to answer a server error (HTTP 5xx) or drop the connection a number of
times, or to refuse posting in a channel (``not_in_channel``). It hosts files the way Slack does
(``host_file``): a download with the right bot token gets the bytes, one without gets Slack's HTML
sign-in page with status 200; ``files.info`` answers the file object.

    with FakeSlack() as slack:
        slack.locales["U_TW"] = "zh-TW"
        slack.rate_limit_once("chat.postMessage", retry_after=1)
        ...
        posts = slack.wait_for("chat.postMessage", count=2)
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

from loopback.background import InBackground, QuietHandler

BOT_USER_ID = "U_BOT"
BOT_ID = "B_BOT"
TEAM_ID = "T_TEST"
DROP = 0  # a queued "status" that closes the connection without answering


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", ... or "response_url"
    params: dict  # query, form and JSON body merged
    token: str | None  # from the Authorization header
    path: str
    response: dict | None = None  # what the fake answered (None for response_url)
    status: int = 200  # the HTTP status answered (DROP: none, the connection was closed)
    at: float = field(default_factory=time.monotonic)

    @property
    def ts(self) -> str | None:
        """The message this call created or changed."""
        return self.params.get("ts") or (self.response or {}).get("ts")


class FakeSlack(InBackground):
    _thread_name = "fake-slack"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.calls: list[Call] = []
        self.locales: dict[str, str] = {}  # user id -> Slack locale; others answer "en-US"
        self.failing_users: set[str] = set()  # users.info answers user_not_found
        self.not_in_channel: set[str] = set()  # chat.postMessage answers not_in_channel
        self.socket_url: str | None = None  # what apps.connections.open returns
        self.delays: dict[str, float] = {}  # method -> seconds before answering
        self.files: dict[str, dict] = {}  # file id -> the file object files.info answers
        self.file_token: str | None = None  # the token downloads need (None: any token)
        self._downloads: dict[str, tuple[bytes, str]] = {}  # path -> (bytes, content type)
        self._redirects: dict[str, str] = {}  # path -> Location answered with a 302
        # method -> queued (status, headers, body)
        self._once: dict[str, list[tuple[int, dict, dict | str | None]]] = {}
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._server = _Server((host, port), _handler_for(self))
        self.host, self.port = self._server.server_address[:2]

    # --- addresses -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"  # must end with "/": slack_sdk joins method names onto it

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.url}/response/{name}"

    # --- programming -----------------------------------------------------------------------------
    def rate_limit_once(self, method: str, retry_after: int = 1) -> None:
        self._queue(method, 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"})

    def fail_once(self, method: str, error: str = "internal_error") -> None:
        self._queue(method, 200, {}, {"ok": False, "error": error})

    def refuse_response_url_once(self, status: int = 404, error: str = "expired_url") -> None:
        """The next ``response_url`` POST is refused the way Slack refuses one: a status and a bare word."""
        self._queue("response_url", status, {}, error)

    def server_error(self, method: str, times: int = 1, status: int = 500) -> None:
        """The next ``times`` calls to ``method`` get HTTP ``status`` with an HTML body, as a load
        balancer in front of Slack answers when Slack is having a bad moment."""
        for _ in range(times):
            self._queue(method, status, {}, f"<html><body><h1>{status} Server Error</h1></body></html>")

    def drop_connection(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls to ``method`` get no answer at all: the connection is closed."""
        for _ in range(times):
            self._queue(method, DROP, {}, None)

    def host_file(self, file_id: str, name: str, body: bytes, *, mimetype: str = "text/plain",
                  filetype: str = "text", **fields) -> dict:
        """Serve ``body`` as Slack serves an uploaded file; returns the file object an event carries."""
        path = f"/files-pri/{TEAM_ID}-{file_id}/download/{quote(name.lower().replace(' ', '_'))}"
        payload = {"id": file_id, "created": 1_700_000_000, "name": name, "title": name, "mimetype": mimetype,
                   "filetype": filetype, "pretty_type": filetype.title(), "user": "U_EN", "mode": "hosted",
                   "editable": False, "is_external": False, "external_type": "", "size": len(body),
                   "url_private": self.url + path.replace("/download/", "/"),
                   "url_private_download": self.url + path, "file_access": "visible", **fields}
        with self._changed:
            self.files[file_id] = payload
            self._downloads[path] = (body, mimetype)
        return payload

    def redirect_file(self, payload: dict, location: str) -> None:
        """The download of ``payload`` answers 302 to ``location`` (another host, say)."""
        with self._changed:
            self._redirects[urlsplit(payload["url_private_download"]).path] = location

    def _download(self, path: str, token: str | None) -> tuple[int, dict, bytes, str]:
        with self._changed:
            self.calls.append(Call("file.download", {"path": path}, token, path))
            self._changed.notify_all()
            if path in self._redirects:
                return 302, {"Location": self._redirects[path]}, b"", "text/plain"
            found = self._downloads.get(path)
        if found is None:
            return 404, {}, b"file not found", "text/plain"
        if self.file_token is not None and token != self.file_token:
            return 200, {}, _SIGN_IN_PAGE, "text/html"
        return 200, {}, found[0], found[1]

    def _queue(self, method: str, status: int, headers: dict, body: dict | str | None) -> None:
        with self._changed:
            self._once.setdefault(method, []).append((status, headers, body))

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self._once.clear()
        self.locales.clear()
        self.failing_users.clear()
        self.not_in_channel.clear()
        self.delays.clear()
        with self._changed:
            self.files.clear()
            self._downloads.clear()
            self._redirects.clear()
        self.file_token = None

    # --- inspection ------------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def methods(self) -> list[str]:
        with self._changed:
            return [call.method for call in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0,
                 where: Callable[[Call], bool] = lambda call: True) -> list[Call]:
        """The calls to ``method`` once there are ``count`` of them (AssertionError after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if c.method == method and where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} call(s) to {method}, got {len(found)}: "
                                         f"{[c.method for c in self.calls]}")
                self._changed.wait(remaining)

    def everything_sent(self) -> str:
        """Every parameter of every recorded call as one JSON string, for "never appears" checks."""
        with self._changed:
            return json.dumps([call.params for call in self.calls], ensure_ascii=False)

    # --- answering -------------------------------------------------------------------------------
    def _record(self, method: str, params: dict, token: str | None, path: str) -> tuple[int, dict, dict | str | None]:
        with self._changed:
            queued = self._once.get(method)
            if queued:
                status, headers, body = queued.pop(0)
            elif method == "response_url":
                status, headers, body = 200, {}, None
            else:
                status, headers, body = 200, {}, self._answer(method, params)
            self.calls.append(Call(method, params, token, path, body if isinstance(body, dict) else None, status))
            self._changed.notify_all()
        return status, headers, body

    def _answer(self, method: str, params: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.test/", "team": "Test", "user": "bounce-doctor",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "chat.postMessage":
            channel = params.get("channel", "")
            if channel in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            ts = self._next_ts()
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"text": params.get("text", ""), "ts": ts, "user": BOT_USER_ID, "bot_id": BOT_ID}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "users.info":
            user = params.get("user", "")
            if user in self.failing_users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "name": user.lower(), "locale": self.locales.get(user, "en-US")}}
        if method == "conversations.info":
            return {"ok": True, "channel": {"id": params.get("channel"), "is_member": True, "locale": "en-US"}}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V_HOME", **(params.get("view") or {})}}
        if method == "files.info":
            found = self.files.get(params.get("file", ""))
            return {"ok": True, "file": found} if found else {"ok": False, "error": "file_not_found"}
        if method == "apps.connections.open":
            if not self.socket_url:
                return {"ok": False, "error": "socket_mode_not_configured_in_fake"}
            return {"ok": True, "url": self.socket_url}
        return {"ok": False, "error": "unknown_method"}

    def _next_ts(self) -> str:
        n = next(self._ts)
        return f"{1_700_000_000 + n}.{n:06d}"

_SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in</body></html>"


class _Server(ThreadingHTTPServer):
    # The default listen backlog (5) drops bursts of new connections (slack_sdk opens one per call),
    # which shows up as a 1 s SYN retransmit in every latency measured through the fake.
    request_queue_size = 256
    daemon_threads = True


def _handler_for(fake: FakeSlack):
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Slack's API speaks

        def do_GET(self):
            self._handle()

        def do_POST(self):
            self._handle()

        def _handle(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            params: dict = dict(parse_qsl(parts.query))
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if raw and content_type == "application/json":
                params.update(json.loads(raw.decode("utf-8")))
            elif raw:
                params.update(parse_qsl(raw.decode("utf-8")))
            authorization = self.headers.get("Authorization") or ""
            token = authorization.removeprefix("Bearer ") or params.pop("token", None)
            if parts.path.startswith("/files-pri/") and self.command == "GET":
                status, headers, body, content_type = fake._download(parts.path, token or None)
                self.send_body(status, body, content_type, headers)
                return
            if parts.path.startswith("/api/"):
                method = parts.path.removeprefix("/api/")
            elif parts.path.startswith("/response/"):
                method = "response_url"
            else:
                self._send(404, {}, {"ok": False, "error": "not_found"})
                return
            delay = fake.delays.get(method)
            if delay:
                time.sleep(delay)
            if method == "response_url":
                params["_response_name"] = parts.path.removeprefix("/response/")
            status, headers, body = fake._record(method, params, token or None, parts.path)
            if status == DROP:
                self.close_connection = True
                return
            self._send(status, headers, body)

        def _send(self, status: int, headers: dict, body: dict | str | None) -> None:
            if isinstance(body, str) and body.startswith("<html>"):
                self.send_body(status, body.encode("utf-8"), "text/html", headers)
            elif body is None or isinstance(body, str):
                self.send_body(status, (body or "ok").encode("utf-8"), "text/plain", headers)
            else:
                self.send_body(status, json.dumps(body).encode("utf-8"), "application/json; charset=utf-8", headers)

    return Handler
