"""The real ``python -m bot serve`` in a subprocess, started as the Procfile's ``web:`` line starts it
(or ``python -m bot socket``, the ``worker:`` line, with ``mode="socket"``).

Configuration goes through environment variables only: ``PORT`` (a free loopback port),
``SLACK_API_URL`` (the fake Slack), ``DNS_NAMESERVERS`` (the loopback DNS server), ``RDAP_RELAY``
(the recorded-RDAP server), plus any extras. ``PYTHONPATH`` puts the loopback-only network guard
in front (loopback/guard_site), so the child cannot reach past loopback either. Its stdout
and stderr go to a file, readable with ``log()``, so tests can check what it logged.

    with ServedBot(fake, dns, rdap, LOG_LEVEL="DEBUG") as bot:
        ...POST signed requests to f"{bot.url}/slack/events"...
        assert BOT_TOKEN not in bot.log()
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from loopback.dns_server import LoopbackDNS
from loopback.fake_slack import FakeSlack
from loopback.rdap_server import RecordedRDAP
from loopback.slack_sender import BOT_TOKEN, SIGNING_SECRET, SlackSender, wait_calls

ROOT = Path(__file__).resolve().parents[1]
GUARD = ROOT / "loopback" / "guard_site"
STARTUP_TIMEOUT = 15.0


class ServeError(RuntimeError):
    """The server process did not come up (its log is in the message)."""


def free_port() -> int:
    """A port nobody listens on right now: bind port 0 and let the kernel choose."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_environment(fake: FakeSlack, dns: LoopbackDNS, rdap: RecordedRDAP, port: int,
                      **extra: str) -> dict[str, str]:
    """The parent's environment without Slack or Spamhaus settings, plus what the test servers need."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "SPAMHAUS_"))}
    environment.update(
        PYTHONPATH=f"{GUARD}{os.pathsep}{ROOT}", PYTHONUNBUFFERED="1", PORT=str(port),
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.api_url,
        DNS_NAMESERVERS=f"127.0.0.1:{dns.port}", RDAP_RELAY=rdap.url,
        DNS_TIMEOUT="0.5", DIAGNOSIS_TIMEOUT="3", RDAP_TIMEOUT="2",
        # Tests send many checks from one user within a minute; the limits have tests of their own.
        USER_CHECKS_PER_MINUTE="1000", CHANNEL_CHECKS_PER_MINUTE="1000",
    )
    environment.update(extra)
    return environment


class ServedBot:
    """``python -m bot serve`` as a child process; a context manager that starts and stops it."""

    def __init__(self, fake: FakeSlack, dns: LoopbackDNS, rdap: RecordedRDAP, *, mode: str = "serve", **env: str):
        self.mode = mode
        self.port = free_port()
        self.environment = serve_environment(fake, dns, rdap, self.port, **env)
        self._workdir = Path(tempfile.mkdtemp(prefix="bot-serve-"))  # cwd: no stray .env is read
        self._log_path = self._workdir / "serve.log"
        self._final_log: str | None = None
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise ServeError("the server process was not started")
        return self._process.pid

    def log(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        if self._final_log is not None:
            return self._final_log
        try:
            return self._log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self, timeout: float = STARTUP_TIMEOUT) -> ServedBot:
        with open(self._log_path, "wb") as log_file:
            self._process = subprocess.Popen([sys.executable, "-m", "bot", self.mode], cwd=self._workdir,
                                             env=self.environment, stdin=subprocess.DEVNULL, stdout=log_file,
                                             stderr=subprocess.STDOUT)
        if self.mode != "serve":  # Socket Mode has no port: the caller waits for its connection
            return self
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            status = self._process.poll()
            if status is not None:
                raise ServeError(f"`python -m bot serve` exited with status {status} before answering "
                                 f"/healthz; its output:\n{self.log()}")
            if self._healthy():
                return
            if time.monotonic() > deadline:
                raise ServeError(f"`python -m bot serve` did not answer {self.url}/healthz within "
                                 f"{timeout:g} s; its output:\n{self.log()}")
            time.sleep(0.05)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=1.0) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def signal(self, sig: int = signal.SIGTERM) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(sig)

    def wait(self, timeout: float) -> int | None:
        """The exit status once the process has ended (None if it is still running after ``timeout``)."""
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (the server lets answers in progress finish), then SIGKILL after ``timeout``.
        Returns the exit status; the log stays readable, the working directory is removed."""
        status = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.send_signal(signal.SIGTERM)
                try:
                    self._process.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            status = self._process.returncode
        if self._final_log is None:
            self._final_log = self.log()
            shutil.rmtree(self._workdir, ignore_errors=True)
        return status

    def __enter__(self) -> ServedBot:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


async def warm_up(sender: SlackSender) -> None:
    """Send ``/spamhaus help`` and wait for its answer: Bolt calls auth.test on the first request,
    which should not count in what a test or a benchmark measures afterwards."""
    before = len(sender.fake.calls_to("response_url"))
    reply = await sender.command("help")
    if reply.status != 200:
        raise ServeError(f"warm-up command answered HTTP {reply.status}: {reply.body!r}")
    await wait_calls(sender.fake, "response_url", before + 1, timeout=STARTUP_TIMEOUT)
