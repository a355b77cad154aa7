"""Ownership lookups against real servers on loopback: recorded RDAP over HTTP, Cymru and PTR over DNS."""

from __future__ import annotations

import asyncio
import json
import time
import tracemalloc
import urllib.request

import pytest

from bot.config import Nameserver
from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.model import Bounce, Diagnosis
from bot.diagnosis.options import LookupOptions
from bot.diagnosis.owner import OwnerLookup, make_relay_opener, owner_from_rdap
from bot.diagnosis.owner.fetch import MAX_BYTES
from bot.diagnosis.owner.lookup import MAX_ENTITIES
from bot.diagnosis.owner.records import missing_entities, parent_link
from bot.render.common import present
from bot.render.json_out import diagnosis_json
from loopback.dnsbl_zones import serve_healthy_lists
from loopback.rdap_server import FIXTURES, HOSTILE_NAME, add_cymru

ARIN = "rdap.arin.net"
RIPE = "rdap.db.ripe.net"
APNIC = "rdap.apnic.net"
AFRINIC = "rdap.afrinic.net"
LACNIC = "rdap.lacnic.net"
SOHONET_NOC = ("patrick.sumby@sohonet.co.uk", "oliver.pennington@sohonet.com", "thomas.menari@sohonet.com",
               "ben.roeder@sohonet.co.uk", "carriersupport@sohonet.co.uk")


def _lookup_with(dns, rdap, **overrides) -> OwnerLookup:
    settings = {"nameservers": (Nameserver(dns.host, dns.port),), "dns_timeout": 1.0, "rdap_timeout": 2.0,
                "opener": make_relay_opener(rdap.url)} | overrides
    return OwnerLookup(**settings)


# --- mapping ---------------------------------------------------------------------------------------

async def test_arin_owner_is_mapped_from_registrant_nested_abuse_and_cymru(owners, owner_ips):
    owner = await owners.lookup(owner_ips["microsoft"])

    assert owner.error is None
    assert owner.name == "Microsoft Corporation"
    assert owner.network_name == "MSFT"
    assert owner.cidr == "40.96.0.0/12"  # the one of the range's 8 CIDRs that holds the address
    assert owner.asn == "8075"
    assert owner.asn_description == "MICROSOFT-CORP-MSN-AS-BLOCK, US"
    assert owner.country == "US"  # ARIN's object has no country: it comes from Cymru
    assert owner.abuse == ("abuse@microsoft.com",)  # only the abuse role, not the admin contact's mailboxes
    assert owner.registry == "arin"


async def test_arin_lookup_is_one_request_because_nested_contacts_come_with_vcards(owners, owner_ips, rdap):
    await owners.lookup(owner_ips["microsoft"])

    assert rdap.paths() == [(ARIN, "/registry/ip/40.107.22.33")]


async def test_ripe_owner_is_answered_with_two_requests_the_network_and_its_organisation(owners, owner_ips, rdap):
    owner = await owners.lookup(owner_ips["hetzner"])

    assert owner.name == "Hetzner Online GmbH"  # the organisation, not the maintainer HOS-GUN (also "registrant")
    assert owner.network_name == "HETZNER-RZ-NBG-NET"
    assert owner.cidr == "88.198.0.0/16"
    assert (owner.asn, owner.asn_description, owner.country, owner.registry) == ("24940", "HETZNER-AS, DE", "DE",
                                                                                 "ripencc")
    assert owner.abuse == ("abuse@hetzner.com",)  # inline: its role is not fetched
    # The organisation is named by handle only; the contacts and the maintainers are never asked for.
    assert rdap.paths() == [(RIPE, "/ip/88.198.20.10"), (RIPE, "/entity/ORG-HOA1-RIPE")]


