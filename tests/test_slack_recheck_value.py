"""The re-check button's value: what one answer hands to the click on it, including buttons that older
versions of the bot posted and that are still in Slack."""

from __future__ import annotations

import json

import pytest

from bot.diagnosis.model import Bounce, Diagnosis
from bot.render.blocks import MAX_BUTTON_VALUE
from bot.slack.recheck_value import MessageKind, RecheckValue, UnreadableValue, button_value

BOUNCE = "550 5.7.1 Client host [203.0.113.5] blocked using zen.spamhaus.org <!channel> & co"


def test_a_value_comes_back_as_it_was_encoded():
    value = RecheckValue(ip="203.0.113.5", kind=MessageKind.SUMMARY, lang="zh-TW", text=BOUNCE)
    assert RecheckValue.decode(value.encode(), clicker_lang="en") == value


@pytest.mark.parametrize("text", ["&lt;not markup&gt;", "a &amp; b", "<&>", "&", "混合 <文字> &amp;"])
def test_text_that_looks_escaped_already_survives_the_round_trip(text):
    value = RecheckValue(ip="2001:db8::1", kind=MessageKind.FULL, lang="en", text=text)
    assert RecheckValue.decode(value.encode(), clicker_lang="en").text == text


def test_the_encoded_format_is_the_one_buttons_in_slack_already_carry():
    encoded = RecheckValue(ip="203.0.113.5", kind=MessageKind.FULL, lang="en", text="<x> & y").encode()
    assert json.loads(encoded) == {"ip": "203.0.113.5", "k": "full", "l": "en", "t": "&lt;x&gt; &amp; y"}
    assert "<" not in encoded  # the pasted text is escaped like any text the bot sends


def test_a_value_whose_text_would_not_fit_a_button_drops_the_text():
    value = RecheckValue(ip="203.0.113.5", kind=MessageKind.SUMMARY, lang="en", text="x" * MAX_BUTTON_VALUE)
    encoded = value.encode()
    assert len(encoded) <= MAX_BUTTON_VALUE
    assert json.loads(encoded) == {"ip": "203.0.113.5", "k": "summary", "l": "en"}
    decoded = RecheckValue.decode(encoded, clicker_lang="zh-TW")
    assert (decoded.text, decoded.subject, decoded.lang) == ("", "203.0.113.5", "en")


def test_escaping_counts_toward_the_limit():
    text = "<" * 500  # 500 characters, 2,000 once escaped
    encoded = RecheckValue(ip="203.0.113.5", kind=MessageKind.FULL, lang="en", text=text).encode()
    assert "t" not in json.loads(encoded)


def test_a_bare_ip_from_the_oldest_buttons_is_a_full_answer_in_the_clickers_language():
    decoded = RecheckValue.decode("198.51.100.23", clicker_lang="zh-TW")
    assert decoded == RecheckValue(ip="198.51.100.23", kind=MessageKind.FULL, lang="zh-TW")
    assert decoded.subject == "198.51.100.23"


@pytest.mark.parametrize(("value", "expected"), [
    ('{"ip": "198.51.100.23"}', RecheckValue("198.51.100.23", MessageKind.FULL, "zh-TW")),
    ('{"ip": "198.51.100.23", "k": "summary"}', RecheckValue("198.51.100.23", MessageKind.SUMMARY, "zh-TW")),
    ('{"ip": "198.51.100.23", "k": "other", "l": "fr"}', RecheckValue("198.51.100.23", MessageKind.FULL, "zh-TW")),
    ('{"ip": "198.51.100.23", "l": "en", "t": ""}', RecheckValue("198.51.100.23", MessageKind.FULL, "en")),
    ('{"ip": "198.51.100.23", "l": ["en"], "t": 5}', RecheckValue("198.51.100.23", MessageKind.FULL, "zh-TW")),
])
def test_values_missing_keys_or_with_unknown_ones_are_read_with_defaults(value, expected):
    assert RecheckValue.decode(value, clicker_lang="zh-TW") == expected


@pytest.mark.parametrize("value", [
    "", "   ", "not json", "{", "[]", "42", "null", '"198.51.100.23"', '{"from": "an older version"}',
    '{"ip": ""}', '{"ip": 42}', '{"ip": "300.1.2.3"}', '{"ip": "<!channel>"}', '{"t": "blocked 198.51.100.23"}',
])
def test_garbage_is_refused(value):
    with pytest.raises(UnreadableValue):
        RecheckValue.decode(value, clicker_lang="en")


def test_an_answer_without_an_ip_gets_no_button_value():
    no_ip = Diagnosis(bounce=Bounce(blocked_ip=None), ip=None, ip_problem="no_ip")
    assert button_value(no_ip, text="why did it bounce?", kind=MessageKind.FULL, lang="en") is None


def test_an_answer_with_an_ip_carries_it_its_kind_language_and_text():
    listed = Diagnosis(bounce=Bounce(blocked_ip="203.0.113.5"), ip="203.0.113.5")
    encoded = button_value(listed, text=BOUNCE, kind=MessageKind.SUMMARY, lang="zh-TW")
    assert RecheckValue.decode(encoded, clicker_lang="en") == RecheckValue(
        "203.0.113.5", MessageKind.SUMMARY, "zh-TW", BOUNCE)
