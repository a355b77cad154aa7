"""The re-check button's value: what one answer hands to the click on it, including buttons that older
versions of the bot posted and that are still in Slack."""

from __future__ import annotations

import json

import pytest

from bot.diagnosis.model import Bounce, Diagnosis
from bot.render.blocks import MAX_BUTTON_VALUE, escape
from bot.slack.recheck_value import MessageKind, RecheckTexts, RecheckValue, UnreadableValue, button_value

BOUNCE = "550 5.7.1 Client host [203.0.113.5] blocked using zen.spamhaus.org <!channel> & co"


def test_a_value_comes_back_as_it_was_encoded():
    value = RecheckValue(ip="203.0.113.5", kind=MessageKind.SUMMARY, lang="zh-TW", ref="Zx3_kq")
    assert RecheckValue.decode(value.encode(), clicker_lang="en") == value


def test_the_value_refers_to_the_bounce_and_never_carries_its_text():
    texts = RecheckTexts()
    encoded = RecheckValue(ip="203.0.113.5", kind=MessageKind.FULL, lang="en", ref=texts.keep(BOUNCE)).encode()
    assert set(json.loads(encoded)) == {"ip", "k", "l", "r"}
    assert "spamhaus" not in encoded and "channel" not in encoded
    assert RecheckValue.decode(encoded, clicker_lang="en").subject(texts) == BOUNCE


def test_after_a_restart_the_reference_finds_nothing_and_the_ip_is_rechecked():
    encoded = RecheckValue(ip="203.0.113.5", kind=MessageKind.FULL, lang="en", ref=RecheckTexts().keep(BOUNCE)).encode()
    assert RecheckValue.decode(encoded, clicker_lang="en").subject(RecheckTexts()) == "203.0.113.5"


@pytest.mark.parametrize("text", ["&lt;not markup&gt;", "a &amp; b", "<&>", "&", "混合 <文字> &amp;"])
def test_text_that_older_buttons_carried_escaped_is_read_back_as_it_was_pasted(text):
    older = json.dumps({"ip": "2001:db8::1", "k": "full", "l": "en", "t": escape(text)})
    assert RecheckValue.decode(older, clicker_lang="en").subject() == text


def test_the_same_text_keeps_its_reference_and_the_map_lets_the_oldest_go():
    texts = RecheckTexts(max_texts=2, max_chars=100)
    first = texts.keep("a" * 10)
    assert texts.keep("a" * 10) == first
    texts.keep("b" * 10)
    texts.keep("c" * 10)
    assert texts.get(first) is None and len(texts) == 2
    texts.keep("d" * 95)  # over max_chars together: everything older goes
    assert len(texts) == 1
    assert texts.keep("e" * 101) == ""  # too large to keep at all


def test_a_bare_ip_from_the_oldest_buttons_is_a_full_answer_in_the_clickers_language():
    decoded = RecheckValue.decode("198.51.100.23", clicker_lang="zh-TW")
    assert decoded == RecheckValue(ip="198.51.100.23", kind=MessageKind.FULL, lang="zh-TW")
    assert decoded.subject() == "198.51.100.23"


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


def test_an_answer_with_an_ip_carries_it_its_kind_language_and_a_reference_to_the_text():
    listed = Diagnosis(bounce=Bounce(blocked_ip="203.0.113.5"), ip="203.0.113.5")
    texts = RecheckTexts()
    encoded = button_value(listed, text=BOUNCE, kind=MessageKind.SUMMARY, lang="zh-TW", texts=texts)
    decoded = RecheckValue.decode(encoded, clicker_lang="en")
    assert (decoded.ip, decoded.kind, decoded.lang, decoded.subject(texts)) == (
        "203.0.113.5", MessageKind.SUMMARY, "zh-TW", BOUNCE)
    assert len(encoded) <= MAX_BUTTON_VALUE