async def test_ripe_lookup_asks_the_registry_at_once_and_the_organisation_after_its_answer(owners, owner_ips, dns,
                                                                                           rdap):
    # The registry comes from the bootstrap files, so the /ip request does not wait for Cymru's answer
    # (0.2 s); the organisation needs the /ip answer. Read from when each request reached the server,
    # not from a wall-clock bound on a busy machine.
    dns.table.latency = rdap.latency = 0.2
    started = time.monotonic()

    owner = await owners.lookup(owner_ips["hetzner"])

    assert owner.name == "Hetzner Online GmbH"
    assert owner.asn_description == "HETZNER-AS, DE"  # Cymru asked beside it, the AS name after the origin
    arrived = rdap.arrivals()
    assert arrived["/ip/88.198.20.10"] - started < 0.15  # not after Cymru's answer
    assert arrived["/entity/ORG-HOA1-RIPE"] - arrived["/ip/88.198.20.10"] >= 0.2  # after the answer naming it
    assert dns.table.queries[("10.20.198.88.origin.asn.cymru.com", "TXT")] == 1


async def test_an_entity_that_fails_is_skipped_and_the_owner_is_still_named(owners, owner_ips, rdap):
    rdap.server_error(host=RIPE, path_prefix="/entity/ORG-HOA1-RIPE")

    owner = await owners.lookup(owner_ips["hetzner"])

    assert owner.error is None
    assert owner.name == "Hetzner Online GmbH"  # the network's description
    assert rdap.count(path_prefix="/entity/ORG-HOA1-RIPE") == 1  # not asked again
    assert rdap.count(path_prefix="/entity/HOAC1-RIPE") == 0  # administrative and technical: never


# --- which entities are fetched: only for what the answer lacks ------------------------------------

def _fixture(host: str, name: str) -> dict:
    return json.loads((FIXTURES / host / name).read_text(encoding="utf-8"))


def test_no_entity_is_fetched_when_the_answer_holds_the_owner_and_the_abuse_contact():
    assert missing_entities(_fixture(ARIN, "ip-microsoft.json"), []) == []


def test_only_the_organisation_is_fetched_when_the_answer_names_it_by_handle():
    network = _fixture(RIPE, "ip-hetzner.json")

    assert missing_entities(network, []) == ["ORG-HOA1-RIPE"]
    assert missing_entities(network, [_fixture(RIPE, "entity-ORG-HOA1-RIPE.json")]) == []  # named: done


def test_only_the_abuse_role_is_fetched_when_the_answer_lacks_the_abuse_contact():
    network = {"objectClassName": "ip network", "name": "EXAMPLE-NET", "entities": [
        {"handle": "ORG-EX1-TEST", "roles": ["registrant"], "objectClassName": "entity",
         "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example GmbH"],
                                  ["kind", {}, "text", "org"]]]},
        {"handle": "TECH1-TEST", "roles": ["technical", "administrative"], "objectClassName": "entity"},
        {"handle": "ABUSE1-TEST", "roles": ["abuse"], "objectClassName": "entity"},
    ]}

    assert missing_entities(network, []) == ["ABUSE1-TEST"]


async def test_a_rate_limited_entity_fails_the_lookup_as_rate_limited(owners, owner_ips, rdap):
    rdap.rate_limit(host=RIPE, path_prefix="/entity/ORG-HOA1-RIPE")

    owner = await owners.lookup(owner_ips["hetzner"])

    assert owner.error == "rate_limited"


async def test_hostile_names_are_passed_on_verbatim_for_the_renderer_to_escape(owners, owner_ips):
    owner = await owners.lookup(owner_ips["hostile"])

    assert owner.name == HOSTILE_NAME
    assert owner.network_name == "EVIL-`NET`-*1*"
    assert owner.asn_description == "EVIL-AS <!here> *bold*, US"


async def test_abuse_addresses_from_several_entities_are_deduplicated_ignoring_case(owners, owner_ips):
    owner = await owners.lookup(owner_ips["hostile"])

    assert owner.abuse == ("abuse@evil.example", "noc@evil.example")


