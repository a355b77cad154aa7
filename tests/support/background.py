"""An HTTP server of the test support, run on a daemon thread: ``with Server() as server: ...``."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
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
