"""The verdict and the route an engineer acts on, for the cases that used to send people down the
wrong path: Microsoft's own blocks, whose problem it is, and each list's own way out. The real
Diagnoser against loopback DNS and recorded RDAP where lookups matter; parser and advice alone
where they do not."""

from __future__ import annotations

import ipaddress

import pytest

from bot.diagnosis.advice import classify, fix_steps
from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.model import BlocklistMention, Bounce, DnsblReport, Listing, Owner, ZoneResult
from bot.diagnosis.options import LookupOptions, Nameserver, OwnContext
from bot.diagnosis.parse import parse_bounce
from bot.diagnosis.providers import microsoft, spamhaus
from bot.render.common import present
from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.rdap_server import serve_owner_fixtures

IP = "192.0.2.61"


def _keys(steps):
    return [step.key for step in steps]


@pytest.fixture
def diagnose(dns, rdap):
    """``await diagnose(text, own=OwnContext(...))`` with the real Diagnoser on loopback."""
    serve_healthy_lists(dns)
    serve_owner_fixtures(dns, rdap)
    made = []

    async def run(text: str, own: OwnContext | None = None):
        options = LookupOptions(nameservers=(Nameserver(dns.host, dns.port),), dns_timeout=0.5, deadline=3.0,
                                rdap_relay=rdap.url)
        diagnoser = Diagnoser.create(options, own)
        made.append(diagnoser)
        return await diagnoser.diagnose(text)

    yield run
    for diagnoser in made:
        diagnoser.close()


# --- Microsoft --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    f"550 5.7.1 Unfortunately, messages from [{IP}] weren't sent. Please contact your Internet service provider "
    "since part of their network is on our block list (S3150). You can also refer your provider to "
    "http://mail.live.com/mail/troubleshooting.aspx#errors.",
    f"550 5.7.1 Unfortunately, messages from [{IP}] weren't sent. Part of their network is on our block list "
    "(AS3140) [AM4PEPF00027A6C.eurprd04.prod.outlook.com]",
    f"451 4.7.650 The mail server [{IP}] has been temporarily rate limited due to IP reputation. For e-mail "
    "delivery information, see https://postmaster.live.com (S775) "
    "[DB5EUR03FT040.eop-EUR03.prod.protection.outlook.com]",
])
def test_outlook_com_consumer_blocks_go_to_outlooks_own_form(text):
    bounce = parse_bounce(text)
    steps = fix_steps(bounce=bounce, ip=IP, case=classify(bounce, IP, None, OwnContext())[0], dnsbl=None, owner=None)
    assert (bounce.blocked_ip, bounce.blocklist.key) == (IP, "microsoft")
    assert steps[0].key == "fix.ms.outlook_form" and steps[0].url == microsoft.OUTLOOK_SENDER_SUPPORT
    assert microsoft.DELIST_PORTAL not in [step.url for step in steps]


def test_another_receivers_rate_limit_by_reputation_is_not_microsoft():
    bounce = parse_bounce(f"421 4.7.0 [TS01] Messages from {IP} temporarily deferred: rate limited due to ip "
                          "reputation; see https://postmaster.example.net")
    assert bounce.blocklist is None or bounce.blocklist.key != "microsoft"


@pytest.mark.parametrize(("text", "step"), [
    ("550 5.7.705 Access denied, tenant has exceeded threshold. For more information please go to "
     "https://go.microsoft.com/fwlink/?LinkId=526653", "fix.ms.tenant"),
    ("550 5.7.708 Access denied, traffic not accepted from this IP.", "fix.ms.tenant"),
    ("550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.",
     "fix.ms.unregistered_domain"),
    ("550 5.7.501 Access denied, spam abuse detected. The sending account has been banned.",
     "fix.ms.account_banned"),
    ("451 4.7.851 Access denied, please try again later.", "fix.ms.ip_restricted"),
])
async def test_microsofts_tenant_side_codes_get_their_advice_without_an_ip(diagnose, dns, text, step):
    diagnosis = await diagnose(text)

    assert (diagnosis.ip, diagnosis.ip_problem, diagnosis.case) == (None, None, "microsoft")
    assert _keys(diagnosis.fix) == [step]
    assert diagnosis.blocked_by == "microsoft" and diagnosis.dnsbl is None
    assert "Blocked by Microsoft" in present(diagnosis, "en").headline
    assert dns.query_count == 0  # nothing to look up


def test_a_connection_limit_is_a_rate_limit_not_a_block_list():
    bounce = parse_bounce(f"451 4.7.652 The mail server [{IP}] has exceeded the maximum number of connections. "
                          "[BN8NAM12FT034.eop-nam12.prod.protection.outlook.com]")
    assert (bounce.blocklist, bounce.rejection_kind) == (None, "rate_limit")


async def test_a_microsoft_list_block_is_headlined_blocked_even_when_no_dnsbl_lists_the_ip(diagnose):
    diagnosis = await diagnose(f"550 5.7.606 Access denied, banned sending IP [{IP}]. To request removal from this "
                               "list please visit https://sender.office.com/ and follow the directions.")

    view = present(diagnosis, "en")
    assert diagnosis.dnsbl.status == "not_listed" and diagnosis.blocked_by == "microsoft"
    assert view.status == "blocked" and "blocked by Microsoft" in view.headline and "not listed" not in view.headline
    assert _keys(diagnosis.fix)[:2] == ["fix.ms.delist_portal", "fix.ms.delist_wait"]