def test_assignment_without_organisation_is_named_by_its_description():
    result = {"asn": "3320 6805", "asn_registry": "ripencc", "asn_country_code": "DE", "raw": {"entities": []},
              "network": {"name": "EXAMPLE-CUSTOMER-NET", "cidr": "192.0.2.0/24", "country": "DE",
                          "remarks": [{"title": "description", "description": "Example Customer GmbH\nBerlin"}]}}

    owner = owner_from_rdap("192.0.2.10", result)

    assert owner.name == "Example Customer GmbH"
    assert owner.asn == "3320"  # Cymru lists every origin AS of a multi-origin prefix; the first is kept


# --- every registry, from recorded answers (tests/fixtures/rdap/SOURCES.md) ------------------------

async def test_ripe_recorded_answer_names_the_organisation_from_its_own_record(owners, owner_ips, rdap):
    owner = await owners.lookup(owner_ips["ripe_ncc"])

    assert owner.name == "Reseaux IP Europeens Network Coordination Centre (RIPE NCC)"
    assert (owner.network_name, owner.cidr, owner.country) == ("RIPE-NCC", "193.0.0.0/21", "NL")
    assert owner.abuse == ("abuse@ripe.net",)  # the role's abuse-mailbox, not its ops@ address
    # The organisation by handle, the abuse role with its vCard (also referenced bare, as "technical"):
    # one entity to fetch.
    assert rdap.paths() == [(RIPE, "/ip/193.0.6.139"), (RIPE, "/entity/ORG-RIEN1-RIPE")]


async def test_lacnic_owner_is_the_registrant_with_the_abuse_entitys_address(owners, owner_ips, rdap):
    owner = await owners.lookup(owner_ips["triara"])

    assert owner.name == "Triara.com, S.A. de C.V."
    assert owner.abuse == ("operacion.redes@TRIARA.COM",)
    assert (owner.registry, owner.country, owner.asn) == ("lacnic", "MX", "19373")
    assert rdap.paths() == [(LACNIC, "/rdap/ip/200.57.141.161")]


async def test_nir_delegated_block_is_named_by_its_holder_not_the_national_registry(owners, owner_ips, rdap):
    # APNIC describes the block by JPNIC's name and lists only JPNIC's hostmaster role.
    owner = await owners.lookup(owner_ips["iij_jpnic"])

    assert owner.name == "IIJ-JPNIC-JP-20000308"
    assert owner.nir == "JPNIC"
    assert owner.registry == "apnic"
    assert rdap.paths() == [(APNIC, "/ip/2001:240:10c:1::ca20:9d1d")]


async def test_a_national_registrys_irt_is_not_the_holders_abuse_contact(owners, owner_ips):
    owner = await owners.lookup(owner_ips["boranet_krnic"])

    assert owner.name == "DACOM Corp."
    assert owner.nir == "KRNIC"
    assert "hostmaster@nic.or.kr" not in owner.abuse  # IRT-KRNIC-KR, the only abuse role, is KRNIC's
    assert owner.abuse == ("abuse@bora.net",)  # "If related with spam, send mail to abuse@bora.net"


async def test_abuse_address_stated_only_in_a_remark_is_the_abuse_contact(owners, owner_ips):
    owner = await owners.lookup(owner_ips["mtn_business"])

    assert owner.abuse == ("abuse@mtnbusiness.co.za",)  # "please send abuse reports to abuse@mtnbusiness.co.za"


async def test_no_abuse_contact_is_invented_where_the_data_has_none(owners, owner_ips):
    # The remarks speak of abuse ("For abuse/any contacts ... look up JPNIC Whois") but name no address;
    # JPNIC's hostmaster mailbox is no abuse contact.
    owner = await owners.lookup(owner_ips["iij_jpnic"])

    assert owner.abuse == ()
    assert (owner.provider_name, owner.provider_abuse) == (None, ())


async def test_afrinic_organisation_handle_is_never_shown_as_the_organisation(owners, owner_ips, rdap):
    # The entities carry no roles, the network is named "ORG-VSA1-AFRINIC" and so is the organisation's
    # vCard: the organisation's own record is asked for its name (not among the recordings: 404).
    owner = await owners.lookup(owner_ips["mtn_business"])

    assert owner.error is None
    assert owner.name is None
    assert owner.network_name == "ORG-VSA1-AFRINIC"
    assert owner.cidr == "196.11.240.0/22"  # of the range's 4 CIDRs, the one holding the address
    assert rdap.paths() == [(AFRINIC, "/rdap/ip/196.11.240.215"), (AFRINIC, "/rdap/entity/ORG-VSA1-AFRINIC")]


