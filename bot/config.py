"""Every environment variable the bot reads, in one place, read once.

``Settings.from_env()`` is called by the entry points. The core never sees ``Settings``: it gets
the plain values built here (``Settings.lookups``, ``Settings.own``); the Slack side reads its own
fields. Tests build a ``Settings`` directly. Documented in README.md and .env.example.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.diagnosis.options import LookupOptions, Nameserver, OwnContext
from bot.watching import DEFAULT_DAYS, DEFAULT_SCHEDULE, ScheduleError, parse_schedule

__all__ = ["SUPPORTED_LANGS", "ConfigError", "Nameserver", "Settings", "parse_nameservers"]

SUPPORTED_LANGS = ("en", "zh-TW")


class ConfigError(ValueError):
    """A setting has a value the bot cannot use. The message names the variable, never its value
    when the variable is a secret."""


def parse_nameservers(raw: str) -> tuple[Nameserver, ...]:
    """``"1.2.3.4, 127.0.0.1:5353, [::1]:53, ::1"`` -> nameservers. Empty -> () (system resolver)."""
    servers = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        host, port = item, 53
        if item.startswith("["):  # [v6]:port
            host, _, rest = item[1:].partition("]")
            if rest:
                port = _port(rest.lstrip(":"), item)
        elif item.count(":") == 1:  # v4:port
            host, port_text = item.split(":")
            port = _port(port_text, item)
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ConfigError(f"DNS_NAMESERVERS: {item!r} is not an IP address (optionally with :port)") from None
        servers.append(Nameserver(host, port))
    return tuple(servers)


def _port(text: str, item: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"DNS_NAMESERVERS: {item!r} has an invalid port")
    return int(text)


def _split(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in _split(raw):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"OWN_NETWORKS: {item!r} is not a CIDR such as 192.0.2.0/24") from None
    return tuple(networks)


def _asns(raw: str) -> tuple[str, ...]:
    asns = []
    for item in _split(raw):
        digits = item.upper().removeprefix("AS")
        if not digits.isdigit():
            raise ConfigError(f"OWN_ASNS: {item!r} is not an AS number such as AS64500")
        asns.append(str(int(digits)))
    return tuple(asns)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a number of seconds") from None
    if value <= 0:
        raise ConfigError(f"{name}: must be greater than 0")
    return value


def _schedule(raw: str) -> tuple[float, ...]:
    try:
        return parse_schedule(raw.strip() or DEFAULT_SCHEDULE)
    except ScheduleError as error:
        raise ConfigError(f"WATCH_SCHEDULE: {error}") from None


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name}: {raw!r} is not a whole number of at least 1")
    return int(raw)


def _lang(raw: str) -> str:
    raw = raw.strip() or "en"
    for lang in SUPPORTED_LANGS:
        if raw.lower() == lang.lower():
            return lang
    raise ConfigError(f"DEFAULT_LANG: {raw!r} is not one of {', '.join(SUPPORTED_LANGS)}")


@dataclass(frozen=True)
class Settings:
    # Slack
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_api_url: str = "https://slack.com/api/"
    port: int = 3000
    http_header_timeout: float = 10.0  # seconds a connection may take to send a request head (or idle)
    # Lookups
    spamhaus_dqs_key: str = field(default="", repr=False)
    dns_nameservers: tuple[Nameserver, ...] = ()
    dns_timeout: float = 2.0  # one DNS query
    diagnosis_timeout: float = 10.0  # all lookups of one diagnosis together
    rdap_timeout: float = 6.0
    rdap_relay: str = ""  # plain-HTTP relay for RDAP requests (mirrors, tests); empty = direct HTTPS
    cache_ttl: float = 300.0  # DNSBL results
    owner_cache_ttl: float = 3600.0  # ownership: changes rarely, and RIRs rate-limit RDAP hard
    self_test_ttl: float = 300.0
    # Ownership
    own_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    own_asns: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    # State and watches
    database_path: str = "./bounce-doctor.db"
    redis_url: str = field(default="", repr=False)  # may carry a password
    watch_schedule: tuple[float, ...] = parse_schedule(DEFAULT_SCHEDULE)
    watch_days: float = DEFAULT_DAYS
    # Limits: checks a minute per user and per channel, diagnoses at once
    user_checks_per_minute: int = 10
    channel_checks_per_minute: int = 30
    max_checks_in_flight: int = 20
    file_max_bytes: int = 2 * 1024 * 1024  # of a shared .eml/.txt read; a longer file is read to here
    # Presentation
    default_lang: str = "en"
    log_level: str = ""  # empty: INFO when serving Slack, ERROR in the terminal (the report says the rest)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL", "").strip() or cls.slack_api_url
        if not api_url.endswith("/"):
            api_url += "/"  # slack_sdk joins method names onto it; without the slash "api" is lost
        port_raw = env.get("PORT", "").strip() or "3000"
        if not port_raw.isdigit() or not 1 <= int(port_raw) <= 65535:
            raise ConfigError(f"PORT: {port_raw!r} is not a port number (1-65535)")
        return cls(
            slack_bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            slack_app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            slack_api_url=api_url,
            port=int(port_raw),
            http_header_timeout=_float(env, "HTTP_HEADER_TIMEOUT", cls.http_header_timeout),
            spamhaus_dqs_key=env.get("SPAMHAUS_DQS_KEY", "").strip(),
            dns_nameservers=parse_nameservers(env.get("DNS_NAMESERVERS", "")),
            dns_timeout=_float(env, "DNS_TIMEOUT", cls.dns_timeout),
            diagnosis_timeout=_float(env, "DIAGNOSIS_TIMEOUT", cls.diagnosis_timeout),
            rdap_timeout=_float(env, "RDAP_TIMEOUT", cls.rdap_timeout),
            rdap_relay=env.get("RDAP_RELAY", "").strip(),
            cache_ttl=_float(env, "CACHE_TTL", cls.cache_ttl),
            owner_cache_ttl=_float(env, "OWNER_CACHE_TTL", cls.owner_cache_ttl),
            self_test_ttl=_float(env, "SELF_TEST_TTL", cls.self_test_ttl),
            own_networks=_networks(env.get("OWN_NETWORKS", "")),
            own_asns=_asns(env.get("OWN_ASNS", "")),
            own_domains=tuple(d.lower().strip(".") for d in _split(env.get("OWN_DOMAINS", ""))),
            user_checks_per_minute=_count(env, "USER_CHECKS_PER_MINUTE", cls.user_checks_per_minute),
            channel_checks_per_minute=_count(env, "CHANNEL_CHECKS_PER_MINUTE", cls.channel_checks_per_minute),
            max_checks_in_flight=_count(env, "MAX_CHECKS_IN_FLIGHT", cls.max_checks_in_flight),
            file_max_bytes=_count(env, "FILE_MAX_BYTES", cls.file_max_bytes),
            default_lang=_lang(env.get("DEFAULT_LANG", "")),
            log_level=env.get("LOG_LEVEL", "").strip().upper(),
            database_path=env.get("DATABASE_PATH", "").strip() or cls.database_path,
            redis_url=env.get("REDIS_URL", "").strip(),
            watch_schedule=_schedule(env.get("WATCH_SCHEDULE", "")),
            watch_days=_float(env, "WATCH_DAYS", DEFAULT_DAYS),
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a reply or a log line (see bot.logging_setup)."""
        return tuple(s for s in (self.slack_bot_token, self.slack_signing_secret, self.slack_app_token,
                                 self.spamhaus_dqs_key, self.redis_url) if s)

    @property
    def lookups(self) -> LookupOptions:
        """What the core needs to look things up."""
        return LookupOptions(
            nameservers=self.dns_nameservers,
            dns_timeout=self.dns_timeout,
            deadline=self.diagnosis_timeout,
            rdap_timeout=self.rdap_timeout,
            rdap_relay=self.rdap_relay,
            dqs_key=self.spamhaus_dqs_key,
            dnsbl_cache_ttl=self.cache_ttl,
            owner_cache_ttl=self.owner_cache_ttl,
            self_test_ttl=self.self_test_ttl,
        )

    @property
    def own(self) -> OwnContext:
        """What is yours, for the verdict."""
        return OwnContext(networks=self.own_networks, asns=self.own_asns, domains=self.own_domains)
