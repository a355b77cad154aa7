"""Input built to hurt: text that Unicode normalisation multiplies, and bounces that carry the
operator's own DQS key. Each behaviour checked on the core directly; tests/test_faults.py drives
the same through the real serving process."""

from __future__ import annotations

import time
import unicodedata

import pytest

from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.options import LookupOptions
from bot.diagnosis.parse import MAX_INPUT_CHARS, normalise, parse_bounce

DQS_KEY = "abcdefghijklmnopqrstuvwxyz"[:13] + "0123456789abc"
KEYED_BOUNCE = (f"550 5.7.1 Service unavailable; Client host [45.61.150.7] blocked using "
                f"{DQS_KEY}.zen.dq.spamhaus.net; https://www.spamhaus.org/query/ip/45.61.150.7")


@pytest.mark.parametrize("chars", [40_000, 200_000, MAX_INPUT_CHARS])
def test_text_that_normalisation_grows_past_the_cap_is_refused_without_being_grown(chars):
    started = time.perf_counter()
    bounce = parse_bounce("\ufdfa" * chars)  # NFKC makes each one 18 characters
    elapsed = time.perf_counter() - started
    expected = "too_large" if chars * 18 > MAX_INPUT_CHARS else None
    assert bounce.problem == expected
    assert elapsed < 2.0, f"{elapsed:.1f} s"  # was 7.2 s and 615 MiB at the cap


def test_normalising_in_pieces_reads_as_normalising_the_whole():
    mixed = ("Ｃｌｉｅｎｔ ｈｏｓｔ ［２０３．０．１１３．５］ e\u0301 ﬁ \u1100\u1161 " * 900) + "x" * 20_000
    # NFKC is idempotent: normalising the NFKC of the whole must give the same text as the pieces did.
    assert normalise(mixed) == normalise(unicodedata.normalize("NFKC", mixed))


def test_the_operators_dqs_key_is_taken_out_of_a_pasted_bounce_before_it_is_read():
    diagnoser = Diagnoser.create(LookupOptions(nameservers=(), dqs_key=DQS_KEY))
    try:
        bounce = diagnoser.parse(KEYED_BOUNCE.replace(DQS_KEY, DQS_KEY.upper()))
    finally:
        diagnoser.close()
    assert bounce.blocked_ip == "45.61.150.7"
    assert bounce.blocklist is not None and bounce.blocklist.zone == "zen.dq.spamhaus.net"
    assert DQS_KEY not in repr(bounce).lower()