async def test_arin_customer_without_abuse_contact_gets_the_providers_marked_as_the_providers(owners, owner_ips,
                                                                                              rdap):
    owner = await owners.lookup(owner_ips["sohonet_customer"])

    assert owner.name == "Group-Nine-Media-26W"
    assert owner.abuse == ()  # ARIN customers have no contacts of their own
    assert owner.provider_name == "Sohonet Inc."
    assert owner.provider_abuse == SOHONET_NOC
    # The parent (rel="up") is asked; it is not among the recordings, so the provider comes from the
    # ISP organisation ARIN nests inside the customer.
    assert rdap.paths() == [(ARIN, "/registry/ip/208.65.211.5"), (ARIN, "/registry/ip/208.65.208.0/21")]


async def test_a_block_with_its_own_abuse_contact_never_asks_for_its_parent(owners, owner_ips, rdap):
    owner = await owners.lookup(owner_ips["google"])

    assert owner.abuse and owner.provider_abuse == ()
    assert rdap.paths() == [(ARIN, "/registry/ip/8.8.8.8")]


def test_the_parent_is_followed_only_at_the_registry_that_answered():
    customer = json.loads((FIXTURES / ARIN / "ip-sohonet-customer.json").read_text(encoding="utf-8"))

    assert parent_link(customer, "https://rdap.arin.net/registry/ip/{0}") == \
        "https://rdap.arin.net/registry/ip/208.65.208.0/21"
    assert parent_link(customer, "https://rdap.db.ripe.net/ip/{0}") is None


async def test_a_rate_limited_parent_leaves_the_owner_and_the_nested_provider(owners, owner_ips, rdap):
    rdap.rate_limit(host=ARIN, path_prefix="/registry/ip/208.65.208.0")

    owner = await owners.lookup(owner_ips["sohonet_customer"])

    assert owner.error is None
    assert owner.provider_name == "Sohonet Inc."


# --- shown to the user -----------------------------------------------------------------------------

def _shown(owner, lang: str) -> dict[str, str]:
    return dict(present(Diagnosis(bounce=Bounce(blocked_ip="208.65.211.5"), ip="208.65.211.5", owner=owner),
                        lang).owner)


async def test_the_providers_abuse_contact_is_its_own_row_in_both_languages(owners, owner_ips):
    owner = await owners.lookup(owner_ips["sohonet_customer"])

    english, chinese = _shown(owner, "en"), _shown(owner, "zh-TW")

    assert english["Provider's abuse contact"] == ", ".join(SOHONET_NOC) + " (Sohonet Inc.)"
    assert "Abuse contact" not in english  # the customer has none: the provider's is not passed off as theirs
    assert chinese["上游業者的濫用通報聯絡人"] == english["Provider's abuse contact"]


async def test_json_carries_the_provider_and_the_national_registry(owners, owner_ips):
    customer = await owners.lookup(owner_ips["sohonet_customer"])
    krnic = await owners.lookup(owner_ips["boranet_krnic"])

    shown = diagnosis_json(Diagnosis(bounce=Bounce(blocked_ip="208.65.211.5"), ip="208.65.211.5", owner=customer))
    assert shown["owner"]["abuse"] == []
    assert (shown["owner"]["provider_name"], shown["owner"]["provider_abuse"]) == ("Sohonet Inc.", list(SOHONET_NOC))
    assert diagnosis_json(Diagnosis(bounce=Bounce(blocked_ip="210.107.73.73"), ip="210.107.73.73",
                                    owner=krnic))["owner"]["nir"] == "KRNIC"
    assert _shown(krnic, "en")["Registry"] == "APNIC / KRNIC"


# --- reverse DNS -----------------------------------------------------------------------------------

