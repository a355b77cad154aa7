"""Ownership case x listing -> fix steps, on plain values (no I/O)."""

import ipaddress

import pytest

from bot.diagnosis.advice import classify, fix_steps, problem_steps
from bot.diagnosis.model import BlocklistMention, Bounce, DnsblReport, Listing, Owner, ZoneResult
from bot.diagnosis.options import OwnContext
from bot.diagnosis.providers import microsoft, spamhaus

IP = "198.51.100.20"
SPAMHAUS = BlocklistMention(key="spamhaus", name="Spamhaus", zone="zen.spamhaus.org")


def _bounce(**kw):
    return Bounce(blocked_ip=IP, blocklist=kw.pop("blocklist", SPAMHAUS), **kw)


def _listing(name, code="127.0.0.2", **kw):
    """A listing as the checker decodes it from zen's ``code``, with its removal route from the table."""
    return Listing(list=name, provider=kw.pop("provider", "spamhaus"), zone="zen.spamhaus.org", code=code,
                   meaning=f"spamhaus.{name.lower()}", removal=spamhaus.CODES[code].removal, **kw)


def _report(*listings, status=None):
    zone = ZoneResult(zone="zen.spamhaus.org", provider="spamhaus", status="listed" if listings else "not_listed",
                      listings=tuple(listings))
    return DnsblReport(status=status or zone.status, zones=(zone,))


def _keys(steps):
    return [step.key for step in steps]


def test_ip_in_own_networks_is_own_server():
    settings = OwnContext(networks=(ipaddress.ip_network("198.51.100.0/24"),))
    case, reason, params = classify(_bounce(), IP, Owner(name="Someone"), settings)
    assert (case, reason, params) == ("own_server", "case.reason.own_network", {"network": "198.51.100.0/24"})


def test_own_asn_and_confirmed_rdns_in_own_domain_are_own_server():
    assert classify(_bounce(), IP, Owner(asn="64500"), OwnContext(asns=("64500",)))[0] == "own_server"
    owner = Owner(rdns="mail.example.com", rdns_confirmed=True)
    assert classify(_bounce(), IP, owner, OwnContext(domains=("example.com",)))[0] == "own_server"


def test_unconfirmed_rdns_does_not_prove_ownership():
    owner = Owner(rdns="mail.example.com", rdns_confirmed=False)
    assert classify(_bounce(), IP, owner, OwnContext(domains=("example.com",)))[0] != "own_server"


def test_microsoft_code_in_bounce_wins_over_everything():
    bounce = _bounce(blocklist=BlocklistMention(key="microsoft", name="Microsoft", code="5.7.606"))
    settings = OwnContext(networks=(ipaddress.ip_network("198.51.100.0/24"),))
    assert classify(bounce, IP, Owner(), settings)[0] == "microsoft"
    assert _keys(fix_steps(bounce=bounce, ip=IP, case="microsoft", dnsbl=_report(), owner=Owner()))[0] == \
        "fix.ms.delist_portal"


EXCHANGE_ONLINE_IP = "40.107.22.33"  # in Exchange Online's published sending ranges


def test_an_exchange_online_sending_ip_listed_on_spamhaus_is_microsofts_to_fix():
    owner = Owner(name="Microsoft Corporation", asn="8075")
    case, reason, _ = classify(_bounce(), EXCHANGE_ONLINE_IP, owner, OwnContext())
    steps = fix_steps(bounce=_bounce(), ip=EXCHANGE_ONLINE_IP, case=case, dnsbl=_report(_listing("SBL")), owner=owner)
    assert (case, reason) == ("microsoft", "case.reason.microsoft_server")
    assert _keys(steps) == ["fix.ms.their_ip"]


def test_a_confirmed_outbound_protection_name_is_microsofts_server_and_an_unconfirmed_one_is_not():
    name = "mail-db8eur05on2093.outbound.protection.outlook.com"
    assert classify(_bounce(), IP, Owner(rdns=name, rdns_confirmed=True), OwnContext())[0] == "microsoft"
    assert classify(_bounce(), IP, Owner(rdns=name, rdns_confirmed=False), OwnContext())[0] != "microsoft"


def test_an_azure_vm_in_as8075_is_not_microsofts_own_server():
    azure = Owner(name="Microsoft Corporation", asn="8075", rdns="vm1.cloudapp.azure.com", rdns_confirmed=True)
    assert classify(_bounce(), "20.50.2.9", azure, OwnContext())[0] == "undetermined"
    mine = OwnContext(networks=(ipaddress.ip_network("20.50.2.0/24"),))
    assert classify(_bounce(), "20.50.2.9", azure, mine)[0] == "own_server"


def test_sender_domain_ours_and_ip_not_is_outbound_relay():
    bounce = _bounce(sender_domain="example.com")
    owner = Owner(name="SendGrid, Inc.")
    case, _reason, params = classify(bounce, IP, owner, OwnContext(domains=("example.com",)))
    assert case == "outbound_relay" and params == {"service": "SendGrid (Twilio)"}


