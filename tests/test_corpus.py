"""Every real bounce in ../shared/corpus gives the answer its manifest expects.

The corpus files keep their own licences and stay where they are: they are read, never copied.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.diagnosis.parse import parse_bounce

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MANIFEST = CORPUS / "manifest.tsv"

if not MANIFEST.is_file():
    pytest.skip(f"corpus not found at {CORPUS}", allow_module_level=True)


def _rows() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _rows()


def _bounce(row: dict[str, str]):
    text = (CORPUS / "raw" / row["file"]).read_text(encoding="utf-8", errors="replace")
    return parse_bounce(text)


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_blocked_ip_is_the_expected_one(row):
    expected = None if row["expected_ip"] == "none" else row["expected_ip"]
    assert _bounce(row).blocked_ip == expected


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_blocklist_is_named_exactly_when_the_manifest_names_one(row):
    assert (_bounce(row).blocklist is not None) == (row["blocklist_named"] != "none")


@pytest.mark.parametrize("row", [r for r in ROWS if r["blocklist_named"] in ("spamhaus", "microsoft")],
                         ids=lambda row: row["file"])
def test_spamhaus_and_microsoft_rejections_carry_their_key(row):
    blocklist = _bounce(row).blocklist
    assert blocklist is not None and blocklist.key == row["blocklist_named"]


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_no_other_address_in_the_text_is_chosen(row):
    others = {ip for ip in row["other_ips_present"].split(";") if ip}
    assert _bounce(row).blocked_ip not in others