async def test_reverse_dns_is_forward_confirmed_when_the_name_points_back(owners, owner_ips):
    owner = await owners.lookup(owner_ips["microsoft"])

    assert owner.rdns == "mail-am6eur05on2033.outbound.protection.outlook.com"
    assert owner.rdns_confirmed is True


async def test_reverse_dns_is_not_confirmed_when_the_name_points_elsewhere(owners, owner_ips):
    owner = await owners.lookup(owner_ips["hostile"])

    assert owner.rdns == "mail.evil.example"
    assert owner.rdns_confirmed is False


async def test_no_ptr_record_means_no_name_and_not_confirmed(owners, owner_ips):
    owner = await owners.lookup(owner_ips["hetzner_no_ptr"])

    assert owner.error is None
    assert (owner.rdns, owner.rdns_confirmed) == (None, False)


async def test_reverse_dns_failure_is_unknown_not_unconfirmed(owners, owner_ips, dns):
    dns.servfail("in-addr.arpa")

    assert await owners.reverse_dns(owner_ips["microsoft"]) == (None, None)


async def test_each_ownership_chains_first_question_leaves_before_the_dnsbl_queries(dns, rdap, owner_ips):
    # PTR → A and Cymru origin → AS name: behind the DNSBL check's queries, each chain's second
    # question would wait for twenty answers it does not need.
    serve_healthy_lists(dns)
    ip = owner_ips["hetzner"]
    diagnoser = Diagnoser.create(LookupOptions(nameservers=(Nameserver(dns.host, dns.port),), dns_timeout=1.0,
                                               rdap_relay=rdap.url))
    try:
        diagnosis = await diagnoser.diagnose(f"550 5.7.1 Client host [{ip}] blocked using zen.spamhaus.org")
    finally:
        diagnoser.close()

    assert diagnosis.owner.rdns_confirmed is True
    assert set(dns.table.arrivals[:2]) == {("10.20.198.88.in-addr.arpa", "PTR"),
                                           ("10.20.198.88.origin.asn.cymru.com", "TXT")}
    assert len(dns.table.arrivals) > 20


# --- failures --------------------------------------------------------------------------------------

async def test_rdap_rate_limit_gives_rate_limited_owner_with_reverse_dns(owners, owner_ips, rdap):
    rdap.rate_limit(host=ARIN, retry_after=120)

    owner = await owners.lookup(owner_ips["microsoft"])

    assert owner.error == "rate_limited"
    assert "Retry-After: 120" in owner.detail
    assert owner.rdns_confirmed is True
    assert rdap.count() == 1  # no retry, no sleep


async def test_rdap_that_never_answers_times_out_without_blocking_the_event_loop(dns, rdap, owner_ips):
    rdap.hang(host=ARIN)
    owners = _lookup_with(dns, rdap, rdap_timeout=0.5)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    owner = await owners.lookup(owner_ips["microsoft"])
    elapsed = time.perf_counter() - started
    ticking.cancel()
    owners.close()

    assert owner.error == "timeout"
    assert 0.45 < elapsed < 1.0
    assert ticks >= 20  # a blocked loop would not have ticked at all
    assert owner.rdns_confirmed is True


async def test_rdap_server_error_gives_http_error(owners, owner_ips, rdap):
    rdap.server_error(host=RIPE)

    owner = await owners.lookup(owner_ips["hetzner"])

    assert owner.error == "http_error"
    assert "HTTP 500" in owner.detail


async def test_network_unknown_to_the_registry_gives_not_found(owners, dns, rdap):
    add_cymru(dns, "51.15.1.1", asn="12876", cidr="51.15.0.0/16", country="FR", registry="ripencc",
              allocated="2016-05-30", as_name="ONLINE S.A.S., FR", as_allocated="2000-03-01")

    owner = await owners.lookup("51.15.1.1")

    assert owner.error == "not_found"
    assert (owner.asn, owner.registry) == (None, None)


# --- the registry: from the bootstrap files, Cymru beside it ------------------------------------------

