"""Bounces in the shapes people really paste (tests/fixtures/bounces, constructed, each with its
note in manifest.tsv): the blocked IPs, the list or service named, and never another address."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.diagnosis.parse import parse_bounce
from bot.diagnosis.parse.mail import message_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bounces"
with (FIXTURES / "manifest.tsv").open(encoding="utf-8", newline="") as _handle:
    ROWS = list(csv.DictReader(_handle, delimiter="\t"))
IDS = [row["file"] for row in ROWS]


def _bounce(row):
    path = FIXTURES / row["file"]
    text = message_text(path.read_bytes()) if path.suffix == ".eml" else path.read_text(encoding="utf-8")
    return parse_bounce(text)


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_blocked_ips_are_the_expected_ones(row):
    expected = [] if row["expected_ip"] == "none" else row["expected_ip"].split(";")
    bounce = _bounce(row)
    assert list(bounce.blocked_ips) == expected
    assert bounce.blocked_ip == (expected[0] if expected else None)


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_list_or_service_named_is_the_expected_one(row):
    blocklist = _bounce(row).blocklist
    assert (blocklist.key if blocklist else "none") == row["blocklist_named"]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_no_other_address_is_chosen_or_called_blocked(row):
    bounce = _bounce(row)
    others = {ip for ip in row["other_ips_present"].split(";") if ip}
    assert not others & set(bounce.blocked_ips)
    blocked = [c.ip for c in bounce.candidates if c.role == "blocked" and c.ip not in bounce.blocked_ips]
    assert blocked == [], "an address labelled 'blocked' that is not the blocked one"


def test_every_fixture_says_it_is_constructed():
    assert all("Constructed" in row["notes"] and row["source_repo"] == "constructed" for row in ROWS)
