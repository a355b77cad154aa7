"""``make rdap-bootstrap``: download IANA's RDAP bootstrap files for IP addresses and replace the copies
shipped in the package (``bot/diagnosis/owner/rdap_bootstrap/``). For operators, with internet access.

Each file is checked with the bot's own reader before anything is replaced, and written whole
(a temporary file renamed over the old one), so a failed or partial download changes nothing.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

from bot.diagnosis.owner.bootstrap import DATA, FILES, Bootstrap

SOURCE = "https://data.iana.org/rdap/"
TARGET = Path(__file__).resolve().parent.parent / "bot" / "diagnosis" / "owner" / DATA
MAX_BYTES = 1 << 20  # the files are a few kilobytes


def download(name: str) -> bytes:
    request = urllib.request.Request(SOURCE + name, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body: bytes = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise ValueError(f"{SOURCE}{name} is larger than {MAX_BYTES} bytes")
    return body


def main() -> int:
    try:
        bodies = {name: download(name) for name in FILES}
        documents = {name: json.loads(body) for name, body in bodies.items()}
        Bootstrap(documents.values())  # raises if the bot could not read them
    except (OSError, ValueError) as exc:  # URLError is an OSError; JSONDecodeError a ValueError
        print(f"RDAP bootstrap files not refreshed: {exc}", file=sys.stderr)
        return 1
    for name, body in bodies.items():
        partial = TARGET / f".{name}.partial"
        partial.write_bytes(body)
        partial.replace(TARGET / name)
        print(f"{TARGET / name}: publication {documents[name].get('publication')}")
    print(f"Now record the publication dates in {TARGET / 'README.md'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
