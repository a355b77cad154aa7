"""``make demo``: the bot's terminal report against the loopback servers the tests use, offline.

Starts the loopback DNS server (Spamhaus-shaped zones with healthy RFC 5782 test points, and one
address listed on ZEN as CSS and PBL) and the recorded-RDAP server, then runs
``python -m bot check`` on a sample bounce with ``DNS_NAMESERVERS`` and ``RDAP_RELAY`` pointing at
them, so a newcomer sees a listed result, its owner and the fix, as the README shows.

    python -m loopback.demo [--lang zh-TW] [--json | --blocks] [bounce text]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.rdap_server import RecordedRDAP, serve_owner_fixtures

ROOT = Path(__file__).resolve().parent.parent
IP = "88.198.20.10"  # the recorded RIPE NCC owner (Hetzner), with a forward-confirmed PTR
BOUNCE = (f"<bob@example.net>: host mx.example.net[198.51.100.7] said: 554 5.7.1 Service unavailable; "
          f"Client host [{IP}] blocked using zen.spamhaus.org (in reply to RCPT TO command)")


def main(argv: list[str]) -> int:
    options = [arg for arg in argv if arg.startswith("-") or arg in ("en", "zh-TW")]
    text = [arg for arg in argv if arg not in options] or [BOUNCE]
    with LoopbackDNS() as dns, RecordedRDAP() as rdap:
        serve_healthy_lists(dns)
        serve_owner_fixtures(dns, rdap)
        list_ip(dns, IP, "zen.spamhaus.org", "127.0.0.3", "127.0.0.11",
                txt=(f"Listed by CSS, see https://check.spamhaus.org/query/ip/{IP}",
                     f"Listed by PBL, see https://check.spamhaus.org/query/ip/{IP}"))
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "SPAMHAUS_"))}
        environment.update(DNS_NAMESERVERS=f"{dns.host}:{dns.port}", RDAP_RELAY=rdap.url,
                           PYTHONPATH=f"{ROOT}{os.pathsep}{environment.get('PYTHONPATH', '')}")
        print(f"# loopback DNS at {dns.host}:{dns.port}, recorded RDAP at {rdap.url}; {IP} listed on ZEN (CSS, PBL)\n",
              flush=True)
        return subprocess.call([sys.executable, "-m", "bot", "check", *options, *text], env=environment, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