async def test_the_registry_comes_from_the_bootstrap_files_with_cymru_unreachable(dns, rdap, owner_ips):
    dns.drop("cymru.com")
    owners = _lookup_with(dns, rdap, dns_timeout=0.3)
    started = time.monotonic()

    owner = await owners.lookup(owner_ips["hetzner"])
    owners.close()

    assert owner.error is None
    assert (owner.name, owner.abuse, owner.country) == ("Hetzner Online GmbH", ("abuse@hetzner.com",), "DE")
    assert owner.registry == "ripencc"  # RIPE NCC's range in the bootstrap files
    assert (owner.asn, owner.asn_description) == (None, None)  # those only Cymru knows
    assert rdap.arrivals()["/ip/88.198.20.10"] - started < 0.2  # asked before Cymru timed out
    assert rdap.paths() == [(RIPE, "/ip/88.198.20.10"), (RIPE, "/entity/ORG-HOA1-RIPE")]


async def test_an_address_cymru_does_not_know_is_asked_at_its_registry(owners, dns, rdap):
    owner = await owners.lookup("51.15.1.1")  # unrouted: no Cymru record; RIPE NCC's 51.0.0.0/8

    assert owner.error == "not_found"  # the recorded server has nothing for it, as RIPE NCC would say
    assert rdap.paths() == [(RIPE, "/ip/51.15.1.1")]


async def test_an_address_in_no_bootstrap_range_is_asked_at_the_registry_cymru_names(owners, dns, rdap):
    # 2410::/12 went to APNIC after the shipped edition of ipv6.json.
    add_cymru(dns, "2410:1:2::3", asn="4134", cidr="2410::/16", country="CN", registry="apnic",
              allocated="2024-11-01", as_name="CHINANET-BACKBONE, CN", as_allocated="1997-03-31")

    owner = await owners.lookup("2410:1:2::3")

    assert owner.error == "not_found"
    assert rdap.paths() == [(APNIC, "/ip/2410:1:2::3")]


async def test_an_address_in_no_bootstrap_range_and_unknown_to_cymru_is_asn_lookup_failed(owners, rdap):
    owner = await owners.lookup("2410:1:2::4")

    assert owner.error == "asn_lookup_failed"
    assert rdap.count() == 0


@pytest.mark.parametrize("ip", ["10.1.2.3", "192.0.2.1", "198.51.100.7", "127.0.0.1", "2001:db8::1", "fe80::1"])
async def test_private_and_documentation_addresses_are_not_public_without_any_request(owners, dns, rdap, ip):
    owner = await owners.lookup(ip)

    assert owner.error == "not_public"
    assert rdap.count() == 0
    assert dns.query_count == 0


async def test_malformed_address_is_an_error_not_an_exception(owners):
    owner = await owners.lookup("300.1.2.3")

    assert owner.error == "unexpected"


# --- what one lookup may cost ----------------------------------------------------------------------

async def test_an_answer_naming_thousands_of_entities_costs_at_most_the_entity_cap(owners, owner_ips, rdap):
    rdap.many_handles(3000, host=RIPE, path_prefix="/ip/")

    owner = await owners.lookup(owner_ips["hetzner"])

    assert rdap.count() == 1 + MAX_ENTITIES
    assert owner.name == "Hetzner Online GmbH"  # its own organisation came first


async def test_a_huge_answer_is_not_read_past_the_byte_cap(owners, owner_ips, rdap):
    rdap.huge_body(300 * 2**20, host=ARIN)  # 300 MB, no Content-Length
    tracing_already = tracemalloc.is_tracing()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    try:
        owner = await owners.lookup(owner_ips["microsoft"])
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        if not tracing_already:
            tracemalloc.stop()

    assert owner.error == "http_error"
    assert "larger than" in owner.detail
    assert peak < 4 * MAX_BYTES


@pytest.mark.parametrize("location", ["https://rdap.evil.example/ip/40.107.22.33",
                                      "http://rdap.arin.net/registry/ip/40.107.22.33"])