# --- whose problem it is --------------------------------------------------------------------------
OURS = OwnContext(networks=(ipaddress.ip_network("198.51.100.0/24"),), domains=("example.com",))
SPAMHAUS = BlocklistMention(key="spamhaus", name="Spamhaus", zone=spamhaus.ZEN)


def _listed(name: str, answer: str) -> DnsblReport:
    code = spamhaus.CODES[answer]
    listing = Listing(list=name, provider="spamhaus", zone=spamhaus.ZEN, code=answer, meaning=code.meaning,
                      url=spamhaus.LOOKUP.format(ip=IP), removal=code.removal)
    return DnsblReport(status="listed", zones=(ZoneResult(spamhaus.ZEN, "spamhaus", "listed", (listing,)),))


def test_configured_and_not_yours_is_never_if_it_is_your_server():
    bounce = Bounce(blocked_ip=IP, blocklist=SPAMHAUS)
    case, reason, _ = classify(bounce, IP, Owner(name="Some ISP"), OURS)
    keys = _keys(fix_steps(bounce=bounce, ip=IP, case=case, dnsbl=_listed("XBL", "127.0.0.4"), owner=Owner(),
                           configured=True))
    assert (case, reason) == ("not_yours", "case.reason.not_yours")
    assert "fix.undetermined.if_yours" not in keys and "fix.undetermined.configure" not in keys
    assert keys[:2] == ["fix.third.owner_unknown", "fix.list.xbl_owner"]


def test_exchange_online_inbound_protection_rejecting_an_ip_not_yours_is_someone_elses_server():
    text = (f"550 5.7.1 Service unavailable, Client host [{IP}] blocked using Spamhaus. To request removal from "
            f"this list see https://www.spamhaus.org/query/ip/{IP} AS(1450) "
            "[BN8NAM12FT034.eop-nam12.prod.protection.outlook.com]")
    bounce = parse_bounce(text)
    assert classify(bounce, IP, Owner(), OURS)[0] == "third_party_sender"
    ours = parse_bounce(text + "\nFrom: Alice <alice@example.com>\n")
    assert ours.sender_domain == "example.com"
    assert classify(ours, IP, Owner(), OURS)[0] == "outbound_relay"


async def test_an_ip_listed_nowhere_gets_no_delisting_steps(diagnose):
    diagnosis = await diagnose(f"554 5.7.1 Service unavailable; Client host [{IP}] blocked using zen.spamhaus.org")

    keys = _keys(diagnosis.fix)
    assert diagnosis.dnsbl.status == "not_listed"
    assert keys[0] == "fix.not_listed" and spamhaus.ZEN in diagnosis.fix[0].params["lists"]
    assert "fix.not_listed_now" in keys  # the bounce named Spamhaus: it does not list the IP now
    assert not {"fix.third.owner_must_delist", "fix.undetermined.if_yours", "fix.undetermined.if_not_yours",
                "fix.own.find_cause"} & set(keys)


# --- each list's own way out ---------------------------------------------------------------------------
@pytest.mark.parametrize(("zone", "step"), [
    ("bl.spamcop.net", "fix.list.spamcop_expires"),
    ("dnsbl-1.uceprotect.net", "fix.list.uceprotect_expires"),
])
async def test_lists_that_expire_by_themselves_get_no_request_removal(diagnose, dns, zone, step):
    list_ip(dns, IP, zone, "127.0.0.2")

    diagnosis = await diagnose(f"554 5.7.1 Service unavailable; Client host [{IP}] blocked using {zone}")

    keys = _keys(diagnosis.fix)
    assert step in keys and "fix.list.other" not in keys


@pytest.mark.parametrize(("text", "step"), [
    (f"550-5.7.1 [{IP}] The IP you're using to send mail is not authorized to send email directly to our "
     "servers. Please use the SMTP relay at your service provider instead.", "fix.named.gmail"),
    (f"421 4.7.0 [TSS04] Messages from {IP} temporarily deferred due to unexpected volume or user complaints - "
     "4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "fix.named.yahoo"),
])
async def test_gmail_and_yahoo_have_no_delisting(diagnose, text, step):
    diagnosis = await diagnose(text)
    assert step in _keys(diagnosis.fix) and "fix.list.named_not_queried" not in _keys(diagnosis.fix)


@pytest.mark.parametrize(("zone", "page"), [
    (spamhaus.ZEN, spamhaus.LOOKUP.format(ip=IP)),
    ("b.barracudacentral.org", "https://www.barracudacentral.org/rbl/removal-request"),
])
async def test_a_named_list_that_could_not_be_checked_still_gets_its_removal_link(diagnose, dns, zone, page):
    dns.servfail(zone)

    diagnosis = await diagnose(f"554 5.7.1 Service unavailable; Client host [{IP}] blocked using {zone}")

    (named,) = [step for step in diagnosis.fix if step.key == "fix.list.named_unchecked"]
    assert named.url == page
