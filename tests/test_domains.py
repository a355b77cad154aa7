"""A bounce that blames a domain (DBL, ZRD, "MailFrom domain listed", URI lists): the domains it names
are asked of Spamhaus's domain lists on the loopback DNS server, their answers decoded (refusals and
the error range as "could not check"), and the answer gives the DBL removal route."""

from __future__ import annotations

import json

import pytest

from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.dnsbl import domain_name
from bot.diagnosis.model import DnsblStatus
from bot.diagnosis.options import LookupOptions, Nameserver, OwnContext
from bot.render.common import present
from bot.render.text import render_text
from loopback.dnsbl_zones import checker, list_domain, serve_healthy_lists
from tests.support.slack_harness import wait_calls
from tests.support.slack_limits import mrkdwn_texts

DBL = "dbl.spamhaus.org"
DQS_KEY = "abcdefghijklmnopqrstuvwxyz"
SPAMMY = "spam-example.net"
DBL_BOUNCE = (f"550 5.7.1 Service unavailable; Sender address [alice@{SPAMMY}] blocked using dbl.spamhaus.org; "
              f"https://www.spamhaus.org/query/domain/{SPAMMY}")
MAILFROM_BOUNCE = ("<bob@example.org>: host mx.example.org[198.51.100.9] said: 550-5.1.0 MXIN506 MailFrom domain is "
                   f"listed in Spamhaus.\nFrom: Alice <alice@{SPAMMY}>")
URI_BOUNCE = ("554 5.7.1 <bob@example.org>: Recipient address rejected: Message contains a URI listed in "
              "multi.surbl.org (http://bad-link.example.com/x)")


@pytest.fixture
def healthy(dns):
    serve_healthy_lists(dns)
    return dns


def diagnoser(dns, **options) -> Diagnoser:
    lookups = LookupOptions(nameservers=(Nameserver("127.0.0.1", dns.port),), dns_timeout=0.5, deadline=2.0,
                            rdap_timeout=1.0, **options)
    return Diagnoser.create(lookups, OwnContext())


# --- the domain lists' answers -------------------------------------------------------------------

@pytest.mark.parametrize(("code", "meaning"), [
    ("127.0.1.2", "spamhaus.dbl_spam"), ("127.0.1.4", "spamhaus.dbl_phish"), ("127.0.1.5", "spamhaus.dbl_malware"),
    ("127.0.1.6", "spamhaus.dbl_botnet_cc"), ("127.0.1.102", "spamhaus.dbl_abused_spam"),
    ("127.0.1.103", "spamhaus.dbl_abused_redirector"), ("127.0.1.106", "spamhaus.dbl_abused_botnet_cc"),
])
async def test_dbl_codes_are_decoded_with_their_reason_and_the_domain_lookup_page(healthy, code, meaning):
    list_domain(healthy, SPAMMY, DBL, code, txt=f"https://www.spamhaus.org/query/domain/{SPAMMY}")
    report = await checker(healthy).check_domain(SPAMMY)
    (listing,) = report.listings
    assert (report.status, listing.list, listing.code, listing.meaning) == ("listed", "DBL", code, meaning)
    assert listing.url == f"https://www.spamhaus.org/query/domain/{SPAMMY}"
    assert listing.zone == DBL


async def test_a_listing_without_a_txt_links_spamhauss_domain_page(healthy):
    list_domain(healthy, SPAMMY, DBL, "127.0.1.2")
    (listing,) = (await checker(healthy).check_domain(SPAMMY)).listings
    assert listing.url == f"https://check.spamhaus.org/query/domain/{SPAMMY}"


@pytest.mark.parametrize(("answer", "error"), [
    ("127.0.1.255", "bad_answer"),  # "you asked a domain list with an IP": a refusal, never a listing
    ("127.255.255.254", "open_resolver"), ("127.255.255.255", "rate_limited"), ("127.255.255.252", "zone_typo"),
    ("127.255.255.200", "spamhaus_error"),  # anywhere in the error range
    ("127.0.1.77", "unknown_code"),  # a code the table does not know: never a listing
])
async def test_refusals_and_the_error_range_are_could_not_check(healthy, answer, error):
    list_domain(healthy, SPAMMY, DBL, answer)
    report = await checker(healthy).check_domain(SPAMMY)
    (zone,) = report.zones
    assert (report.status, zone.status, zone.error, report.listings) == ("unknown", "unknown", error, ())


async def test_nxdomain_is_not_listed_only_when_the_test_points_pass(dns):
    assert (await checker(dns).check_domain(SPAMMY)).status == "unknown"  # dbltest.com not listed: untrusted
    dns.clear()
    serve_healthy_lists(dns)
    report = await checker(dns).check_domain(SPAMMY, fresh=True)
    assert report.status == "not_listed" and report.self_test.ok
    assert [zone.zone for zone in report.zones] == [DBL] and report.skipped == ("zrd.spamhaus.org",)


async def test_with_a_dqs_key_dbl_and_zrd_are_asked_and_the_key_never_shows(dns):
    serve_healthy_lists(dns, dqs_key=DQS_KEY)
    list_domain(dns, SPAMMY, f"{DQS_KEY}.zrd.dq.spamhaus.net", "127.0.2.5")
    report = await checker(dns, dqs_key=DQS_KEY).check_domain(SPAMMY)
    assert [zone.zone for zone in report.zones] == ["dbl.dq.spamhaus.net", "zrd.dq.spamhaus.net"]
    (listing,) = report.listings
    assert (listing.list, listing.meaning, listing.removal) == ("ZRD", "spamhaus.zrd", "expires")
    assert DQS_KEY not in json.dumps([zone.__dict__ for zone in report.zones], default=str)


