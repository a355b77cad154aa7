"""End to end over real HTTP: signed Slack requests -> the aiohttp app -> the real Diagnoser (loopback
DNS and RDAP) -> calls to the fake Slack Web API."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import re
import socket
import time

import aiohttp
import pytest

from bot.config import ConfigError
from bot.diagnosis.diagnose import Diagnoser
from bot.slack.server import serve
from loopback.dns_server import reverse_ipv4
from loopback.dnsbl_zones import list_ip
from loopback.fake_slack import BOT_ID, BOT_USER_ID, DROP
from tests.support.slack_harness import (
    APP_TOKEN,
    BOT_TOKEN,
    CHANNEL,
    SIGNING_SECRET,
    running_app,
    settle,
    wait_calls,
)
from tests.support.slack_limits import assert_within_limits, mrkdwn_texts

LISTED_IP = "45.61.150.7"  # the "hostile" ownership fixture: WHOIS full of Slack markup
CLEAN_IP = "88.198.20.10"  # Hetzner fixture, listed nowhere
BOUNCE = (f"<bob@example.com>: host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; "
          f"Client host [{LISTED_IP}] blocked using zen.spamhaus.org; "
          f"https://www.spamhaus.org/query/ip/{LISTED_IP} (in reply to RCPT TO command)")
SBL_TXT = "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL654321"


@pytest.fixture(autouse=True)
def listed(dns, diagnoser):
    list_ip(dns, LISTED_IP, "zen.spamhaus.org", "127.0.0.2", txt=SBL_TXT)


def _text(call) -> str:
    return "\n".join(mrkdwn_texts(call.params))


def _zone_queries(dns, ip: str) -> int:
    return sum(count for (name, _), count in dns.table.queries.items() if name.startswith(reverse_ipv4(ip) + "."))


# --- the server ---------------------------------------------------------------------------------

async def test_healthz_answers_200(slack):
    async with slack.sender.session.get(f"{slack.url}/healthz") as response:
        assert response.status == 200
        assert (await response.json())["ok"] is True


async def test_serve_runs_the_same_app_on_port_until_cancelled(settings, diagnoser):
    with socket.socket() as probe:  # a free port for $PORT
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = asyncio.create_task(serve(dataclasses.replace(settings, port=port), diagnoser=diagnoser,
                                        host="127.0.0.1"))
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        assert response.status == 200
                        break
                await asyncio.sleep(0.02)
            else:
                raise AssertionError("serve() never answered /healthz")
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data=b"{}") as response:
                assert response.status == 401  # unsigned
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def test_serve_refuses_to_start_without_credentials(settings):
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        await serve(dataclasses.replace(settings, slack_signing_secret=""))


async def test_url_verification_echoes_the_challenge(slack):
    reply = await slack.sender.post(json.dumps({"type": "url_verification", "challenge": "abc123",
                                                "token": "legacy"}), "application/json")
    assert reply.status == 200 and "abc123" in reply.body


async def test_bad_signature_is_refused_and_nothing_happens(slack, dns):
    slack.sender.secret = "not-the-secret"
    reply = await slack.sender.command(LISTED_IP)
    assert reply.status == 401
    await settle()
    assert slack.fake.calls == [] and dns.query_count == 0


async def test_stale_timestamp_is_refused_and_nothing_happens(slack, dns):
    reply = await slack.sender.command(LISTED_IP, timestamp=int(time.time()) - 6 * 60)
    assert reply.status == 401
    await settle()
    assert slack.fake.calls == [] and dns.query_count == 0


# --- slash command ------------------------------------------------------------------------------

async def test_command_with_an_ip_acks_then_posts_a_summary_and_details_in_its_thread(slack):
    reply = await slack.sender.command(LISTED_IP)
    assert (reply.status, reply.body) == (200, "")
    summary, details = await wait_calls(slack.fake, "chat.postMessage", 2)
    assert summary.params["channel"] == CHANNEL and "thread_ts" not in summary.params
    assert details.params["thread_ts"] == summary.response["ts"]
    assert f"{LISTED_IP} is listed: Spamhaus SBL" in summary.params["blocks"][0]["text"]["text"]
    assert "SBL654321" in _text(details) and "Who owns the IP" in _text(details)
    assert_within_limits(summary.params)
    assert_within_limits(details.params)
    assert summary.token == BOT_TOKEN


async def test_command_with_bounce_text_finds_the_blocked_ip_in_it(slack):
    await slack.sender.command(BOUNCE)
    summary, details = await wait_calls(slack.fake, "chat.postMessage", 2)
    assert LISTED_IP in summary.params["blocks"][0]["text"]["text"]
    assert "zen.spamhaus.org" in _text(details)


async def test_command_help_is_answered_only_to_the_asker(slack, dns):
    reply = await slack.sender.command("help")
    assert reply.status == 200
    (response,) = await wait_calls(slack.fake, "response_url")
    assert response.params["response_type"] == "ephemeral"
    assert "/spamhaus 203.0.113.5" in _text(response)
    await settle()
    assert slack.fake.calls_to("chat.postMessage") == [] and dns.query_count == 0


async def test_command_with_no_ip_answers_privately_through_response_url(slack, dns):
    await slack.sender.command("why did my mail bounce?")
    (response,) = await wait_calls(slack.fake, "response_url")
    assert response.params["response_type"] == "ephemeral"
    assert "No blocked IP address found" in _text(response)
    await settle(0.1)
    assert slack.fake.calls_to("chat.postMessage") == [] and dns.query_count == 0


async def test_command_with_a_private_ip_answers_privately(slack):
    await slack.sender.command("10.1.2.3")
    (response,) = await wait_calls(slack.fake, "response_url")
    assert response.params["response_type"] == "ephemeral" and "private address" in _text(response)


async def test_command_where_the_bot_is_not_a_member_answers_through_response_url(slack):
    slack.fake.not_in_channel.add("C_PRIVATE")
    await slack.sender.command(LISTED_IP, channel="C_PRIVATE")
    (response,) = await wait_calls(slack.fake, "response_url",
                                   where=lambda call: call.params["response_type"] == "in_channel")
    assert "SBL654321" in _text(response)


async def test_command_acks_before_the_lookups_finish_and_says_it_is_checking(slack, dns):
    dns.delay("zen.spamhaus.org", 0.6)
    reply = await slack.sender.command(LISTED_IP)
    assert reply.status == 200
    assert slack.fake.calls_to("chat.postMessage") == []  # the answer comes after the ack
    (progress,) = await wait_calls(slack.fake, "response_url")
    assert progress.params["response_type"] == "ephemeral" and progress.params["text"].startswith("Checking")
    await wait_calls(slack.fake, "chat.postMessage", 2)


async def test_acks_stay_immediate_while_every_lookup_hangs(settings, dns, rdap, fake_slack):
    """20 concurrent commands, no DNS or RDAP answer at all: every ack comes back before any
    diagnosis ends, and each command is then answered with "could not check"."""
    settings = dataclasses.replace(settings, diagnosis_timeout=1.0)
    for zone in ("zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "dnsbl-1.uceprotect.net",
                 "psbl.surriel.com", "bl.mailspike.net", "cymru.com", "in-addr.arpa"):
        dns.drop(zone)
    rdap.hang()
    diagnoser = Diagnoser.create(settings.lookups, settings.own)
    try:
        async with running_app(settings, diagnoser, fake_slack) as app:
            replies = await asyncio.gather(*(app.sender.command(f"45.61.150.{n + 1}", user=f"U{n}")
                                             for n in range(20)))
            assert [(reply.status, reply.body) for reply in replies] == [(200, "")] * 20
            assert fake_slack.calls_to("chat.postMessage") == []
            posts = await wait_calls(fake_slack, "chat.postMessage", 40, timeout=10)
            summaries = [post for post in posts if "thread_ts" not in post.params]
            assert all("could not check" in post.params["text"] for post in summaries)
            print(f"ack latency, 20 concurrent, lookups hanging: max {max(r.elapsed for r in replies) * 1000:.0f} ms")
    finally:
        rdap.reset()
        diagnoser.close()


async def test_command_answered_at_once_needs_no_progress_message(slack):
    await slack.sender.command(LISTED_IP)
    await wait_calls(slack.fake, "chat.postMessage", 2)
    assert slack.fake.calls_to("response_url") == []


# --- messages in channels -----------------------------------------------------------------------

async def test_pasted_bounce_gets_a_placeholder_in_its_thread_replaced_by_the_result(slack):
    event = slack.sender.message_event(BOUNCE)
    assert (await slack.sender.event(event)).status == 200
    (placeholder,) = await wait_calls(slack.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]
    assert "Checking" in placeholder.params["text"] and LISTED_IP in placeholder.params["text"]
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert update.params["ts"] == placeholder.response["ts"] and update.params["channel"] == CHANNEL
    assert "SBL654321" in _text(update)
    assert_within_limits(update.params)


async def test_reply_in_a_thread_stays_in_that_thread(slack):
    event = slack.sender.message_event(BOUNCE, thread_ts="1690000000.000001")
    await slack.sender.event(event)
    (placeholder,) = await wait_calls(slack.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == "1690000000.000001"


async def test_ordinary_chat_gets_no_reply_and_costs_no_lookup(slack, dns, rdap):
    for text in ("good morning team", f"the new server is {CLEAN_IP}", "lunch at 12:30?"):
        assert (await slack.sender.event(slack.sender.message_event(text))).status == 200
    await settle()
    assert [call for call in slack.fake.methods() if call != "auth.test"] == []
    assert dns.query_count == 0 and rdap.count() == 0, dict(dns.table.queries)


async def test_edited_message_is_acknowledged_and_ignored(slack):
    event = {"type": "message", "subtype": "message_changed", "channel": CHANNEL, "ts": "1.2", "hidden": True,
             "message": {"type": "message", "user": "U_EN", "text": BOUNCE, "ts": "1.1"}, "channel_type": "channel"}
    reply = await slack.sender.event(event)
    assert reply.status == 200
    await settle()
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_other_bots_messages_are_ignored(slack):
    bot_post = slack.sender.message_event(BOUNCE, bot_id="B_OTHER")
    bot_subtype = slack.sender.message_event(BOUNCE, subtype="bot_message", bot_id="B_OLD")
    assert (await slack.sender.event(bot_post)).status == 200
    assert (await slack.sender.event(bot_subtype)).status == 200
    await settle()
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_the_bots_own_messages_are_ignored(slack):
    own = slack.sender.message_event(BOUNCE, user=BOT_USER_ID, bot_id=BOT_ID)
    assert (await slack.sender.event(own)).status == 200
    await settle()
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_retried_event_is_answered_once(slack):
    event = slack.sender.message_event(BOUNCE)
    first = await slack.sender.event(event, event_id="EvRETRY1")
    retry = await slack.sender.event(event, event_id="EvRETRY1",
                                     headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == retry.status == 200
    await wait_calls(slack.fake, "chat.update")
    await settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_direct_message_with_an_ip_is_answered(slack):
    event = slack.sender.message_event(CLEAN_IP, channel="D_DM", channel_type="im")
    await slack.sender.event(event)
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert f"{CLEAN_IP} is not listed" in update.params["blocks"][0]["text"]["text"]
    (placeholder,) = slack.fake.calls_to("chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]  # in the pasted message's thread, as in channels


@pytest.mark.parametrize("text", ["thanks!", "ok, looking into it now", ":+1:"])
async def test_direct_message_chat_gets_no_reply_and_costs_no_lookup(slack, dns, text):
    await slack.sender.event(slack.sender.message_event(text, channel="D_DM", channel_type="im"))
    await settle()
    assert slack.fake.calls_to("chat.postMessage") == [] and dns.query_count == 0


async def test_direct_message_help_gets_the_help(slack, dns):
    await slack.sender.event(slack.sender.message_event("help", channel="D_DM", channel_type="im"))
    (post,) = await wait_calls(slack.fake, "chat.postMessage")
    assert "/spamhaus help" in post.params["text"] and dns.query_count == 0
    assert not post.params.get("thread_ts")  # the next message of the conversation, not a thread


@pytest.mark.parametrize("subtype", ["file_share", "thread_broadcast"])
async def test_bounce_pasted_with_a_file_or_broadcast_from_a_thread_is_diagnosed(slack, subtype):
    extra = {"files": [{"id": "F1", "name": "bounce.eml"}]} if subtype == "file_share" else {
        "thread_ts": "1690000000.000007"}
    event = slack.sender.message_event(BOUNCE, subtype=subtype, **extra)
    await slack.sender.event(event)
    (placeholder,) = await wait_calls(slack.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event.get("thread_ts", event["ts"])
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert "SBL654321" in _text(update)


# --- mentions -----------------------------------------------------------------------------------

async def test_mention_with_an_ip_is_answered_in_the_thread(slack):
    event = slack.sender.message_event(f"<@{BOT_USER_ID}> {CLEAN_IP}", kind="app_mention")
    event["text"] = f"<@{BOT_USER_ID}> {CLEAN_IP}"  # the mention itself is Slack markup, not escaped
    await slack.sender.event(event)
    (placeholder,) = await wait_calls(slack.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert CLEAN_IP in update.params["blocks"][0]["text"]["text"]


async def test_mention_alone_gets_the_help(slack, dns):
    event = slack.sender.message_event("", kind="app_mention")
    event["text"] = f"<@{BOT_USER_ID}>"
    await slack.sender.event(event)
    (post,) = await wait_calls(slack.fake, "chat.postMessage")
    assert "/spamhaus help" in post.params["text"] and dns.query_count == 0
    assert post.params["thread_ts"] == event["ts"]  # a mention is answered in its thread


@pytest.mark.parametrize("words", ["hi, can you help?", "thanks!"])
async def test_mention_without_an_ip_or_bounce_gets_the_help(slack, dns, words):
    event = slack.sender.message_event("", kind="app_mention")
    event["text"] = f"<@{BOT_USER_ID}> {words}"
    await slack.sender.event(event)
    (post,) = await wait_calls(slack.fake, "chat.postMessage")
    assert post.params["thread_ts"] == event["ts"]
    assert "/spamhaus help" in post.params["text"]
    await settle(0.1)
    assert slack.fake.calls_to("chat.update") == [] and dns.query_count == 0


@pytest.mark.parametrize("mention_first", [True, False])
async def test_mention_with_a_bounce_arrives_twice_and_is_answered_once(slack, mention_first):
    ts = slack.sender.new_ts()
    text = f"<@{BOT_USER_ID}> " + BOUNCE.replace("<", "&lt;").replace(">", "&gt;")
    mention = {**slack.sender.message_event("", kind="app_mention", ts=ts), "text": text}
    message = {**slack.sender.message_event("", ts=ts), "text": text}
    for event in ([mention, message] if mention_first else [message, mention]):
        assert (await slack.sender.event(event)).status == 200
    await wait_calls(slack.fake, "chat.update")
    await settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


# --- language -----------------------------------------------------------------------------------

async def test_zh_tw_user_is_answered_in_traditional_chinese(slack):
    await slack.sender.event(slack.sender.message_event(BOUNCE, user="U_TW"))
    (placeholder,) = await wait_calls(slack.fake, "chat.postMessage")
    assert "正在" in placeholder.params["text"]
    (update,) = await wait_calls(slack.fake, "chat.update")
    text = _text(update)
    assert "已被列入" in text and "立即重新查詢" in text
    assert slack.fake.calls_to("users.info")[0].params["user"] == "U_TW"


async def test_zh_tw_command_is_answered_in_traditional_chinese(slack):
    await slack.sender.command(LISTED_IP, user="U_TW")
    summary, details = await wait_calls(slack.fake, "chat.postMessage", 2)
    assert "已被列入" in summary.params["blocks"][0]["text"]["text"]
    assert "解決步驟" in _text(details)


async def test_locale_lookup_failure_falls_back_to_the_default_language(slack):
    slack.fake.failing_users.add("U_GONE")
    await slack.sender.command("help", user="U_GONE")
    (response,) = await wait_calls(slack.fake, "response_url")
    assert "Bounce Doctor" in response.params["text"] and "this help" in response.params["text"]


async def test_locale_is_looked_up_once_per_user_and_never_before_the_ack(slack):
    for _ in range(3):
        reply = await slack.sender.command("help", user="U_TW")
        assert reply.body == ""
    responses = await wait_calls(slack.fake, "response_url", 3)
    assert all("說明" in response.params["text"] for response in responses)
    assert len(slack.fake.calls_to("users.info")) == 1


async def test_locale_lookup_that_loses_its_connection_still_gets_an_answer(slack):
    """A dropped connection is not a SlackApiError: it must not take the answer down with it."""
    slack.fake.drop_connection("users.info", times=10)  # more than slack_sdk and aiohttp retry
    await slack.sender.command(LISTED_IP, user="U_TW")
    summary, _ = await wait_calls(slack.fake, "chat.postMessage", 2)
    assert f"{LISTED_IP} is listed" in summary.params["blocks"][0]["text"]["text"]  # the default language
    assert {call.status for call in slack.fake.calls_to("users.info")} == {DROP}


# --- hostile text -------------------------------------------------------------------------------

async def test_hostile_whois_txt_and_bounce_text_never_reach_slack_unescaped(slack, dns):
    list_ip(dns, LISTED_IP, "bl.spamcop.net", "127.0.0.2",
            txt="<!here> *Blocked* see <https://evil.example/x|https://www.spamcop.net/bl.shtml>")
    hostile_bounce = (f"550 5.7.1 <!channel> *urgent* Client host [{LISTED_IP}] blocked using zen.spamhaus.org "
                      "<https://evil.example|spamhaus.org> <@U0ADMIN> `code`")
    await slack.sender.event(slack.sender.message_event(hostile_bounce))
    await slack.sender.command(hostile_bounce)
    await wait_calls(slack.fake, "chat.update")
    await wait_calls(slack.fake, "chat.postMessage", 3)
    sent = slack.fake.everything_sent()
    assert "Hosting Ltd" in sent and "Blocked" in sent  # the hostile WHOIS and TXT were shown ...
    for dangerous in ("<!channel>", "<!here>", "<@U0ADMIN>", "<https://evil.example|spamhaus.org>",
                      "<https://evil.example/x|https://www.spamcop.net"):
        assert dangerous not in sent  # ... but never as Slack markup: no ping, no disguised link
    # A link taken from a TXT record is shown with its real host as the label.
    assert "<https://evil.example/x|details (evil.example)>" in sent


# --- buttons and shortcut -----------------------------------------------------------------------

async def test_recheck_button_updates_the_same_message_with_fresh_lookups(slack, dns):
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    (update,) = await wait_calls(slack.fake, "chat.update")
    queries_before = _zone_queries(dns, LISTED_IP)
    reply = await slack.sender.click(update, "recheck")
    assert reply.status == 200
    first, second = await wait_calls(slack.fake, "chat.update", 2)
    assert (second.params["channel"], second.params["ts"]) == (first.params["channel"], first.params["ts"])
    assert "SBL654321" in _text(second)
    assert _zone_queries(dns, LISTED_IP) > queries_before  # not served from the cache


async def test_recheck_of_a_command_summary_updates_it_and_adds_details_to_its_thread(slack):
    await slack.sender.command(LISTED_IP)
    summary, _ = await wait_calls(slack.fake, "chat.postMessage", 2)
    await slack.sender.click(summary, "recheck")
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert update.params["ts"] == summary.response["ts"]
    assert "in the thread" in _text(update)
    posts = await wait_calls(slack.fake, "chat.postMessage", 3)
    assert posts[2].params["thread_ts"] == summary.response["ts"]


async def test_recheck_by_someone_in_another_language_keeps_the_messages_language(slack):
    """The answer in the thread is read by everyone there: a click by a zh-TW user re-checks it but
    does not rewrite it in Chinese."""
    await slack.sender.event(slack.sender.message_event(BOUNCE, user="U_EN"))
    (update,) = await wait_calls(slack.fake, "chat.update")
    await slack.sender.click(update, "recheck", user="U_TW")
    _, rechecked = await wait_calls(slack.fake, "chat.update", 2)
    text = _text(rechecked)
    assert "Re-check now" in text and "立即重新查詢" not in text and "已被列入" not in text


async def test_recheck_with_an_unreadable_value_apologises_to_the_clicker(slack):
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    (update,) = await wait_calls(slack.fake, "chat.update")
    await slack.sender.click(update, "recheck", user="U_TW", value='{"from": "an older version"}')
    (apology,) = await wait_calls(slack.fake, "response_url")
    assert apology.params["response_type"] == "ephemeral" and "參考編號" in apology.params["text"]
    await settle(0.1)
    assert len(slack.fake.calls_to("chat.update")) == 1


async def test_lookup_button_click_is_acknowledged(slack):
    await slack.sender.command(LISTED_IP)
    summary, _ = await wait_calls(slack.fake, "chat.postMessage", 2)
    reply = await slack.sender.click(summary, "open_lookup")
    assert reply.status == 200
    await settle(0.1)
    assert slack.fake.calls_to("chat.update") == []


async def test_message_shortcut_answers_in_the_messages_thread(slack):
    reply = await slack.sender.shortcut(BOUNCE, ts="1699000000.000042")
    assert reply.status == 200
    (placeholder,) = await wait_calls(slack.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == "1699000000.000042"
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert "SBL654321" in _text(update)


async def test_message_shortcut_where_the_bot_is_not_a_member_answers_privately(slack):
    slack.fake.not_in_channel.add("C_ELSEWHERE")
    await slack.sender.shortcut(BOUNCE, channel="C_ELSEWHERE")
    (response,) = await wait_calls(slack.fake, "response_url")
    assert response.params["response_type"] == "ephemeral"
    assert "not a member" in _text(response) and "SBL654321" in _text(response)


async def test_app_home_is_published_in_the_users_language(slack):
    await slack.sender.event({"type": "app_home_opened", "user": "U_TW", "channel": "D_HOME", "tab": "home",
                              "event_ts": "1.1"})
    (publish,) = await wait_calls(slack.fake, "views.publish")
    assert publish.params["user_id"] == "U_TW"
    assert "使用方式" in json.dumps(publish.params["view"], ensure_ascii=False)


# --- failures -----------------------------------------------------------------------------------

async def test_rate_limited_post_is_retried_after_retry_after(slack):
    slack.fake.rate_limit_once("chat.postMessage", retry_after=1)
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    refused, accepted = await wait_calls(slack.fake, "chat.postMessage", 2, timeout=10)
    assert refused.response == {"ok": False, "error": "ratelimited"}
    assert accepted.at - refused.at >= 1.0
    (update,) = await wait_calls(slack.fake, "chat.update")
    assert update.params["ts"] == accepted.response["ts"]


async def test_rate_limited_update_is_retried_after_retry_after(slack):
    slack.fake.rate_limit_once("chat.update", retry_after=1)
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    refused, accepted = await wait_calls(slack.fake, "chat.update", 2, timeout=10)
    assert refused.status == 429 and accepted.at - refused.at >= 1.0
    assert accepted.params["ts"] == refused.params["ts"] and "SBL654321" in _text(accepted)


async def test_rate_limited_response_url_is_retried_after_retry_after(slack):
    slack.fake.rate_limit_once("response_url", retry_after=1)
    await slack.sender.command("help")
    refused, delivered = await wait_calls(slack.fake, "response_url", 2, timeout=10)
    assert refused.status == 429 and delivered.at - refused.at >= 1.0
    assert "this help" in delivered.params["text"]


async def test_refused_response_url_is_logged_and_the_asker_gets_an_apology(slack, caplog):
    """Slack refuses a response_url message with a status and a word (``expired_url``,
    ``invalid_blocks``), not an exception: the refusal must not pass for a delivery."""
    caplog.set_level(logging.ERROR, logger="bot.slack")
    slack.fake.not_in_channel.add("C_PRIVATE")
    slack.fake.refuse_response_url_once(400, "invalid_blocks")
    await slack.sender.command(LISTED_IP, channel="C_PRIVATE")
    refused, apology = await wait_calls(slack.fake, "response_url", 2)
    assert refused.status == 400 and refused.params["response_type"] == "in_channel"
    assert apology.params["response_type"] == "ephemeral"
    ref = re.search(r"reference: ([0-9A-F]{8})", apology.params["text"]).group(1)
    assert any(ref in record.getMessage() and "invalid_blocks" in str(record.exc_info[1])
               for record in caplog.records if record.exc_info)


async def test_failure_inside_the_diagnosis_becomes_an_apology_with_a_reference(slack, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("bug in the advice")

    monkeypatch.setattr("bot.diagnosis.advice.classify", broken)
    caplog.set_level(logging.ERROR, logger="bot.slack")
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    (update,) = await wait_calls(slack.fake, "chat.update")
    match = re.search(r"reference: ([0-9A-F]{8})", update.params["text"])
    assert match, update.params["text"]
    assert "Traceback" not in slack.fake.everything_sent() and "bug in the advice" not in slack.fake.everything_sent()
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and "bug in the advice" in str(logged[0].exc_info[1])

    monkeypatch.undo()  # the process keeps serving
    await slack.sender.command(LISTED_IP)
    await wait_calls(slack.fake, "chat.postMessage", 3)


async def test_failed_command_diagnosis_apologises_to_the_asker(slack, monkeypatch):
    monkeypatch.setattr("bot.diagnosis.advice.classify", lambda *a, **k: 1 / 0)
    await slack.sender.command(LISTED_IP)
    (response,) = await wait_calls(slack.fake, "response_url", where=lambda c: "reference" in c.params["text"])
    assert response.params["response_type"] == "ephemeral"
    await settle(0.1)
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_secrets_never_appear_in_logs_or_replies(slack, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    await slack.sender.command(LISTED_IP)
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    await wait_calls(slack.fake, "chat.update")
    await wait_calls(slack.fake, "chat.postMessage", 3)
    monkeypatch.setattr("bot.diagnosis.advice.classify", lambda *a, **k: 1 / 0)
    await slack.sender.event(slack.sender.message_event(BOUNCE))
    await wait_calls(slack.fake, "chat.update", 2)
    await wait_calls(slack.fake, "chat.postMessage", 4)
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    sent = slack.fake.everything_sent()
    for secret in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN):
        assert secret not in logged
        assert secret not in sent


async def test_response_url_is_never_logged(slack, caplog):
    """Whoever holds a response_url can post into the conversation: it is a credential for 30 minutes."""
    caplog.set_level(logging.DEBUG)
    await slack.sender.command("help")
    await wait_calls(slack.fake, "response_url")
    await settle(0.1)
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert slack.fake.response_url("cmd-U_EN") not in logged and "/response/" not in logged


async def test_a_bounce_blaming_two_ips_is_answered_once_with_both(slack, dns):
    list_ip(dns, "203.0.113.21", "zen.spamhaus.org", "127.0.0.2")
    bounce = ("<a@example.net>: host mx1.example.net[198.51.100.7] said: 554 5.7.1 Service unavailable; "
              "Client host [203.0.113.21] blocked using zen.spamhaus.org (in reply to RCPT TO command)\n"
              "<b@example.org>: host mx.example.org[198.51.100.9] said: 554 5.7.1 Service unavailable; "
              "Client host [203.0.113.22] blocked using zen.spamhaus.org (in reply to RCPT TO command)")
    await slack.sender.event(slack.sender.message_event(bounce))
    (update,) = await wait_calls(slack.fake, "chat.update")
    text = _text(update)
    assert "This bounce blames 2 IP addresses" in text
    assert "203.0.113.21 is listed" in text and "203.0.113.22 is not listed" in text
    assert_within_limits(update.params)
    await settle()
    assert len(slack.fake.calls_to("chat.update")) == 1