def test_recipient_domain_ours_and_ip_not_is_third_party_sender():
    bounce = _bounce(recipient_domain="mail.example.com")
    assert classify(bounce, IP, Owner(name="Other ISP"), OwnContext(domains=("example.com",)))[0] == \
        "third_party_sender"


def test_a_relay_service_decides_outbound_relay_only_when_the_bounce_shows_your_sender_domain():
    ses = Owner(rdns="a8-30.smtp-out.amazonses.com", rdns_confirmed=True)
    case, reason, params = classify(_bounce(), IP, ses, OwnContext())
    assert (case, reason, params) == ("undetermined", "case.reason.relay_direction_unknown", {"service": "Amazon SES"})
    ours = OwnContext(domains=("example.com",))
    assert classify(_bounce(sender_domain="example.com"), IP, ses, ours)[0] == "outbound_relay"


def test_relay_services_are_known_by_confirmed_rdns_not_by_a_word_in_a_big_companys_name():
    google_cloud = Owner(name="Google LLC", rdns="9.2.0.192.bc.googleusercontent.com", rdns_confirmed=True)
    ours = OwnContext(domains=("example.com",))
    bounce = _bounce(sender_domain="example.com")
    assert classify(bounce, IP, google_cloud, ours)[2] == {"domain": "example.com"}  # no service named
    spoofed = Owner(rdns="mail.sendgrid.net", rdns_confirmed=False)
    assert classify(bounce, IP, spoofed, ours)[1] == "case.reason.outbound_sender"
    gmail = Owner(name="Google LLC", rdns="mail-ej1-f41.google.com", rdns_confirmed=True)
    assert classify(bounce, IP, gmail, ours)[2] == {"service": "Google Workspace / Gmail"}


def test_nothing_configured_is_undetermined_and_shows_both_routes():
    case, reason, _ = classify(_bounce(), IP, Owner(name="Some ISP"), OwnContext())
    steps = fix_steps(bounce=_bounce(), ip=IP, case=case, dnsbl=_report(_listing("XBL", "127.0.0.4")),
                      owner=Owner(name="Some ISP", abuse=("abuse@isp.example",)))
    assert (case, reason) == ("undetermined", "case.reason.unconfigured")
    keys = _keys(steps)
    assert keys.index("fix.undetermined.if_yours") < keys.index("fix.list.xbl") < keys.index(
        "fix.undetermined.if_not_yours")
    assert "fix.undetermined.configure" in keys


def test_sbl_comes_first_with_its_ticket_because_it_blocks_other_removals():
    report = _report(_listing("PBL", "127.0.0.11"), _listing("SBL", ticket="SBL123456"))
    steps = fix_steps(bounce=_bounce(), ip=IP, case="own_server", dnsbl=report, owner=Owner())
    keys = _keys(steps)
    assert keys.index("fix.list.sbl") < keys.index("fix.list.pbl")
    sbl = steps[keys.index("fix.list.sbl")]
    assert sbl.params["ticket"] == "SBL123456" and "SBL123456" in sbl.url


def test_spamhaus_marked_pbl_for_someone_elses_server_tells_the_owner_about_static_ip():
    steps = fix_steps(bounce=_bounce(), ip=IP, case="third_party_sender", dnsbl=_report(_listing("PBL", "127.0.0.11")),
                      owner=Owner(name="ISP", abuse=("abuse@isp.example",)))
    assert _keys(steps)[:2] == ["fix.third.owner_must_delist", "fix.list.pbl_owner"]


@pytest.mark.parametrize(("owner", "key", "params"), [
    (Owner(name="ISP", abuse=("abuse@isp.example",)), "fix.third.owner_must_delist", {"owner", "abuse", "ip"}),
    (Owner(name="ISP"), "fix.third.owner_must_delist_no_abuse", {"owner", "ip"}),
    (Owner(), "fix.third.owner_unknown", {"ip"}),
])
def test_the_owners_step_says_only_what_the_registry_told(owner, key, params):
    report = _report(_listing("XBL", "127.0.0.4"))
    (step, *_) = fix_steps(bounce=_bounce(), ip=IP, case="third_party_sender", dnsbl=report, owner=owner)
    assert (step.key, set(step.params)) == (key, params)


@pytest.mark.parametrize("case", ["own_server", "third_party_sender", "not_yours", "undetermined"])
def test_isp_marked_pbl_is_asked_of_the_provider_in_every_case(case):
    steps = fix_steps(bounce=_bounce(), ip=IP, case=case, dnsbl=_report(_listing("PBL", "127.0.0.10")), owner=Owner())
    assert "fix.list.pbl_isp" in _keys(steps) and "fix.list.pbl" not in _keys(steps)


