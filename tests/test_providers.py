"""The provider table is the one place a list is known: a row added here is queried, decoded, named in
a bounce and advised, with no other change; and the table's own facts are consistent."""

from __future__ import annotations

import pytest

from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.model import Removal
from bot.diagnosis.options import LookupOptions, Nameserver
from bot.diagnosis.parse import parse_bounce
from bot.diagnosis.providers import DEFAULT, PROVIDERS, Code, Mention, Provider, Registry, Zone, spamhaus
from bot.diagnosis.providers.base import phrase, zone_pattern
from loopback.dnsbl_zones import list_ip, serve_healthy_lists

IP = "192.0.2.77"
_LISTED = Code("ExampleBL", "examplebl", Removal.SELF_SERVICE)
EXAMPLE = Provider(
    key="examplebl",
    name="ExampleBL",
    mentions=(Mention(phrase(r"examplebl", "examplebl"), zone=zone_pattern(r"examplebl\.test")),),
    zones=(Zone(provider="examplebl", name="ExampleBL", zone="bl.examplebl.test", codes={"127.0.0.2": _LISTED},
                other=_LISTED),),
    lookup="https://examplebl.test/lookup?ip={ip}",
)
WITH_EXAMPLE = Registry((*PROVIDERS, EXAMPLE))
BOUNCE = f"554 5.7.1 Service unavailable; Client host [{IP}] blocked using bl.examplebl.test (ExampleBL)"


def test_a_new_row_is_named_in_a_bounce():
    bounce = parse_bounce(BOUNCE, WITH_EXAMPLE)
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.zone) == (IP, "examplebl", "bl.examplebl.test")
    assert parse_bounce(BOUNCE).blocklist.key == "other"  # without the row: an unnamed list


@pytest.fixture
def diagnoser(dns):
    serve_healthy_lists(dns, lists=WITH_EXAMPLE.zones)
    options = LookupOptions(nameservers=(Nameserver(dns.host, dns.port),), dns_timeout=0.5, deadline=2.0)
    diagnoser = Diagnoser.create(options, registry=WITH_EXAMPLE)
    yield diagnoser
    diagnoser.close()


async def test_a_new_row_is_queried_decoded_and_advised(dns, diagnoser):
    list_ip(dns, IP, "bl.examplebl.test", "127.0.0.2", txt="Listed in ExampleBL for spam trap hits")

    diagnosis = await diagnoser.diagnose(BOUNCE)

    assert diagnosis.dnsbl.status == "listed"
    (listing,) = diagnosis.dnsbl.listings
    assert (listing.list, listing.provider, listing.removal) == ("ExampleBL", "examplebl", Removal.SELF_SERVICE)
    assert listing.reason == "Listed in ExampleBL for spam trap hits"
    removal = [step for step in diagnosis.fix if step.params.get("list") == "ExampleBL"]
    assert removal and removal[0].url == f"https://examplebl.test/lookup?ip={IP}"


def test_provider_keys_are_unique():
    with pytest.raises(ValueError, match="unique"):
        Registry((*PROVIDERS, PROVIDERS[0]))


def test_every_zone_belongs_to_its_provider_row():
    for provider in DEFAULT.providers:
        assert all(zone.provider == provider.key for zone in provider.zones), provider.key


def test_spamhaus_code_hints_come_from_the_code_table():
    """A return code quoted in a bounce names the list the code table gives it."""
    for answer, code in spamhaus.CODES.items():
        bounce = parse_bounce(f"554 5.7.1 Client host [192.0.2.9] blocked using Spamhaus; returned {answer}")
        assert bounce.blocklist.list_name == code.list, answer


def test_removal_step_follows_the_listings_removal_route():
    """Where the route says there is nothing to request (DROP), no removal page is offered."""
    from bot.diagnosis.advice import fix_steps
    from bot.diagnosis.model import Bounce, DnsblReport, Listing, ZoneResult

    def steps_for(answer):
        code = spamhaus.CODES[answer]
        listing = Listing(list=code.list, provider="spamhaus", zone=spamhaus.ZEN, code=answer, meaning=code.meaning,
                          url=spamhaus.LOOKUP.format(ip=IP), removal=code.removal)
        report = DnsblReport(status="listed", zones=(ZoneResult(spamhaus.ZEN, "spamhaus", "listed", (listing,)),))
        return fix_steps(bounce=Bounce(blocked_ip=IP), ip=IP, case="own_server", dnsbl=report, owner=None)

    (drop,) = [step for step in steps_for("127.0.0.9") if step.key == "fix.list.drop"]
    (xbl,) = [step for step in steps_for("127.0.0.4") if step.key == "fix.list.xbl"]
    assert drop.url is None and xbl.url == spamhaus.LOOKUP.format(ip=IP)
