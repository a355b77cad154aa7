"""Block Kit from a diagnosis: every section, Slack's limits, and hostile text kept harmless."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from slack_sdk.models.blocks import Block

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
from bot.render.blocks import (
    LOOKUP_ACTION,
    RECHECK_ACTION,
    WATCH_ACTION,
    clip,
    code,
    escape,
    full_message,
    notice_message,
    present_for_slack,
    summary_message,
)
from bot.render.common import ListingView, Presentation
from bot.render.home import home_view
from tests.support.slack_limits import assert_within_limits, mrkdwn_texts, text_objects

HOSTILE = "<!channel> *bold* _it_ ~s~ `rm -rf /` <https://evil.example|spamhaus.org> <@U0ADMIN> &amp;"


def _view(**overrides) -> Presentation:
    base = dict(
        lang="en", status="listed", headline="`203.0.113.5` is listed: Spamhaus SBL", ip="203.0.113.5",
        evidence=["Blocked IP `203.0.113.5`, found in: `Client host [203.0.113.5] blocked`"],
        listings=[ListingView(title="Spamhaus SBL (zen.spamhaus.org, 127.0.0.2)", meaning="SBL: listed by hand.",
                              reason="Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL1",
                              url="https://check.spamhaus.org/sbl/query/SBL1")],
        failures=["bl.spamcop.net: no answer in time."],
        owner=[("Organisation", "`Example Hosting`"), ("AS", "`AS64500`")],
        owner_note=None, case_title="Your own server", case_reason="The IP is in your network.",
        fix=[("Find the cause.", None), ("Request removal.", "https://check.spamhaus.org/query/ip/203.0.113.5")],
        context="Checked 2024-01-01 00:00:00 UTC via resolver 127.0.0.1:53 in 120 ms",
        lookup_url="https://check.spamhaus.org/query/ip/203.0.113.5",
    )
    base.update(overrides)
    return Presentation(**base)


def _hostile_diagnosis() -> Diagnosis:
    bounce = Bounce(
        blocked_ip="45.61.150.7",
        candidates=(Candidate("45.61.150.7", 90, "client_host_brackets", f"[45.61.150.7] {HOSTILE}", "blocked"),),
        blocklist=BlocklistMention("spamhaus", "Spamhaus", zone="zen.spamhaus.org", list_name="SBL",
                                   snippet=HOSTILE),
        rejecting_host=f"mx.{HOSTILE}", smtp_code="550", enhanced_code="5.7.1",
    )
    listing = Listing(list="SBL", provider="spamhaus", zone="zen.spamhaus.org", code="127.0.0.2",
                      meaning="spamhaus.sbl", reason=HOSTILE, url="https://evil.example|spamhaus.org",
                      ticket="SBL1")
    report = DnsblReport(status="listed", zones=(
        ZoneResult("zen.spamhaus.org", "spamhaus", "listed", listings=(listing,)),), resolver="127.0.0.1:53")
    owner = Owner(name=HOSTILE, network_name=HOSTILE, cidr="45.61.144.0/20", asn="64500",
                  asn_description="EVIL-AS <!here> *bold*", country="US", abuse=(f"abuse@{HOSTILE}",),
                  registry="arin", rdns="mail.evil.example", rdns_confirmed=False)
    return Diagnosis(bounce=bounce, ip="45.61.150.7", dnsbl=report, owner=owner, case="third_party_sender",
                     case_reason="case.reason.inbound_recipient", case_params={"domain": HOSTILE},
                     fix=(FixStep("fix.third.owner_must_delist", {"ip": "45.61.150.7", "owner": HOSTILE,
                                                                 "abuse": HOSTILE}),),
                     checked_at="2024-01-01T00:00:00Z", elapsed_ms=12.0)


def _blocks_of(message: dict, kind: str) -> list[dict]:
    return [block for block in message["blocks"] if block["type"] == kind]


def _all_text(message: dict) -> str:
    return "\n".join(mrkdwn_texts(message))


# --- layout ---------------------------------------------------------------------------------------

def test_full_message_has_every_part_of_the_diagnosis_in_order():
    message = full_message(_view(), recheck_value='{"ip": "203.0.113.5"}')
    kinds = [block["type"] for block in message["blocks"]]
    assert kinds[0] == "header" and kinds[-2:] == ["context", "actions"]
    text = _all_text(message)
    for expected in ("From the bounce", "Blocklists now", "Spamhaus SBL (zen.spamhaus.org, 127.0.0.2)",
                     "Could not check", "Who owns the IP", "*Organisation*", "Whose problem it is",
                     "*Your own server*. The IP is in your network.", "How to fix it", "1. Find the cause.",
                     "2. Request removal.",
                     "Checked 2024-01-01"):
        assert expected in text, expected
    assert "<https://check.spamhaus.org/sbl/query/SBL1|details (check.spamhaus.org)>" in text
    assert_within_limits(message)


def test_header_is_plain_text_without_code_span_backticks():
    header = full_message(_view())["blocks"][0]
    assert header["text"] == {"type": "plain_text", "text": ":no_entry: 203.0.113.5 is listed: Spamhaus SBL",
                              "emoji": True}


def test_buttons_recheck_with_value_and_lookup_by_url():
    actions = _blocks_of(full_message(_view(), recheck_value='{"ip": "203.0.113.5"}'), "actions")[0]
    recheck, watch, lookup = actions["elements"]
    assert recheck["action_id"] == RECHECK_ACTION and recheck["value"] == '{"ip": "203.0.113.5"}'
    assert watch["action_id"] == WATCH_ACTION and watch["value"] == "203.0.113.5"  # a listed result: watchable
    assert lookup["action_id"] == LOOKUP_ACTION
    assert lookup["url"] == "https://check.spamhaus.org/query/ip/203.0.113.5"
    assert "value" not in lookup


def test_no_recheck_button_without_an_ip_or_with_an_oversized_value():
    no_ip = full_message(_view(ip=None, lookup_url=None), recheck_value="x")
    assert not _blocks_of(no_ip, "actions")
    oversized = full_message(_view(), recheck_value="x" * 2001)
    buttons = _blocks_of(oversized, "actions")[0]["elements"]
    assert [button["action_id"] for button in buttons] == [WATCH_ACTION, LOOKUP_ACTION]


def test_fallback_text_is_the_headline():
    assert full_message(_view())["text"] == "`203.0.113.5` is listed: Spamhaus SBL"
    assert summary_message(_view())["text"] == "`203.0.113.5` is listed: Spamhaus SBL"


def test_summary_names_the_lists_and_points_to_the_thread():
    message = summary_message(_view(), recheck_value='{"ip": "203.0.113.5"}')
    text = _all_text(message)
    assert "Spamhaus SBL (zen.spamhaus.org, 127.0.0.2)" in text
    assert "in the thread" in text
    assert "Who owns the IP" not in text
    assert _blocks_of(message, "actions")
    assert_within_limits(message)


def test_problem_view_renders_without_lookups():
    view = _view(status="no_ip", headline="No blocked IP address found in this text", ip=None, listings=[],
                 failures=[], owner=[], case_title="", case_reason="", lookup_url=None,
                 fix=[("Paste the full bounce.", None)], context="Read 12 characters; no lookups made")
    message = full_message(view)
    assert message["blocks"][0]["text"]["text"].startswith(":information_source: No blocked IP")
    assert not _blocks_of(message, "actions")
    assert_within_limits(message)


def test_zh_tw_view_uses_zh_tw_slack_strings():
    message = full_message(_view(lang="zh-TW"), recheck_value='{"ip": "203.0.113.5"}')
    labels = [button["text"]["text"] for button in _blocks_of(message, "actions")[0]["elements"]]
    assert labels == ["立即重新查詢", "解除列入時通知我", "開啟 Spamhaus 查詢頁面"]
    assert "目前的封鎖清單狀態" in _all_text(message)


def test_blocks_parse_as_slack_sdk_models():
    for message in (full_message(_view(), recheck_value="{}"), summary_message(_view()), notice_message("hi")):
        for block in message["blocks"]:
            assert Block.parse(block).to_dict() == block


# --- hostile text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("render", [full_message, summary_message])
def test_hostile_whois_and_bounce_text_cannot_ping_link_or_format(render):
    view = present_for_slack(_hostile_diagnosis(), "en")
    message = render(view, recheck_value=json.dumps({"ip": "45.61.150.7", "t": escape(HOSTILE)}))
    dumped = json.dumps(message, ensure_ascii=False)
    for dangerous in ("<!channel>", "<!here>", "<@U0ADMIN>", "<https://evil.example"):
        assert dangerous not in dumped, dangerous
    for text in mrkdwn_texts(message):
        # Outside code spans (even-numbered pieces) no untrusted formatting survives.
        outside = "".join(text.split("`")[0::2])
        assert "*bold*" not in outside and "_it_" not in outside and "~s~" not in outside, text
    assert_within_limits(message)


def test_hostile_owner_is_shown_escaped_inside_a_code_span():
    message = full_message(present_for_slack(_hostile_diagnosis(), "en"))
    fields = [f["text"] for block in _blocks_of(message, "section") for f in block.get("fields", [])]
    organisation = next(field for field in fields if field.startswith("*Organisation*"))
    assert "`&lt;!channel&gt; *bold* _it_ ~s~ rm -rf / &lt;https://evil.example|spamhaus.org&gt;" in organisation


def test_listing_url_that_could_break_a_link_is_dropped():
    view = _view(listings=[ListingView("SBL", "meaning", None, "https://evil.example|spamhaus.org"),
                           ListingView("SBL", "meaning", None, "javascript:alert(1)"),
                           ListingView("SBL", "meaning", None, "https://ok.example/a>b")])
    text = _all_text(full_message(view))
    assert "evil.example" not in text and "javascript" not in text and "ok.example" not in text


def test_listing_reason_is_wrapped_in_a_code_span():
    view = _view(listings=[ListingView("SBL", "meaning", "*spam* `x` _y_", None)])
    assert "> `*spam* x _y_`" in _all_text(full_message(view))


def test_every_mrkdwn_object_is_verbatim_so_slack_guesses_no_links_or_mentions():
    """With ``verbatim`` false (Slack's default) a bare URL, a #channel or an @here inside WHOIS text
    would be turned into a link or a mention by Slack itself, code span or not."""
    view = present_for_slack(_hostile_diagnosis(), "en")
    for message in (full_message(view, recheck_value="{}"), summary_message(view), notice_message("hi"),
                    {"text": "home", **{"blocks": home_view("en")["blocks"]}}):
        mrkdwn = [node for node in text_objects(message) if node["type"] == "mrkdwn"]
        assert mrkdwn and all(node.get("verbatim") is True for node in mrkdwn)


INVISIBLE = "\u202e\u2066\u200b\u200d\u2060\ufeff\u00ad\x00\x1b\x7f\ud800"


def test_invisible_and_direction_changing_characters_never_reach_slack():
    """An RTL override in a WHOIS name would reverse the trusted text after it; zero-width and
    control characters hide what is really there; a newline would break the field's layout."""
    hostile_name = f"Evil{INVISIBLE}Corp\nLtd\r\n\tabuse\u2028desk"
    diagnosis = _hostile_diagnosis()
    owner = dataclasses.replace(diagnosis.owner, name=hostile_name, abuse=("abuse@evil\u202e.example",))
    message = full_message(present_for_slack(dataclasses.replace(diagnosis, owner=owner), "en"))
    dumped = json.dumps(message, ensure_ascii=False)
    for ch in INVISIBLE:
        assert ch not in dumped, repr(ch)
    fields = [f["text"] for block in _blocks_of(message, "section") for f in block.get("fields", [])]
    assert "*Organisation*\n`EvilCorp Ltd abuse desk`" in fields
    assert "*Abuse contact*\n`abuse@evil.example`" in fields


@pytest.mark.parametrize("url", [
    "https://spamhaus.org@evil.example/x",  # a user@ part reads like the host
    "https://evil\u202egro.suahmaps.example/",  # right-to-left override in the host
    "https://xn--spmhaus-9wa.example/\u200bx",  # zero-width space in the path
    "https://*spamhaus*.example/",  # mrkdwn formatting in the host the label shows
    "https://spamhaus.org/`x`",
])
def test_listing_link_needs_a_plain_host_and_printable_ascii(url):
    view = _view(listings=[ListingView("SBL", "meaning", None, escape(url))])
    message = full_message(view)
    assert "details (" not in _all_text(message)


def test_listing_link_keeps_an_ordinary_query_string_escaped():
    url = escape("https://www.spamcop.net/w3m?action=checkblock&ip=203.0.113.5")
    text = _all_text(full_message(_view(listings=[ListingView("SpamCop", "meaning", None, url)])))
    assert "<https://www.spamcop.net/w3m?action=checkblock&amp;ip=203.0.113.5|details (www.spamcop.net)>" in text


def _random_text(rng: random.Random, size: int) -> str:
    alphabet = ["<", ">", "&", "|", "`", "*", "_", "~", "\n", " ", "a", "Z", "9", "@here", "<!channel>",
                "<@U0ADMIN>", "&amp;", "&lt;", "\u202e", "\u200b", "e\u0301", "\U0001f469\u200d\U0001f4bb", "中",
                "https://evil.example|x", ":", "."]
    return "".join(rng.choice(alphabet) for _ in range(size))


@pytest.mark.parametrize("seed", range(25))
def test_random_hostile_and_oversized_diagnoses_always_fit_and_stay_inert(seed):
    rng = random.Random(seed)
    size = rng.choice([5, 200, 3000])
    bounce = Bounce(blocked_ip="45.61.150.7", candidates=(
        Candidate("45.61.150.7", 90, "client_host_brackets", _random_text(rng, size), "blocked"),
        *(Candidate(f"198.51.100.{n}", 10, "x", _random_text(rng, 20), "relay") for n in range(rng.randint(0, 6)))),
        blocklist=BlocklistMention("spamhaus", _random_text(rng, size), zone=_random_text(rng, 30)),
        rejecting_host=_random_text(rng, size), smtp_code="550", enhanced_code="5.7.1")
    listings = tuple(Listing(list=f"L{n}", provider="other", zone=f"z{n}.example", code="127.0.0.2",
                             meaning="no.such.meaning", reason=_random_text(rng, size),
                             url=rng.choice([None, "https://ok.example/a?b=c&d=e", _random_text(rng, 40)]))
                     for n in range(rng.randint(1, 70)))
    report = DnsblReport(status="listed", zones=(ZoneResult("z.example", "other", "listed", listings=listings),),
                         resolver="127.0.0.1:53")
    owner = Owner(name=_random_text(rng, size), network_name=_random_text(rng, size), cidr="45.61.144.0/20",
                  asn="64500", asn_description=_random_text(rng, size), country=_random_text(rng, 4),
                  abuse=tuple(_random_text(rng, size // 3 + 1) for _ in range(rng.randint(0, 5))),
                  registry="arin", rdns=_random_text(rng, 60), rdns_confirmed=rng.choice([True, False, None]))
    diagnosis = Diagnosis(bounce=bounce, ip="45.61.150.7", dnsbl=report, owner=owner, case="third_party_sender",
                          case_reason="case.reason.inbound_recipient", case_params={"domain": _random_text(rng, size)},
                          fix=tuple(FixStep("fix.third.owner_must_delist",
                                            {"ip": "45.61.150.7", "owner": _random_text(rng, size),
                                             "abuse": _random_text(rng, 50)}) for _ in range(rng.randint(1, 30))),
                          checked_at="2024-01-01T00:00:00Z", elapsed_ms=12.0)
    for lang in ("en", "zh-TW"):
        view = present_for_slack(diagnosis, lang)
        for message in (full_message(view, recheck_value="{}"), summary_message(view, recheck_value="{}")):
            assert_within_limits(message)
            for block in message["blocks"]:
                assert Block.parse(block).to_dict() == block
            dumped = json.dumps(message, ensure_ascii=False)
            for dangerous in ("<!channel>", "<@U0ADMIN>", "<https://evil", "\u202e", "\u200b", "&am…", "&l…"):
                assert dangerous not in dumped, dangerous
            for text in mrkdwn_texts(message):
                assert "``…" not in text and "\u200d…" not in text, text


# --- limits ---------------------------------------------------------------------------------------

def test_fifty_blocks_at_most_with_the_buttons_kept_and_a_note_of_what_was_left_out():
    listings = [ListingView(f"List {n}", "meaning", "reason", None) for n in range(80)]
    message = full_message(_view(listings=listings), recheck_value="{}")
    assert len(message["blocks"]) == 50
    assert message["blocks"][-1]["type"] == "actions"
    assert any("more not shown" in text for text in mrkdwn_texts(message))
    assert_within_limits(message)


def test_long_texts_are_clipped_to_slack_limits():
    huge = "x" * 10_000
    view = _view(headline=huge, evidence=[huge, huge], owner=[(f"L{n}", huge) for n in range(23)],
                 owner_note=huge, case_reason=huge, fix=[(huge, None)] * 3, context=huge,
                 listings=[ListingView(huge, huge, huge, None)], failures=[huge])
    message = full_message(view, recheck_value="{}")
    assert_within_limits(message)
    assert "…" in message["blocks"][0]["text"]["text"]
    assert "truncated" in [b.get("block_id") for b in message["blocks"]]  # past Slack's total: cut, and said


def test_owner_rows_past_ten_fields_go_into_further_sections():
    message = full_message(_view(owner=[(f"L{n}", "o" * 50) for n in range(23)]))
    owner_sections = [b for b in message["blocks"] if b.get("block_id", "").startswith("owner_")]
    assert [len(b["fields"]) for b in owner_sections] == [10, 10, 3]


def test_many_short_lines_are_packed_into_several_sections():
    view = _view(evidence=[f"line {n} " + "y" * 100 for n in range(60)])
    message = full_message(view)
    evidence = [b for b in message["blocks"] if b.get("block_id", "").startswith("evidence_")]
    assert len(evidence) > 1
    assert "line 59" in evidence[-1]["text"]["text"]
    assert_within_limits(message)


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("short", 10, "short"),
    ("abc &amp; def", 7, "abc …"),
    ("see <https://a.example/x|details> now", 20, "see …"),
    ("`abcdefgh` rest", 6, "`abc`…"),
    ("ab `cdefgh`", 6, "ab …"),  # cut just after an opening backtick: no empty span
    ("xe\u0301yz", 4, "x…"),  # an accent is never cut off its letter
    ("a\U0001f469\u200d\U0001f4bbbcdef", 4, "a…"),  # nor a joined emoji cut at the joiner
    ("a\U0001f469\u200d\U0001f4bbbcdef", 5, "a…"),  # ... or just after it
])
def test_clip_never_leaves_half_an_entity_link_or_code_span(text, limit, expected):
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_code_strips_backticks_and_newlines():
    assert code("a`b\nc") == "`ab c`"
    assert code("``") == ""


def test_escape_neutralises_slack_control_characters():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


# --- App Home -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [("en", "How to ask"), ("zh-TW", "使用方式")])
def test_home_view_in_the_users_language(lang, expected):
    view = home_view(lang)
    assert view["type"] == "home"
    assert expected in json.dumps(view, ensure_ascii=False)
    assert len(view["blocks"]) <= 100


def test_preface_comes_first_and_counts_toward_the_block_limit():
    listings = [ListingView(f"List {n}", "meaning", None, None) for n in range(80)]
    message = full_message(_view(listings=listings), recheck_value="{}", preface="Only you can see this.")
    assert message["blocks"][0]["text"]["text"] == "Only you can see this."
    assert message["blocks"][1]["type"] == "header"
    assert len(message["blocks"]) == 50 and message["blocks"][-1]["type"] == "actions"


def test_the_truncation_note_never_sends_a_slack_user_to_a_terminal():
    from bot.i18n import CATALOGUES

    for lang in ("en", "zh-TW"):
        note = CATALOGUES[lang]["slack.truncated"]
        assert "python -m" not in note and "{count}" in note