async def test_a_redirect_away_from_the_registries_rdap_hosts_is_not_followed(owners, owner_ips, rdap, location):
    rdap.redirect(location, host=ARIN)

    owner = await owners.lookup(owner_ips["microsoft"])

    assert owner.error == "http_error"
    assert "refused" in owner.detail
    assert rdap.paths() == [(ARIN, "/registry/ip/40.107.22.33")]  # nothing reached another host


async def test_a_redirect_within_the_registries_rdap_hosts_is_followed(owners, owner_ips, rdap):
    rdap.redirect("https://rdap.arin.net/registry/ip/40.107.22.0/24", host=ARIN,
                  path_prefix="/registry/ip/40.107.22.33")

    owner = await owners.lookup(owner_ips["microsoft"])

    assert owner.name == "Microsoft Corporation"
    assert rdap.paths() == [(ARIN, "/registry/ip/40.107.22.33"), (ARIN, "/registry/ip/40.107.22.0/24")]


# --- cache -----------------------------------------------------------------------------------------

async def test_second_lookup_makes_no_http_or_dns_request(owners, owner_ips, dns, rdap):
    first = await owners.lookup(owner_ips["hetzner"])
    http_requests, dns_queries = rdap.count(), dns.query_count

    second = await owners.lookup(owner_ips["hetzner"])

    assert second == first
    assert (rdap.count(), dns.query_count) == (http_requests, dns_queries)


async def test_fresh_lookup_queries_again(owners, owner_ips, rdap):
    await owners.lookup(owner_ips["microsoft"])

    await owners.lookup(owner_ips["microsoft"], fresh=True)

    assert rdap.count() == 2


async def test_concurrent_lookups_of_one_address_share_one_request(owners, owner_ips, rdap):
    results = await asyncio.gather(*(owners.lookup(owner_ips["microsoft"]) for _ in range(5)))

    assert len(set(results)) == 1
    assert rdap.count() == 1


async def test_failure_is_cached_briefly_so_a_rate_limited_rir_is_not_hammered(owners, owner_ips, rdap):
    rdap.rate_limit(host=ARIN)
    await owners.lookup(owner_ips["microsoft"])

    again = await owners.lookup(owner_ips["microsoft"])

    assert again.error == "rate_limited"
    assert rdap.count() == 1


# --- doctor ----------------------------------------------------------------------------------------

async def test_rdap_reachable_reports_the_answer_time(owners, owner_ips, rdap):
    reachable, detail = await owners.rdap_reachable()

    assert reachable is True
    assert detail.startswith("rdap.arin.net via RDAP_RELAY http://127.0.0.1:")
    assert rdap.paths() == [(ARIN, "/registry/ip/8.8.8.8")]


async def test_rdap_reachable_says_why_not(owners, rdap):
    rdap.rate_limit(retry_after=60)

    reachable, detail = await owners.rdap_reachable()

    assert reachable is False
    assert "HTTP 429" in detail and "Retry-After: 60" in detail


# --- relay -----------------------------------------------------------------------------------------

def test_relay_opener_keeps_the_original_host_and_path(rdap):
    opener = make_relay_opener(rdap.url)

    with opener.open("https://rdap.db.ripe.net/entity/ORG-HOA1-RIPE?lang=en", timeout=2) as response:
        assert response.status == 200

    request = rdap.requests[-1]
    assert (request.host, request.path) == (RIPE, "/entity/ORG-HOA1-RIPE?lang=en")
    assert request.headers["host"] == "rdap.db.ripe.net"


def test_relay_opener_puts_a_relay_path_prefix_in_front(rdap):
    opener = make_relay_opener(rdap.url + "/mirror/")

    with opener.open(urllib.request.Request("https://rdap.arin.net/registry/ip/8.8.8.8"), timeout=2):
        pass

    assert rdap.paths() == [(ARIN, "/mirror/registry/ip/8.8.8.8")]


def test_relay_must_be_plain_http():
    with pytest.raises(ValueError, match="RDAP_RELAY"):
        make_relay_opener("https://rdap-mirror.example")
