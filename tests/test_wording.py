"""What the answer says, in both languages: our own codes never reach a person, snippets never cut an
address or a link, no placeholder question marks, no sentence said twice, every label translated."""

from __future__ import annotations

import re

import pytest

from bot.diagnosis.model import Bounce, Diagnosis, DnsblReport, FixStep, Owner, ZoneResult
from bot.diagnosis.parse import parse_bounce
from bot.i18n import CATALOGUES
from bot.render.common import present
from bot.render.text import display_width, render_text

CODES = re.compile(r"\b[a-z]+_[a-z_]+\b")  # user_unknown, test_point_not_listed, not_mx ...
LANGS = ("en", "zh-TW")


def _diagnosis(**fields) -> Diagnosis:
    return Diagnosis(bounce=fields.pop("bounce", Bounce(blocked_ip=None)), ip=fields.pop("ip", None), **fields)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["user_unknown", "ptr", "spf", "not_mx", "rate_limit", "null_mx"])
def test_a_rejection_kind_is_said_in_words_not_as_our_code(lang, kind):
    bounce = Bounce(blocked_ip=None, rejection_kind=kind)
    view = present(_diagnosis(bounce=bounce, ip_problem="no_ip",
                              fix=(FixStep("fix.problem.not_blocklist", {"kind": kind}),)), lang)
    shown = " ".join([*view.evidence, *(text for text, _ in view.fix)])
    assert kind not in shown and not CODES.search(shown)


@pytest.mark.parametrize("lang", LANGS)
def test_every_could_not_check_reason_is_words(lang):
    for key in (key for key in CATALOGUES["en"] if key.startswith("error.")):
        error = key.removeprefix("error.")
        zone = ZoneResult("zen.spamhaus.org", "spamhaus", "unknown", error=error)
        view = present(_diagnosis(ip="192.0.2.1", dnsbl=DnsblReport(status="unknown", zones=(zone,))), lang)
        assert not CODES.search(" ".join(view.failures)), (error, view.failures)


def test_snippets_never_cut_an_address_or_a_link():
    addresses = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|https?://\S+")
    url = "https://check.spamhaus.org/query/ip/203.0.113.5"
    for pad in range(0, 200, 7):
        text = ("word " * pad + f"see {url} and 198.51.100.7 then 554 5.7.1 Client host [203.0.113.5] blocked using "
                f"zen.spamhaus.org; {url} " + "more " * 40)
        bounce = parse_bounce(text)
        for snippet in [candidate.snippet for candidate in bounce.candidates] + [bounce.blocklist.snippet]:
            for piece in addresses.findall(snippet.strip("…")):
                assert piece.rstrip(";.,") in text and (piece.startswith("http") is False or piece.rstrip(";") == url)


@pytest.mark.parametrize("lang", LANGS)
def test_no_question_mark_stands_in_for_an_unknown_host_or_code(lang):
    for bounce in (Bounce(blocked_ip="192.0.2.1", smtp_code="550", enhanced_code="5.7.1"),
                   Bounce(blocked_ip="192.0.2.1", rejecting_host="mx.example.net"),
                   Bounce(blocked_ip="192.0.2.1", receiver_misconfigured=True)):
        view = present(_diagnosis(bounce=bounce, ip="192.0.2.1"), lang)
        assert not any("?" in line or "？" in line for line in view.evidence), view.evidence


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("problem", ["empty", "no_ip", "private", "reserved", "malformed", "too_large", "binary"])
def test_a_problem_is_not_said_twice(lang, problem):
    headline = CATALOGUES[lang][f"headline.problem.{problem}"].replace("{ip}", "").strip(" ：:")
    fix = CATALOGUES[lang][f"fix.problem.{problem}"]
    words = [word for word in re.split(r"[\s,.:;。，：；（）()]+", headline.lower()) if len(word) > 3]
    shared = [word for word in words if word in fix.lower()]
    assert len(shared) < max(3, len(words) // 2), (headline, fix)


def test_unknown_resolver_and_unnamed_lists_are_translated():
    bounce = parse_bounce("554 5.7.1 Your IP 203.0.113.9 is blacklisted")
    report = DnsblReport(status="not_listed", zones=(ZoneResult("zen.spamhaus.org", "spamhaus", "not_listed"),))
    view = present(_diagnosis(bounce=bounce, ip="203.0.113.9", dnsbl=report, owner=Owner()), "zh-TW")
    assert "Unnamed blocklist" not in " ".join(view.evidence) and "system" not in view.context
    assert "未具名的封鎖清單" in " ".join(view.evidence) and "系統預設" in view.context


def test_terminal_tables_line_up_by_display_width():
    report = DnsblReport(status="not_listed", zones=(ZoneResult("zen.spamhaus.org", "spamhaus", "not_listed"),))
    owner = Owner(name="某公司", network_name="NET", asn="64500", country="TW", abuse=("abuse@example.tw",),
                  registry="apnic")
    text = render_text(_diagnosis(ip="203.0.113.9", dnsbl=report, owner=owner), "zh-TW")
    rows = [line for line in text.splitlines() if "某公司" in line or "abuse@example.tw" in line]
    starts = {display_width(row[:row.index(value)]) for row, value in zip(rows, ("某公司", "abuse@example.tw"),
                                                                           strict=True)}
    assert len(rows) == 2 and len(starts) == 1


@pytest.mark.parametrize("status", ["listed", "not_listed", "unknown"])
def test_status_tags_are_translated(status):
    zone = ZoneResult("zen.spamhaus.org", "spamhaus", status)
    text = render_text(_diagnosis(ip="203.0.113.9", dnsbl=DnsblReport(status=status, zones=(zone,))), "zh-TW")
    assert not re.match(r"\[[A-Z ]+\]", text)