@pytest.mark.parametrize("case", ["own_server", "undetermined"])
def test_a_pbl_only_listing_never_sends_you_hunting_for_a_compromise(case):
    keys = _keys(fix_steps(bounce=_bounce(), ip=IP, case=case, dnsbl=_report(_listing("PBL", "127.0.0.11")),
                           owner=Owner()))
    assert "fix.own.find_cause" not in keys and "fix.undetermined.if_yours" not in keys
    keys = _keys(fix_steps(bounce=_bounce(), ip=IP, case=case, dnsbl=_report(_listing("XBL", "127.0.0.4")),
                           owner=Owner()))
    assert "fix.own.find_cause" in keys or "fix.undetermined.if_yours" in keys


def test_css_for_someone_elses_server_gets_the_owners_wording():
    steps = fix_steps(bounce=_bounce(), ip=IP, case="third_party_sender", dnsbl=_report(_listing("CSS", "127.0.0.3")),
                      owner=Owner(rdns="mail.isp.example", rdns_confirmed=True))
    assert "fix.list.css_owner" in _keys(steps) and "fix.list.css" not in _keys(steps)


def test_css_without_confirmed_rdns_adds_the_rdns_requirement():
    steps = fix_steps(bounce=_bounce(), ip=IP, case="own_server", dnsbl=_report(_listing("CSS", "127.0.0.3")),
                      owner=Owner(rdns=None))
    assert "fix.list.css_rdns" in _keys(steps)
    steps = fix_steps(bounce=_bounce(), ip=IP, case="own_server", dnsbl=_report(_listing("CSS", "127.0.0.3")),
                      owner=Owner(rdns="mail.example.com", rdns_confirmed=True))
    assert "fix.list.css_rdns" not in _keys(steps)


def test_drop_has_no_delisting():
    steps = fix_steps(bounce=_bounce(), ip=IP, case="own_server", dnsbl=_report(_listing("DROP", "127.0.0.9")),
                      owner=Owner())
    assert "fix.list.drop" in _keys(steps)


def test_could_not_check_is_said_not_hidden():
    report = DnsblReport(status="unknown", zones=(ZoneResult(zone="zen.spamhaus.org", provider="spamhaus",
                                                             status="unknown", error="open_resolver"),))
    assert "fix.could_not_check" in _keys(fix_steps(bounce=_bounce(), ip=IP, case="undetermined", dnsbl=report,
                                                    owner=Owner()))


def test_open_resolver_bounce_says_the_receiver_is_misconfigured_first():
    bounce = _bounce(receiver_misconfigured=True, resolver_ip="192.0.2.53")
    steps = fix_steps(bounce=bounce, ip=IP, case="undetermined", dnsbl=_report(), owner=Owner())
    assert steps[0].key == "fix.receiver_open_resolver" and steps[0].params["resolver"] == "192.0.2.53"


def test_spamhaus_named_but_not_listed_now_explains_expiry_and_caches():
    keys = _keys(fix_steps(bounce=_bounce(), ip=IP, case="undetermined", dnsbl=_report(), owner=Owner()))
    assert "fix.not_listed_now" in keys


def test_a_named_list_the_bot_does_not_query_gets_its_own_page():
    bounce = _bounce(blocklist=BlocklistMention(key="proofpoint", name="Proofpoint"))
    steps = fix_steps(bounce=bounce, ip=IP, case="undetermined", dnsbl=_report(), owner=Owner())
    named = [s for s in steps if s.key == "fix.list.named_not_queried"]
    assert named and IP in named[0].url


def test_sorbs_is_reported_dead():
    bounce = _bounce(blocklist=BlocklistMention(key="sorbs", name="SORBS"))
    assert "fix.list.sorbs_dead" in _keys(fix_steps(bounce=bounce, ip=IP, case="undetermined", dnsbl=_report(),
                                                    owner=Owner()))


def _kind(code):
    route = microsoft.status_route(code)
    return route.kind if route else None


def test_microsoft_code_ranges():
    assert _kind("5.7.606") == _kind("5.7.649") == "ms_banned_ip"
    assert _kind("5.7.650") is None
    assert _kind("5.7.1") is None
    assert _kind("4.7.650") == _kind("4.7.651") == "outlook"
    assert _kind("4.7.652") == _kind("4.7.500") == "ms_throttled"
    assert _kind("5.7.502") == "ms_account_banned" and _kind("4.7.851") == "ms_ip_restricted"


def test_domain_listing_without_ip_points_at_the_domain():
    bounce = Bounce(blocked_ip=None, blocklist=BlocklistMention(key="spamhaus", name="Spamhaus", list_name="DBL"),
                    sender_domain="example.net")
    (step,) = problem_steps("no_ip", bounce)
    assert step.key == "fix.problem.domain_listed" and step.url.endswith("example.net")


def test_a_customer_without_an_abuse_contact_is_reported_to_its_provider():
    owner = Owner(name="Customer Ltd", provider_name="Big ISP", provider_abuse=("abuse@isp.example",))
    steps = fix_steps(bounce=_bounce(), ip=IP, case="third_party_sender", dnsbl=_report(_listing("XBL", "127.0.0.4")),
                      owner=owner)
    assert steps[0].params["abuse"] == "abuse@isp.example (Big ISP)"
