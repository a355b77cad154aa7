"""Properties over generated input (hypothesis): 10,000 inputs each, hostile Unicode included.

* The parser never raises, names only a valid IP, and answers each paste within a bound.
* The Block Kit renderer never raises, keeps every message within Slack's limits (50 blocks,
  12,000 characters of blocks, each field's own limit) and keeps untrusted text inert: no mention,
  no link but the ones it writes, no invisible or direction-changing character.
* A re-check button's value from anyone (a forged click) is read or refused, never a crash.

Examples are not stored between runs (``database=None``) and have no per-example deadline: the
bound that matters is asserted (the parse time) and the whole file takes well under two minutes.
"""

from __future__ import annotations

import ipaddress
import json
import os
import random
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.diagnosis.model import (
    BlocklistMention,
    Bounce,
    Candidate,
    Diagnosis,
    DnsblReport,
    FixStep,
    Listing,
    Owner,
    ZoneResult,
)
from bot.diagnosis.parse import parse_bounce
from bot.render.blocks import full_message, present_for_slack, summary_message
from bot.slack.recheck_value import RecheckTexts, RecheckValue, UnreadableValue
from tests.support.slack_limits import assert_within_limits, mrkdwn_texts

EXAMPLES = int(os.environ.get('PROPERTY_EXAMPLES', '10000'))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
pytestmark = pytest.mark.timeout(600)  # 10,000 examples take a minute or two, more on a loaded machine
PARSE_BOUND = 1.0  # seconds for one paste of up to a few thousand characters (milliseconds in practice)

# Pieces a hostile or merely strange paste is made of: Slack and HTML markup, bounce phrasing,
# addresses valid and not, characters NFKC multiplies or folds, invisible and bidi controls.
FRAGMENTS = [
    "550 5.7.1 ", "Client host [", "] blocked using ", "zen.spamhaus.org", "sbl-xbl.spamhaus.org", "bl.spamcop.net",
    "https://www.spamhaus.org/query/ip/", "Received: from ", " by mx.example.net", "(in reply to RCPT TO command)",
    "203.0.113.5", "45.61.150.7", "2001:db8::1", "::ffff:192.0.2.1", "300.1.2.3", "1.2.3", "[IPv6:2001:db8::5]",
    "<!channel>", "<@U0ADMIN>", "<https://evil.example|spamhaus.org>", "&amp;", "&lt;", "&#64;", "=3D", "=\n",
    "> ", ">>> ", "*", "**", "`", "\r\n", "\n", "\t", " ", "\x00", "\x1b", "\ufffd", "\ufdfa", "\u202e", "\u200b",
    "\u2066", "\ufeff", "e\u0301", "\U0001f469\u200d\U0001f4bb", "２０３．０．１１３．５", "［", "］", "中文", "İ",
    "a" * 80, "1.2.3.4." * 5, "=" * 50,
]
pastes = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60).map("".join)


@PROPERTY
@given(pastes)
def test_the_parser_never_raises_names_only_a_valid_ip_and_answers_in_bounded_time(text):
    started = time.perf_counter()
    bounce = parse_bounce(text)
    elapsed = time.perf_counter() - started
    assert elapsed < PARSE_BOUND, f"{elapsed:.2f} s for {len(text)} characters"
    if bounce.blocked_ip is not None:
        ipaddress.ip_address(bounce.blocked_ip)
    assert all(isinstance(candidate.snippet, str) for candidate in bounce.candidates)


