"""An HTTP server of the test support, run on a daemon thread: ``with Server() as server: ...``."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class InBackground:
    """Give a class with ``self._server`` (a ``ThreadingHTTPServer``) start/stop and ``with``."""

    _server: ThreadingHTTPServer
    _thread_name = "loopback-http"

    def start(self) -> Self:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name=self._thread_name, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers with one body."""

    protocol_version = "HTTP/1.1"

    def send_body(self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        with contextlib.suppress(ConnectionError, OSError):  # the client may have given up
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

    def log_message(self, format, *args):  # quiet
        pass
