import pytest

from bot.config import ConfigError, Nameserver, Settings, parse_nameservers
from bot.diagnosis.diagnose import Diagnoser


def test_nameservers_accept_hosts_ports_and_ipv6():
    assert parse_nameservers("192.0.2.53, 127.0.0.1:5353, [::1]:5300, ::1") == (
        Nameserver("192.0.2.53", 53), Nameserver("127.0.0.1", 5353), Nameserver("::1", 5300), Nameserver("::1", 53))


def test_empty_nameservers_mean_the_system_resolver():
    assert parse_nameservers(" , ") == ()
    assert Settings.from_env({}).lookups.resolver_label == "system"


@pytest.mark.parametrize("raw", ["dns.example", "127.0.0.1:99999", "127.0.0.1:x"])
def test_bad_nameservers_are_refused_with_the_variable_named(raw):
    with pytest.raises(ConfigError, match="DNS_NAMESERVERS"):
        parse_nameservers(raw)


def test_own_networks_asns_and_domains_are_normalised():
    settings = Settings.from_env({"OWN_NETWORKS": "192.0.2.7/24; 2001:db8::/32", "OWN_ASNS": "AS64500, 64501",
                                  "OWN_DOMAINS": "Example.COM."})
    assert [str(n) for n in settings.own_networks] == ["192.0.2.0/24", "2001:db8::/32"]
    assert settings.own_asns == ("64500", "64501")
    assert settings.own_domains == ("example.com",)


def test_slack_api_url_gets_its_trailing_slash():
    assert Settings.from_env({"SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url == "http://127.0.0.1:9/api/"


def test_secrets_are_listed_and_not_in_repr():
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-secret-1", "SPAMHAUS_DQS_KEY": "k" * 26})
    assert set(settings.secrets) == {"xoxb-secret-1", "k" * 26}
    assert "xoxb-secret-1" not in repr(settings) and "k" * 26 not in repr(settings)


@pytest.mark.parametrize(("name", "value"), [("DEFAULT_LANG", "fr"), ("DNS_TIMEOUT", "soon"), ("OWN_ASNS", "ASX"),
                                             ("OWN_NETWORKS", "not-a-net"), ("PORT", "http"),
                                             ("PORT", "99999"), ("PORT", "0")])
def test_unusable_values_name_their_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_dnsbl_and_ownership_caches_have_their_own_ttls():
    settings = Settings.from_env({"CACHE_TTL": "60", "OWNER_CACHE_TTL": "120"})
    assert (settings.cache_ttl, settings.owner_cache_ttl) == (60.0, 120.0)
    defaults = Settings.from_env({})
    assert (defaults.cache_ttl, defaults.owner_cache_ttl) == (300.0, 3600.0)
    diagnoser = Diagnoser.create(settings.lookups, settings.own)
    try:
        assert (diagnoser.dnsbl._reports.ttl, diagnoser.owners._cache.ttl) == (60.0, 120.0)
    finally:
        diagnoser.close()