@st.composite
def diagnoses(draw) -> Diagnosis:
    """A diagnosis whose every untrusted field is hostile. Hypothesis draws the shape and a pool of
    strange strings (any Unicode); a seeded random fills the many fields from the pool, which keeps
    10,000 large diagnoses to seconds of generation rather than minutes."""
    pool = [*FRAGMENTS, *draw(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=6))]
    rng = random.Random(draw(st.integers(0, 2**32)))

    def text(longest: int = 12) -> str:
        piece = "".join(rng.choice(pool) for _ in range(rng.randint(0, longest)))
        return piece * rng.choice([1, 1, 1, 2, 10, 40])  # now and then long enough to meet every limit

    def url() -> str | None:
        return rng.choice([None, "https://ok.example/a?b=c&d=e", "https://check.spamhaus.org/x", "javascript:x",
                           "https://evil.example|x>", text(3)])

    listings = tuple(Listing(list=rng.choice(["SBL", "CSS", "L"]) + str(n), provider="other", zone=f"z{n}.example",
                             code="127.0.0.2", meaning=rng.choice(["spamhaus.sbl", "no.such.meaning"]),
                             reason=rng.choice([None, text()]), url=url())
                     for n in range(draw(st.integers(0, 60))))
    status = "listed" if listings else draw(st.sampled_from(["not_listed", "unknown"]))
    # Zone names come from the provider table, never from outside: only their number and kind vary.
    failures = tuple(ZoneResult(rng.choice(["bl.spamcop.net", "z.example", "*"]), "other", "unknown",
                                error=rng.choice(["timeout", "servfail", "nonsense", None]))
                     for _ in range(draw(st.integers(0, 5))))
    report = DnsblReport(status=status, zones=(ZoneResult("z.example", "other", status, listings=listings),
                                               *failures), resolver="127.0.0.1:53")
    bounce = Bounce(blocked_ip="45.61.150.7", candidates=(
        Candidate("45.61.150.7", 90, "client_host_brackets", text(), "blocked"),
        *(Candidate(f"198.51.100.{n}", 10, "x", text(), "relay") for n in range(rng.randint(0, 6)))),
        blocklist=rng.choice([None, BlocklistMention("spamhaus", text(), zone=text(3))]),
        rejecting_host=text(), smtp_code="550", enhanced_code="5.7.1")
    owner = rng.choice([None, Owner(name=text(), network_name=text(), asn_description=text(), country=text(2),
                                    abuse=tuple(text(3) for _ in range(rng.randint(0, 5))), rdns=text(4),
                                    error=rng.choice([None, "timeout"]))])
    fix = tuple(FixStep("fix.third.owner_must_delist", {"ip": "45.61.150.7", "owner": text(), "abuse": text(3)}, url())
                for _ in range(draw(st.integers(0, 30))))
    return Diagnosis(bounce=bounce, ip="45.61.150.7", dnsbl=report, owner=owner, case="third_party_sender",
                     case_reason="case.reason.inbound_recipient", case_params={"domain": text(3)},
                     fix=fix, checked_at="2024-01-01T00:00:00Z", elapsed_ms=12.0)


_WRITTEN_LINK = re.compile(r"<https?://[A-Za-z0-9.-]+[^<>|\s]*\|[^<>]*>")


@PROPERTY
@given(diagnoses(), st.sampled_from(["en", "zh-TW"]))
def test_every_rendered_answer_fits_slack_and_keeps_untrusted_text_inert(diagnosis, lang):
    view = present_for_slack(diagnosis, lang)
    for message in (full_message(view, recheck_value='{"ip": "45.61.150.7"}'), summary_message(view)):
        assert_within_limits(message)
        for text in mrkdwn_texts(message):
            leftover = re.sub(r"(?m)^> ", "", _WRITTEN_LINK.sub("", text))  # the bot's links and quote marks
            assert "<" not in leftover and ">" not in leftover, leftover  # no mention, no spoofed link
            assert not re.search(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", text)


@PROPERTY
@given(st.one_of(st.text(max_size=300), st.builds(json.dumps, st.dictionaries(
    st.sampled_from(["ip", "k", "l", "t", "r", "x"]),
    st.one_of(st.text(max_size=80), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3)),
    max_size=6))))
def test_any_button_value_is_read_or_refused_never_a_crash(value):
    try:
        button = RecheckValue.decode(value, clicker_lang="en")
    except UnreadableValue:
        return
    ipaddress.ip_address(button.ip)
    assert isinstance(button.subject(RecheckTexts()), str) and button.lang in ("en", "zh-TW")
