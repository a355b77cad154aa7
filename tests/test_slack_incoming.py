"""Slack's markup on incoming text is undone before the bounce parser sees it."""

import pytest

from bot.diagnosis.parse import parse_bounce
from bot.slack.incoming import is_help, is_rejection, is_request, plain_text, screen


@pytest.mark.parametrize(("slack_text", "pasted"), [
    ("550 5.7.1 Client host [203.0.113.5] blocked using <http://zen.spamhaus.org|zen.spamhaus.org>",
     "550 5.7.1 Client host [203.0.113.5] blocked using zen.spamhaus.org"),
    ("&lt;<mailto:bob@example.com|bob@example.com>&gt;: host mx said: 550",
     "<bob@example.com>: host mx said: 550"),
    ("see <https://check.spamhaus.org/query/ip/203.0.113.5>", "see https://check.spamhaus.org/query/ip/203.0.113.5"),
    ("<https://example.com/ip/203.0.113.5|lookup>", "lookup (https://example.com/ip/203.0.113.5)"),
    ("ask <@U123> in <#C1|ops> or <!here>", "ask @U123 in #ops or @here"),
    ("a &amp;lt; b &amp;&amp; c", "a &lt; b && c"),
])
def test_slack_markup_is_undone(slack_text, pasted):
    assert plain_text(slack_text) == pasted


def test_the_bots_own_mention_disappears():
    assert plain_text("<@U_BOT> 203.0.113.5", bot_user_id="U_BOT") == "203.0.113.5"
    assert plain_text("<@U_BOT>", bot_user_id="U_BOT") == ""


@pytest.mark.parametrize(("text", "expected"), [("", True), ("help", True), (" HELP ", True), ("說明", True),
                                                ("203.0.113.5", False), ("help me with 203.0.113.5", False)])
def test_help_requests(text, expected):
    assert is_help(text) is expected


def test_ip_only_in_a_slack_link_target_reaches_the_parser():
    text = "554 5.7.1 Listed by Spamhaus, see <https://check.spamhaus.org/query/ip/192.0.2.31|check.spamhaus.org>"
    assert parse_bounce(plain_text(text)).blocked_ip == "192.0.2.31"


def test_slack_escaped_quote_and_link_reach_the_parser():
    text = ("&gt; 550 5.7.1 Client host [192.0.2.5] blocked using b.barracudacentral.org; "
            "<http://www.barracudanetworks.com/reputation/?pr=1&amp;ip=192.0.2.5|barracuda>")
    bounce = parse_bounce(plain_text(text))
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.5", "barracuda")


# --- screening: is a parsed message worth answering? -----------------------------------------------

REJECTION = "550 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org"


@pytest.mark.parametrize(("text", "expected"), [
    (REJECTION, True),
    ("554 5.7.1 Client host [203.0.113.5] rejected", True),  # an IP with rejection codes
    ("the new server is 203.0.113.5", False),
    ("good morning team", False),
    ("300.1.2.3", False),
])
def test_a_channel_message_is_answered_unasked_only_when_it_is_a_rejection(text, expected):
    assert is_rejection(screen(parse_bounce, text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("203.0.113.5", True),
    ("300.1.2.3", True),  # a malformed address: the answer says what is wrong with it
    ("1.2.3", True),
    ("10.1.2.3", True),
    (REJECTION, True),
    ("550 5.7.1 rejected", True),
    ("thanks!", False),
    ("ok, looking into it now", False),
])
def test_a_message_addressed_to_the_bot_is_a_request_when_it_holds_an_ip_a_bounce_or_a_code(text, expected):
    assert is_request(screen(parse_bounce, text)) is expected


def test_screening_never_raises_and_skips_empty_text():
    def broken(text):
        raise RuntimeError("parser bug")

    assert screen(broken, REJECTION) is None
    assert screen(parse_bounce, "   ") is None
    assert not is_rejection(None) and not is_request(None)