def test_domain_names_are_normalised_and_everything_else_refused():
    assert domain_name(" Spam-Example.NET. ") == "spam-example.net"
    assert domain_name("bücher.example") == "xn--bcher-kva.example"
    for bad in ("192.0.2.1", "localhost", "-bad-.example", "a..b", "x" * 64 + ".example", "a b.example", ""):
        with pytest.raises(ValueError):
            domain_name(bad)


# --- the diagnosis --------------------------------------------------------------------------------

async def test_a_dbl_bounce_without_an_ip_is_diagnosed_by_its_domain(healthy):
    list_domain(healthy, SPAMMY, DBL, "127.0.1.2")
    found = diagnoser(healthy)
    diagnosis = await found.diagnose(DBL_BOUNCE)
    assert diagnosis.ip is None and diagnosis.ip_problem is None
    assert [(check.domain, check.report.status) for check in diagnosis.domains] == [(SPAMMY, "listed")]
    view = present(diagnosis, "en")
    assert view.status == "listed" and view.headline == f"{SPAMMY} is listed: Spamhaus DBL"
    # The sender's own domain: find the cause, then the DBL removal route (Spamhaus's domain page)
    assert [step.key for step in diagnosis.fix] == ["fix.domain.own"]
    assert diagnosis.fix[0].url == f"https://check.spamhaus.org/query/domain/{SPAMMY}"
    assert view.lookup_url == f"https://check.spamhaus.org/query/domain/{SPAMMY}"
    text = render_text(diagnosis, "zh-TW")
    assert f"{SPAMMY} 已被列入" in text and "申請移除" in text
    found.close()


async def test_a_listed_link_in_the_message_is_taken_out_and_not_delisted_by_the_sender(healthy):
    list_domain(healthy, "bad-link.example.com", DBL, "127.0.1.2")
    found = diagnoser(healthy)
    diagnosis = await found.diagnose(URI_BOUNCE)
    assert [step.key for step in diagnosis.fix] == ["fix.domain.in_message"]
    found.close()


async def test_an_abused_domain_and_a_lapsed_one_get_their_own_advice(healthy):
    list_domain(healthy, SPAMMY, DBL, "127.0.1.102")
    found = diagnoser(healthy)
    assert [step.key for step in (await found.diagnose(MAILFROM_BOUNCE)).fix] == ["fix.domain.abused"]
    healthy.clear()
    serve_healthy_lists(healthy)
    diagnosis = await found.diagnose_bounce(found.parse(MAILFROM_BOUNCE), fresh=True)
    assert diagnosis.domain_status == DnsblStatus.NOT_LISTED
    assert [step.key for step in diagnosis.fix] == ["fix.domain.not_listed"]
    assert present(diagnosis, "en").headline == f"{SPAMMY} is not listed on any list checked"
    found.close()


async def test_an_ip_and_a_domain_both_blamed_are_both_checked_and_the_domain_leads(healthy):
    list_domain(healthy, SPAMMY, DBL, "127.0.1.2")
    found = diagnoser(healthy)
    text = f"Client host [192.0.2.44] rejected: {DBL_BOUNCE}"
    diagnosis = await found.diagnose(text)
    assert diagnosis.ip == "192.0.2.44" and diagnosis.domains
    view = present(diagnosis, "en")
    assert view.headline.startswith(f"{SPAMMY} is listed: Spamhaus DBL; 192.0.2.44")
    assert view.status == "listed" and view.listings[0].title.startswith(f"Spamhaus DBL ({SPAMMY}, ")
    assert diagnosis.fix[0].key == "fix.domain.own"
    found.close()


async def test_check_json_and_exit_status_carry_the_domain_verdict(healthy, run_cli):
    list_domain(healthy, SPAMMY, DBL, "127.0.1.4")
    result = run_cli("check", "--json", DBL_BOUNCE)
    out = json.loads(result.stdout)
    assert result.returncode == 1, result.stderr  # listed
    (domain,) = out["domains"]
    assert (domain["domain"], domain["status"], domain["listings"][0]["meaning"]) == (
        SPAMMY, "listed", "spamhaus.dbl_phish")
    assert out["headline"] == f"{SPAMMY} is listed: Spamhaus DBL"


async def test_a_dbl_bounce_pasted_in_slack_is_answered_with_the_domain_verdict(slack, dns):
    list_domain(dns, SPAMMY, DBL, "127.0.1.2")
    # Slack wraps the address and the link: <mailto:…|…> and <https://…|…>
    pasted = (f"550 5.7.1 Service unavailable; Sender address [<mailto:alice@{SPAMMY}|alice@{SPAMMY}>] blocked "
              f"using dbl.spamhaus.org; <https://www.spamhaus.org/query/domain/{SPAMMY}>")
    event = slack.sender.message_event("")
    event["text"] = pasted
    await slack.sender.event(event)
    (update,) = await wait_calls(slack.fake, "chat.update")
    texts = "\n".join(mrkdwn_texts(update.params))
    assert f"{SPAMMY} is listed: Spamhaus DBL" in texts and "check.spamhaus.org/query/domain" in texts
