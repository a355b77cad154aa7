"""``run_cli``: the command line as a user runs it, ``python -m bot`` in a subprocess, guarded to
loopback, with DNS_NAMESERVERS and RDAP_RELAY pointing at the loopback DNS and recorded-RDAP servers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loopback.dnsbl_zones import serve_healthy_lists
from loopback.serve_process import GUARD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_cli(dns, rdap, owner_ips, tmp_path):
    assert (GUARD / "sitecustomize.py").is_file(), "the subprocesses would run without the loopback guard"
    serve_healthy_lists(dns)

    def run_bot(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "SPAMHAUS_"))}
        environment.update(PYTHONPATH=f"{GUARD}{os.pathsep}{ROOT}", DNS_NAMESERVERS=f"127.0.0.1:{dns.port}",
                           RDAP_RELAY=rdap.url, DNS_TIMEOUT="0.5", DIAGNOSIS_TIMEOUT="3", **env)
        return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                              cwd=tmp_path, env=environment, timeout=60)  # cwd: no stray .env is read

    return run_bot
