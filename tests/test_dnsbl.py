"""DNSBL lookups against a real DNS server on loopback (loopback/dns_server.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time

import pytest

from bot.diagnosis import dnsbl as dnsbl_module
from bot.diagnosis import dnsquery
from bot.diagnosis.dnsbl import DnsblChecker, reverse_name
from bot.diagnosis.dnsquery import Batch
from bot.diagnosis.model import to_dict
from bot.diagnosis.options import Nameserver
from bot.diagnosis.providers import DEFAULT
from bot.diagnosis.providers.spamhaus import ZEN as SPAMHAUS_ZEN
from bot.diagnosis.providers.spamhaus import ZEN_DQS as SPAMHAUS_ZEN_DQS
from loopback.dns_server import LoopbackDNS
from loopback.dnsbl_zones import checker, list_ip, serve_healthy_lists

IP = "192.0.2.99"
ZEN = SPAMHAUS_ZEN
DQS_KEY = "abcdefghijklmnopqrstuvwxyz"  # 26 characters, the shape of a real key
DQS_ZONE = f"{DQS_KEY}.{SPAMHAUS_ZEN_DQS}"


@pytest.fixture
def healthy(dns):
    """Every default list passes its RFC 5782 test points."""
    serve_healthy_lists(dns)
    return dns


def zone_result(report, zone):
    return next(z for z in report.zones if z.zone == zone)


def queries_for(dns, ip, zone, rtype="A"):
    return dns.table.queries[(f"{reverse_name(ip)}.{zone}", rtype)]


# --- query names -------------------------------------------------------------------------------
def test_ipv4_query_name_is_the_reversed_octets():
    assert reverse_name("192.0.2.1") == "1.2.0.192"


def test_ipv6_query_name_is_32_reversed_nibbles():
    name = reverse_name("2001:db8::1")
    assert name == "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
    assert len(name.split(".")) == 32


# --- Spamhaus return codes -----------------------------------------------------------------------
async def test_sbl_listing_carries_its_ticket_and_link(healthy):
    link = "https://check.spamhaus.org/sbl/query/SBL123456"
    list_ip(healthy, IP, ZEN, "127.0.0.2", txt=f"Listed by SBL, see {link}")

    report = await checker(healthy).check(IP)

    assert report.status == "listed"
    (listing,) = report.listings
    assert (listing.list, listing.provider, listing.zone, listing.code) == ("SBL", "spamhaus", ZEN, "127.0.0.2")
    assert listing.meaning == "spamhaus.sbl"
    assert listing.ticket == "SBL123456"
    assert listing.url == link
    assert listing.removal == "owner_via_ticket"
    assert "SBL123456" in listing.reason


async def test_several_codes_at_once_become_one_listing_each_with_its_own_txt(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2", "127.0.0.3", "127.0.0.10", txt=[
        "Listed by PBL, see https://check.spamhaus.org/query/ip/192.0.2.99",
        "Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL777",
        "Listed by CSS, see https://check.spamhaus.org/css/192.0.2.99",
    ])

    report = await checker(healthy).check(IP)

    by_list = {listing.list: listing for listing in report.listings}
    assert set(by_list) == {"SBL", "CSS", "PBL"}
    assert by_list["SBL"].ticket == "SBL777"
    assert by_list["SBL"].url == "https://check.spamhaus.org/sbl/query/SBL777"
    assert by_list["CSS"].url == "https://check.spamhaus.org/css/192.0.2.99"
    assert by_list["CSS"].ticket is None
    assert "PBL" in by_list["PBL"].reason and "SBL" not in by_list["PBL"].reason


@pytest.mark.parametrize(("code", "list_name", "meaning", "removal"), [
    ("127.0.0.3", "CSS", "spamhaus.css", "self_service"),
    ("127.0.0.9", "DROP", "spamhaus.drop", "none"),
    ("127.0.0.4", "XBL", "spamhaus.xbl", "self_service"),
    ("127.0.0.10", "PBL", "spamhaus.pbl_isp", "owner_only"),
    ("127.0.0.11", "PBL", "spamhaus.pbl_spamhaus", "self_service"),
    ("127.0.0.30", "BCL", "spamhaus.bcl", "owner_via_ticket"),
])
async def test_each_spamhaus_code_is_decoded(healthy, code, list_name, meaning, removal):
    list_ip(healthy, IP, ZEN, code)

    report = await checker(healthy).check(IP)

    assert report.status == "listed"
    (listing,) = report.listings
    assert (listing.list, listing.meaning, listing.removal, listing.code) == (list_name, meaning, removal, code)
    assert listing.url == f"https://check.spamhaus.org/query/ip/{IP}"  # the documented lookup page


async def test_pbl_marked_by_the_isp_and_by_spamhaus_read_differently(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.10")
    list_ip(healthy, "192.0.2.100", ZEN, "127.0.0.11")
    check = checker(healthy)

    isp = (await check.check(IP)).listings[0]
    spamhaus = (await check.check("192.0.2.100")).listings[0]

    assert (isp.meaning, isp.removal) == ("spamhaus.pbl_isp", "owner_only")
    assert (spamhaus.meaning, spamhaus.removal) == ("spamhaus.pbl_spamhaus", "self_service")


async def test_drop_listing_gets_the_sbl_ticket_of_its_record(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.9", txt="https://www.spamhaus.org/sbl/query/SBL4242")

    (listing,) = (await checker(healthy).check(IP)).listings

    assert (listing.list, listing.ticket) == ("DROP", "SBL4242")


async def test_not_listed_when_every_list_says_nxdomain_and_the_self_test_passes(healthy):
    report = await checker(healthy).check(IP)

    assert report.status == "not_listed"
    assert report.self_test.ok and report.self_test.zone == ZEN
    assert [z.zone for z in report.zones] == [d.zone for d in DEFAULT.zones]
    assert all(z.status == "not_listed" and z.error is None for z in report.zones)
    assert report.resolver == healthy.address and report.dqs is False
    assert report.elapsed_ms > 0


# --- answers that are not "not listed" -----------------------------------------------------------
@pytest.mark.parametrize(("code", "error"), [
    ("127.255.255.252", "zone_typo"),
    ("127.255.255.254", "open_resolver"),
    ("127.255.255.255", "rate_limited"),
])
async def test_spamhaus_error_codes_are_unknown_not_listed(healthy, code, error):
    list_ip(healthy, IP, ZEN, code, txt="Error: open resolver; https://check.spamhaus.org/returnc/pub/203.0.113.53")

    report = await checker(healthy).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error, zen.listings) == ("unknown", error, ())
    assert code in zen.detail
    assert report.status == "unknown"
    assert report.listings == ()


@pytest.mark.parametrize(("code", "error"), [
    ("127.255.255.250", "dqs_key_disabled"),
    ("127.255.255.251", "dqs_key_misused"),
    ("127.255.255.1", "spamhaus_error"),  # anywhere in Spamhaus's error range, named or not
    ("127.255.255.253", "spamhaus_error"),
])
async def test_the_whole_spamhaus_error_range_is_could_not_check(healthy, code, error):
    list_ip(healthy, IP, ZEN, code)

    report = await checker(healthy).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error, report.status, report.listings) == ("unknown", error, "unknown", ())
    assert code in zen.detail


async def test_a_spamhaus_code_the_table_does_not_know_is_could_not_check_not_a_listing(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.8")  # "currently unused" on Spamhaus's zones page

    report = await checker(healthy).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error, report.status, report.listings) == ("unknown", "unknown_code", "unknown", ())


async def test_an_answer_outside_127_8_is_a_bad_answer(healthy):
    list_ip(healthy, IP, ZEN, "198.51.100.7")  # an ISP "helpful" NXDOMAIN redirect

    report = await checker(healthy).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error) == ("unknown", "bad_answer")
    assert "198.51.100.7" in zen.detail
    assert report.status == "unknown"


async def test_a_127_0_0_1_answer_is_a_bad_answer(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.1")

    zen = zone_result(await checker(healthy).check(IP), ZEN)

    assert (zen.status, zen.error) == ("unknown", "bad_answer")


async def test_error_codes_from_other_lists_are_not_listings_either(healthy):
    list_ip(healthy, IP, "b.barracudacentral.org", "127.255.255.254")

    report = await checker(healthy).check(IP)

    barracuda = zone_result(report, "b.barracudacentral.org")
    assert (barracuda.status, barracuda.error) == ("unknown", "open_resolver")
    assert report.listings == ()


async def test_a_dropped_query_is_a_timeout(healthy):
    healthy.drop(ZEN)

    started = time.perf_counter()
    report = await checker(healthy, query_timeout=0.3).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error) == ("unknown", "timeout")
    assert report.status == "unknown"
    assert time.perf_counter() - started < 1.0


async def test_servfail_is_unknown(healthy):
    healthy.servfail(ZEN)

    zen = zone_result(await checker(healthy).check(IP), ZEN)

    assert (zen.status, zen.error) == ("unknown", "servfail")
    assert "SERVFAIL" in zen.detail


async def test_refused_is_unknown(healthy):
    healthy.refuse(ZEN)

    report = await checker(healthy).check(IP)

    assert (zone_result(report, ZEN).status, zone_result(report, ZEN).error) == ("unknown", "refused")
    assert report.status == "unknown"


async def test_a_name_without_an_a_record_is_no_answer(healthy):
    list_ip(healthy, IP, ZEN, txt="a TXT record but no A record")

    zen = zone_result(await checker(healthy).check(IP), ZEN)

    assert (zen.status, zen.error) == ("unknown", "no_answer")


# --- self-test: the public-resolver trap -----------------------------------------------------------
async def test_nxdomain_is_unknown_when_the_resolver_fails_the_self_test(dns):
    # Nothing served at all: like a public resolver that Spamhaus answers with NXDOMAIN for everything.
    report = await checker(dns).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error) == ("unknown", "self_test_failed")
    assert report.status == "unknown"
    assert report.self_test.ok is False
    assert report.self_test.error == "test_point_not_listed"


async def test_a_listing_stays_listed_even_when_the_self_test_fails(dns):
    list_ip(dns, IP, ZEN, "127.0.0.4")

    report = await checker(dns).check(IP)

    assert report.status == "listed"
    assert report.self_test.ok is False
    assert [listing.list for listing in report.listings] == ["XBL"]


async def test_self_test_reports_an_open_resolver_answer(dns):
    list_ip(dns, "127.0.0.2", ZEN, "127.255.255.254")

    test = await checker(dns).self_test()

    assert (test.ok, test.error, test.zone) == (False, "open_resolver", ZEN)


async def test_self_test_fails_when_the_resolver_rewrites_nxdomain(healthy):
    list_ip(healthy, "127.0.0.1", ZEN, "127.0.0.2")

    test = await checker(healthy).self_test()

    assert (test.ok, test.error) == (False, "test_point_listed")


async def test_self_test_is_cached_across_checks(healthy):
    check = checker(healthy)

    await check.check("192.0.2.1")
    await check.check("192.0.2.2")
    await check.self_test()

    assert queries_for(healthy, "127.0.0.2", ZEN) == 1
    assert queries_for(healthy, "127.0.0.1", ZEN) == 1


async def test_self_test_fresh_queries_the_test_points_again(healthy):
    check = checker(healthy)

    await check.self_test()
    await check.self_test(fresh=True)

    assert queries_for(healthy, "127.0.0.2", ZEN) == 2


async def test_a_failed_self_test_is_retried_after_a_short_time(dns, monkeypatch):
    monkeypatch.setattr(dnsbl_module, "SELF_TEST_FAILURE_TTL", 0.05)
    check = checker(dns)
    assert (await check.self_test()).ok is False

    serve_healthy_lists(dns)
    await asyncio.sleep(0.06)

    assert (await check.self_test()).ok is True


async def test_a_secondary_list_failing_its_test_points_does_not_spoil_a_verified_spamhaus_answer(healthy):
    healthy.table.records.pop(("2.0.0.127.bl.spamcop.net", "A"))

    report = await checker(healthy).check(IP)

    spamcop = zone_result(report, "bl.spamcop.net")
    assert (spamcop.status, spamcop.error) == ("unknown", "self_test_failed")
    assert report.status == "not_listed"


# --- status precedence -----------------------------------------------------------------------------
async def test_a_failing_secondary_list_is_its_own_unknown_zone(healthy):
    healthy.servfail("bl.spamcop.net")

    report = await checker(healthy).check(IP)

    assert report.status == "not_listed"
    assert [(z.zone, z.error) for z in report.failures] == [("bl.spamcop.net", "servfail")]


async def test_a_secondary_listing_makes_the_report_listed(healthy):
    list_ip(healthy, IP, "bl.spamcop.net", "127.0.0.2", txt=f"Blocked - see https://www.spamcop.net/bl.shtml?{IP}")

    report = await checker(healthy).check(IP)

    assert report.status == "listed"
    (listing,) = report.listings
    assert (listing.list, listing.provider, listing.meaning) == ("SpamCop", "spamcop", "spamcop")
    assert listing.url == f"https://www.spamcop.net/bl.shtml?{IP}"
    assert listing.reason.startswith("Blocked")


async def test_txt_is_asked_beside_the_a_record_on_spamhaus_and_only_for_listings_elsewhere(healthy):
    list_ip(healthy, IP, "bl.spamcop.net", "127.0.0.2", txt=f"Blocked - see https://www.spamcop.net/bl.shtml?{IP}")

    report = await checker(healthy).check(IP)

    assert report.status == "listed"
    assert queries_for(healthy, IP, ZEN, "TXT") == 1  # beside A: a Spamhaus listing costs one round trip
    assert queries_for(healthy, IP, "bl.spamcop.net", "TXT") == 1  # listed: its reason is fetched
    assert [zone for zone in ("psbl.surriel.com", "dnsbl-1.uceprotect.net", "bl.mailspike.net",
                              "b.barracudacentral.org") if queries_for(healthy, IP, zone, "TXT")] == []


async def test_a_secondary_listing_without_txt_links_to_the_provider_page(healthy):
    list_ip(healthy, IP, "psbl.surriel.com", "127.0.0.2")

    (listing,) = (await checker(healthy).check(IP)).listings

    assert (listing.list, listing.reason) == ("PSBL", None)
    assert listing.url == f"https://psbl.org/listing?ip={IP}"


async def test_mailspike_reputation_levels_are_named(healthy):
    list_ip(healthy, IP, "bl.mailspike.net", "127.0.0.10")

    (listing,) = (await checker(healthy).check(IP)).listings

    assert (listing.list, listing.code, listing.meaning) == ("Mailspike L5", "127.0.0.10", "mailspike")


# --- DQS and the key -------------------------------------------------------------------------------
async def test_dqs_queries_the_key_zone_and_shows_the_public_zone(dns):
    serve_healthy_lists(dns, dqs_key=DQS_KEY)
    list_ip(dns, IP, DQS_ZONE, "127.0.0.2", txt="Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL1")

    report = await checker(dns, dqs_key=DQS_KEY).check(IP)

    assert report.dqs is True
    assert queries_for(dns, IP, DQS_ZONE) == 1
    assert queries_for(dns, IP, ZEN) == 0
    assert zone_result(report, SPAMHAUS_ZEN_DQS).listings[0].zone == SPAMHAUS_ZEN_DQS
    assert report.self_test.ok and report.self_test.zone == SPAMHAUS_ZEN_DQS
    assert DQS_KEY not in json.dumps(to_dict(report))


@pytest.mark.parametrize("failure", ["refuse", "servfail", "drop", "nothing_served"])
async def test_the_dqs_key_never_appears_in_the_report_or_the_logs(dns, caplog, failure):
    caplog.set_level(logging.DEBUG)
    if failure != "nothing_served":
        serve_healthy_lists(dns, dqs_key=DQS_KEY)
        getattr(dns, failure)(DQS_ZONE)

    report = await checker(dns, dqs_key=DQS_KEY, query_timeout=0.2).check(IP)

    assert report.status == "unknown"
    assert zone_result(report, SPAMHAUS_ZEN_DQS).error is not None
    assert DQS_KEY not in json.dumps(to_dict(report))
    assert DQS_KEY not in caplog.text
    assert DQS_KEY.upper() not in caplog.text.upper()


async def test_the_dqs_key_is_scrubbed_from_unexpected_exception_messages(healthy, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    serve_healthy_lists(healthy, dqs_key=DQS_KEY)
    check = checker(healthy, dqs_key=DQS_KEY)

    async def broken(batch, qname, *args, **kwargs):
        raise RuntimeError(f"cannot resolve {qname}")  # like dnspython's, the message quotes the name

    monkeypatch.setattr(Batch, "ask", broken)
    report = await check.check(IP)

    assert report.status == "unknown"
    assert DQS_KEY not in json.dumps(to_dict(report))
    assert DQS_KEY not in caplog.text
    assert "[redacted]" in caplog.text


async def test_the_dqs_key_is_not_in_the_self_test_result(dns):
    test = await checker(dns, dqs_key=DQS_KEY).self_test()

    assert test.ok is False
    assert DQS_KEY not in json.dumps(to_dict(test))


# --- IPv6 ------------------------------------------------------------------------------------------
async def test_ipv6_is_queried_with_nibbles_on_lists_that_serve_it_only(healthy):
    ip = "2001:db8::1"
    list_ip(healthy, ip, ZEN, "127.0.0.3")

    report = await checker(healthy).check(ip)

    assert queries_for(healthy, ip, ZEN) == 1
    assert [z.zone for z in report.zones] == [ZEN]  # the others do not serve IPv6: skipped, not "unknown"
    assert report.status == "listed"
    assert report.listings[0].url == f"https://check.spamhaus.org/query/ip/{ip}"


async def test_ipv6_names_the_lists_it_skipped(healthy):
    report = await checker(healthy).check("2001:db8::2")

    assert report.status == "not_listed"
    assert [z.zone for z in report.zones] == [ZEN]
    assert set(report.skipped) == {z.zone for z in DEFAULT.zones} - {ZEN}


async def test_ipv6_not_listed_is_trusted_only_after_the_ipv6_test_points_pass(dns):
    serve_healthy_lists(dns)
    dns.remove(f"{reverse_name('::ffff:7f00:2')}.{ZEN}", "A")  # IPv4 test points pass, IPv6 ones do not

    ipv4 = await checker(dns).check(IP)
    ipv6 = await checker(dns).check("2001:db8::3")

    assert ipv4.status == "not_listed"
    zen = zone_result(ipv6, ZEN)
    assert (ipv6.status, zen.error) == ("unknown", "self_test_failed")
    assert queries_for(dns, "::ffff:7f00:2", ZEN) == 1


async def test_an_ipv4_mapped_ipv6_address_is_checked_as_ipv4(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2")

    report = await checker(healthy).check(f"::ffff:{IP}")

    assert report.status == "listed"
    assert len(report.zones) == len(DEFAULT.zones)


# --- the way to the nameservers: one socket per check, the next server on failure, IPv6, TCP --------
def _asking(*nameservers: Nameserver, query_timeout: float = 0.5) -> DnsblChecker:
    return DnsblChecker(nameservers, query_timeout=query_timeout, total_timeout=2.0)


def _at(server: LoopbackDNS) -> Nameserver:
    return Nameserver(server.host, server.port)


def _closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_all_of_a_checks_queries_go_over_one_socket(healthy, monkeypatch):
    opened = []

    class Counted(dnsquery._Socket):
        def __init__(self, server):
            opened.append(server)
            super().__init__(server)

    monkeypatch.setattr(dnsquery, "_Socket", Counted)

    report = await checker(healthy).check(IP)
    for _ in range(100):  # zen's TXT, asked beside its A, may still be on its way: NXDOMAIN needs no reason
        if healthy.query_count == 6 + 1 + 12:
            break
        await asyncio.sleep(0.01)

    assert report.status == "not_listed"
    assert healthy.query_count == 6 + 1 + 12  # an A per list, zen's TXT, two test points per list
    assert opened == [Nameserver("127.0.0.1", healthy.port)]


async def test_the_next_nameserver_is_asked_when_one_refuses(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2")
    with LoopbackDNS() as refusing:
        for dnsbl in DEFAULT.zones:
            refusing.refuse(dnsbl.zone)

        report = await _asking(_at(refusing), _at(healthy)).check(IP)

        assert refusing.query_count > 0  # asked first
    assert report.status == "listed"
    assert report.self_test.ok


async def test_a_nameserver_that_is_not_there_is_passed_over_without_waiting(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2")

    started = time.perf_counter()
    report = await _asking(Nameserver("127.0.0.1", _closed_udp_port()), _at(healthy), query_timeout=1.0).check(IP)

    assert report.status == "listed"
    assert time.perf_counter() - started < 0.4  # the port-unreachable answer, not half the query timeout


async def test_no_nameserver_answering_is_unreachable():
    report = await _asking(Nameserver("127.0.0.1", _closed_udp_port())).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error, report.status) == ("unknown", "unreachable", "unknown")


async def test_an_ipv6_nameserver_is_asked_over_ipv6():
    with LoopbackDNS("::1", 0) as server:
        serve_healthy_lists(server)
        list_ip(server, IP, ZEN, "127.0.0.4")

        report = await _asking(Nameserver("::1", server.port)).check(IP)

    assert report.status == "listed"
    assert report.self_test.ok
    assert [listing.list for listing in report.listings] == ["XBL"]


async def test_a_truncated_answer_is_asked_again_over_tcp(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2", txt="Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL42")
    healthy.truncate(f"{reverse_name(IP)}.{ZEN}")

    (listing,) = (await checker(healthy).check(IP)).listings

    assert (listing.list, listing.ticket) == ("SBL", "SBL42")
    assert queries_for(healthy, IP, ZEN, "TXT") == 2  # over UDP, then over TCP


async def test_an_answer_to_another_question_under_the_querys_id_is_ignored(healthy):
    healthy.misdirect(f"{reverse_name(IP)}.{ZEN}")

    report = await checker(healthy, query_timeout=0.3).check(IP)

    zen = zone_result(report, ZEN)
    assert (zen.status, zen.error, report.listings) == ("unknown", "timeout", ())


# --- time ------------------------------------------------------------------------------------------
async def test_the_total_timeout_keeps_the_answers_that_arrived(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2")
    healthy.delay("bl.spamcop.net", 0.6)

    started = time.perf_counter()
    report = await checker(healthy, query_timeout=1.0, total_timeout=0.3).check(IP)
    elapsed = time.perf_counter() - started

    assert elapsed < 0.55
    spamcop = zone_result(report, "bl.spamcop.net")
    assert (spamcop.status, spamcop.error) == ("unknown", "timeout")
    assert zone_result(report, ZEN).status == "listed"
    assert zone_result(report, "psbl.surriel.com").status == "not_listed"
    assert report.status == "listed"


async def test_all_lists_are_queried_concurrently(healthy):
    healthy.table.latency = 0.2
    check = checker(healthy, query_timeout=1.0, total_timeout=2.0)

    started = time.perf_counter()
    report = await check.check(IP)
    elapsed = time.perf_counter() - started

    assert len(report.zones) == 6
    assert report.status == "not_listed"
    assert elapsed < 0.6  # sequential: 6 lists x (A, 2 test points) + zen's TXT = 19 queries, 3.8 s


# --- cache -----------------------------------------------------------------------------------------
async def test_a_cached_report_makes_no_new_queries(healthy):
    list_ip(healthy, IP, ZEN, "127.0.0.2")
    check = checker(healthy)
    first = await check.check(IP)
    queries = healthy.query_count

    second = await check.check(IP)

    assert healthy.query_count == queries
    assert second == first


async def test_fresh_queries_the_lists_again(healthy):
    check = checker(healthy)
    await check.check(IP)

    await check.check(IP, fresh=True)

    assert queries_for(healthy, IP, ZEN) == 2
    assert queries_for(healthy, IP, "bl.spamcop.net") == 2


async def test_a_report_with_an_unknown_zone_is_cached_only_briefly(healthy, monkeypatch):
    monkeypatch.setattr(dnsbl_module, "REPORT_FAILURE_TTL", 0.05)
    healthy.servfail(f"{reverse_name(IP)}.{ZEN}")  # the test points stay healthy
    check = checker(healthy)
    assert (await check.check(IP)).status == "unknown"

    healthy.table.behaviours.clear()
    await asyncio.sleep(0.06)

    assert (await check.check(IP)).status == "not_listed"
