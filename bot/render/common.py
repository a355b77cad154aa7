"""One localised view of a Diagnosis, shared by every face (terminal, JSON, Slack Block Kit).

``present`` puts the result into words in one language. It never decides layout and never
trusts text it did not write: every value that came from outside (bounce snippets, WHOIS fields,
TXT reasons) goes through ``escape`` before it is substituted, and is shown through ``code`` when
it could carry formatting. The terminal passes identity functions; Slack passes its escaper.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.diagnosis.model import Diagnosis, DnsblReport, Listing, ZoneResult
from bot.diagnosis.parse.phrases import GENERIC_NAME
from bot.diagnosis.providers import DEFAULT
from bot.diagnosis.providers.spamhaus import DOMAIN_LOOKUP, LOOKUP
from bot.i18n import has, t

Escape = Callable[[str], str]


def _identity(value: str) -> str:
    return value


@dataclass(frozen=True)
class ListingView:
    title: str  # "Spamhaus SBL (zen.spamhaus.org, 127.0.0.2)"
    meaning: str
    reason: str | None = None  # escaped TXT text
    url: str | None = None  # escaped, http(s) only


@dataclass(frozen=True)
class Presentation:
    lang: str
    status: str  # "listed", "not_listed", "unknown", "blocked" (by the receiver's own list), or the ip_problem
    headline: str
    ip: str | None = None
    evidence: list[str] = field(default_factory=list)
    listings: list[ListingView] = field(default_factory=list)
    checked: str | None = None  # which lists were checked (and which skipped for this kind of address)
    failures: list[str] = field(default_factory=list)
    owner: list[tuple[str, str]] = field(default_factory=list)
    owner_note: str | None = None
    case_title: str = ""
    case_reason: str = ""
    fix: list[tuple[str, str | None]] = field(default_factory=list)
    context: str = ""
    lookup_url: str | None = None


# A link target people may follow: http(s), a plain ASCII host name (no user@, no look-alike
# characters), printable ASCII after it, none of the characters that could break out of a Slack
# ``<url|label>`` or a terminal line.
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#](?:(?![\"'<>`|])[!-~])*)?")
MAX_URL = 3000  # Slack's limit for a button's url


def safe_url(url: str | None) -> str | None:
    """The URL when it is safe to show as a link, else None: the one check for every link the bot
    shows, whether it came from a TXT record, the provider table or a registry."""
    if not url:
        return None
    url = url.strip()
    return url if len(url) <= MAX_URL and _SAFE_URL.fullmatch(url) else None


def present(diagnosis: Diagnosis, lang: str, *, escape: Escape = _identity, code: Escape = _identity) -> Presentation:
    def untrusted(value: str) -> str:
        return code(escape(value))

    bounce = diagnosis.bounce
    ip = diagnosis.ip
    shown_ip = untrusted(ip) if ip else ""
    evidence = _evidence(diagnosis, lang, untrusted)
    fix = [_fix_text(step.key, step.params, lang, untrusted, step.url) for step in diagnosis.fix]

    if diagnosis.ip_problem:
        status = diagnosis.ip_problem
        headline = t(lang, f"headline.problem.{status}", ip=shown_ip)
        return Presentation(
            lang=lang, status=status, headline=headline, ip=ip, evidence=evidence, fix=fix,
            context=t(lang, "context.parsed_only", chars=f"{bounce.input_chars:,}"),
        )

    if ip is None and diagnosis.domains:  # a bounce that blames a domain, and no IP
        return _domains_only(diagnosis, lang, escape, untrusted, evidence, fix)

    report = diagnosis.dnsbl
    listings = list(report.listings) if report else []
    status = report.status if report else "unknown"
    code_shown = untrusted(str(diagnosis.case_params.get("code") or "")) or t(lang, "value.unknown")
    if diagnosis.blocked_by == "microsoft":
        # The bounce itself proves the block: never headlined "not listed", whatever the DNSBLs say.
        status = "blocked"
        key = "headline.blocked_microsoft" if ip else "headline.blocked_microsoft_tenant"
        headline = t(lang, key, ip=shown_ip, code=code_shown)
    elif status == "listed":
        names = join(lang, dict.fromkeys(_list_title(listing) for listing in listings))
        headline = t(lang, "headline.listed", ip=shown_ip, lists=names)
    else:
        headline = t(lang, f"headline.{status}", ip=shown_ip)

    owner_rows, owner_note = _owner(diagnosis, lang, untrusted)
    domains = _domain_parts(diagnosis, lang, escape, untrusted)
    if domains.headlines:  # the domain the bounce blames first: it is what the receiver named
        headline = t(lang, "headline.joined", first=domains.headline(lang), second=headline)
        status = _worst(status, diagnosis.domain_status)
    return Presentation(
        lang=lang,
        status=status,
        headline=headline,
        ip=ip,
        evidence=evidence,
        listings=domains.listings + [_listing_view(listing, lang, escape) for listing in listings],
        checked=_sentences(lang, [*domains.checked, _checked(report, lang)]),
        failures=domains.failures + [_failure(zone, lang, escape) for zone in (report.failures if report else ())],
        owner=owner_rows,
        owner_note=owner_note,
        case_title=t(lang, f"case.{diagnosis.case}"),
        case_reason=t(lang, diagnosis.case_reason or "case.reason.unconfigured",
                      **{k: untrusted(str(v)) for k, v in diagnosis.case_params.items()}),
        fix=fix,
        context=_context(diagnosis, lang),
        lookup_url=LOOKUP.format(ip=ip) if ip else None,
    )


@dataclass
class _DomainParts:
    headlines: list[str] = field(default_factory=list)
    listings: list[ListingView] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def headline(self, lang: str) -> str:
        return t(lang, "list.separator").join(self.headlines)


def _domain_parts(diagnosis: Diagnosis, lang: str, escape: Escape, untrusted: Escape) -> _DomainParts:
    """The domain lists' verdicts on the domains the bounce blames, in the shape of an IP's."""
    parts = _DomainParts()
    for check in diagnosis.domains:
        report, shown = check.report, untrusted(check.domain)
        if report.status == "listed":
            names = join(lang, dict.fromkeys(_list_title(listing) for listing in report.listings))
            parts.headlines.append(t(lang, "headline.listed", ip=shown, lists=names))
        else:
            parts.headlines.append(t(lang, f"headline.{report.status}", ip=shown))
        parts.listings += [_listing_view(listing, lang, escape, subject=check.domain) for listing in report.listings]
        parts.failures += [_failure(zone, lang, escape, subject=check.domain) for zone in report.failures]
        if report.zones and report.zones[0].zone != "*":
            line = t(lang, "checked.domain", domain=shown,
                     lists=join(lang, (_zone_name(zone.zone) for zone in report.zones)))
            if report.skipped:
                skipped = t(lang, "checked.keyed_only", lists=join(lang, map(_zone_name, report.skipped)))
                line = t(lang, "sentences", first=line, second=skipped)
            parts.checked.append(line)
    return parts


def _domains_only(diagnosis: Diagnosis, lang: str, escape: Escape, untrusted: Escape, evidence: list[str],
                  fix: list[tuple[str, str | None]]) -> Presentation:
    domains = _domain_parts(diagnosis, lang, escape, untrusted)
    first = diagnosis.domains[0].domain
    return Presentation(
        lang=lang, status=str(diagnosis.domain_status or "unknown"), headline=domains.headline(lang), ip=None,
        evidence=evidence, listings=domains.listings, checked=_sentences(lang, domains.checked),
        failures=domains.failures, fix=fix, context=_context(diagnosis, lang, report=diagnosis.domains[0].report),
        lookup_url=DOMAIN_LOOKUP.format(domain=first),
    )


def _worst(status: str, other: str | None) -> str:
    """listed > unknown > not_listed; "blocked" (the receiver's own list) stays."""
    if status == "blocked" or other is None:
        return status
    for worst in ("listed", "unknown"):
        if worst in (status, other):
            return worst
    return status


def _sentences(lang: str, lines: Iterable[str | None]) -> str | None:
    kept = [line for line in lines if line]
    if not kept:
        return None
    joined = kept[0]
    for line in kept[1:]:
        joined = t(lang, "sentences", first=joined, second=line)
    return joined


def join(lang: str, items: Iterable[str]) -> str:
    """Items of a list in the reader's language: "a, b, c" or 「a、b、c」."""
    return t(lang, "list.separator").join(items)


def _checked(report: DnsblReport | None, lang: str) -> str | None:
    """"Checked: Spamhaus ZEN, SpamCop, …", and the lists that do not serve this kind of address."""
    if report is None or not report.zones or report.zones[0].zone == "*":
        return None
    line = t(lang, "checked.lists", lists=join(lang, (_zone_name(zone.zone) for zone in report.zones)))
    if report.skipped:
        skipped = t(lang, "checked.skipped", lists=join(lang, (_zone_name(zone) for zone in report.skipped)))
        line = t(lang, "sentences", first=line, second=skipped)
    return line


def _zone_name(zone: str) -> str:
    every = (*DEFAULT.zones, *DEFAULT.domain_zones)
    found = next((known for known in every if zone in (known.zone, known.keyed_zone)), None)
    return found.name if found else zone


def _list_title(listing: Listing) -> str:
    """``Spamhaus SBL``; a list whose own name says whose it is (``SpamCop``, ``Mailspike L5``) as is."""
    provider = DEFAULT.provider(listing.provider)
    if provider is None or listing.list.lower().startswith(provider.name.split()[0].lower()):
        return listing.list
    return f"{provider.name} {listing.list}"


def _listing_view(listing: Listing, lang: str, escape: Escape, *, subject: str | None = None) -> ListingView:
    """``subject``: the domain a domain list's listing is about (an IP's listing names no subject)."""
    meaning_key = f"meaning.{listing.meaning}"
    meaning = t(lang, meaning_key) if has(meaning_key) else t(lang, "meaning.generic", list=escape(listing.list))
    url = safe_url(listing.url)
    about = f"{escape(subject)}, " if subject else ""
    return ListingView(
        title=f"{_list_title(listing)} ({about}{listing.zone}, {listing.code})",
        meaning=meaning,
        reason=escape(listing.reason) if listing.reason else None,
        url=escape(url) if url else None,
    )


def _failure(zone: ZoneResult, lang: str, escape: Escape, *, subject: str | None = None) -> str:
    key = f"error.{zone.error}" if zone.error and has(f"error.{zone.error}") else "error.unexpected"
    name = t(lang, "error.all_lists") if zone.zone == "*" else zone.zone
    if subject:
        name = f"{name} ({subject})"
    return t(lang, "failure.line", zone=escape(name), reason=t(lang, key))


def _evidence(diagnosis: Diagnosis, lang: str, untrusted: Escape) -> list[str]:
    bounce = diagnosis.bounce
    lines = []
    chosen = bounce.candidates[0] if bounce.candidates and bounce.candidates[0].ip == bounce.blocked_ip else None
    if chosen and chosen.rule == "bare_ip":
        lines.append(t(lang, "evidence.bare_ip", ip=untrusted(chosen.ip)))
    elif chosen:
        lines.append(t(lang, "evidence.found", ip=untrusted(chosen.ip), snippet=untrusted(chosen.snippet)))
    mention = bounce.blocklist
    if mention:
        detail = " / ".join(filter(None, (mention.zone, mention.list_name, mention.code)))
        name = t(lang, "list.unnamed") if mention.name == GENERIC_NAME else untrusted(mention.name)
        lines.append(t(lang, "evidence.blocklist", name=name, detail=f" ({untrusted(detail)})" if detail else ""))
    elif bounce.rejection_kind:
        lines.append(t(lang, "evidence.not_blocklist", kind=_label(lang, "kind", bounce.rejection_kind)))
    codes = " ".join(filter(None, (bounce.smtp_code, bounce.enhanced_code)))
    if codes and bounce.rejecting_host:
        lines.append(t(lang, "evidence.rejected_by", codes=untrusted(codes), host=untrusted(bounce.rejecting_host)))
    elif codes:
        lines.append(t(lang, "evidence.rejected_with", codes=untrusted(codes)))
    elif bounce.rejecting_host:
        lines.append(t(lang, "evidence.rejected_at", host=untrusted(bounce.rejecting_host)))
    if bounce.receiver_misconfigured and bounce.resolver_ip:
        lines.append(t(lang, "evidence.open_resolver", resolver=untrusted(bounce.resolver_ip)))
    elif bounce.receiver_misconfigured:
        lines.append(t(lang, "evidence.open_resolver_unnamed"))
    others = [c for c in bounce.candidates if c.ip != bounce.blocked_ip][:4]
    if others:
        described = join(lang, (f"{untrusted(c.ip)} ({_label(lang, 'role', c.role)})" for c in others))
        lines.append(t(lang, "evidence.others", ips=described))
    return lines


def _label(lang: str, group: str, name: str) -> str:
    """A catalogue label for a parser-provided name, or the name itself (it is our own vocabulary,
    never text from the bounce)."""
    key = f"{group}.{name}"
    return t(lang, key) if has(key) else name.replace("_", " ")


def _owner(diagnosis: Diagnosis, lang: str, untrusted: Escape) -> tuple[list[tuple[str, str]], str | None]:
    owner = diagnosis.owner
    if owner is None:
        return [], None
    rows = []

    def add(label: str, value: str | None) -> None:
        if value:
            rows.append((t(lang, f"owner.{label}"), untrusted(value)))

    add("organisation", owner.name)
    add("network", " ".join(filter(None, (owner.network_name, owner.cidr and f"({owner.cidr})"))) or None)
    add("asn", " ".join(filter(None, (owner.asn and f"AS{owner.asn}", owner.asn_description))) or None)
    add("country", owner.country)
    add("abuse", ", ".join(owner.abuse) if owner.abuse else None)
    if owner.provider_abuse:  # the ISP's, for a customer's block without its own: marked as the provider's
        provider = f" ({owner.provider_name})" if owner.provider_name else ""
        add("provider_abuse", ", ".join(owner.provider_abuse) + provider)
    else:
        add("provider", owner.provider_name)
    if owner.rdns:
        confirmed = {True: "owner.rdns_confirmed", False: "owner.rdns_unconfirmed", None: None}[owner.rdns_confirmed]
        rows.append((t(lang, "owner.rdns"), untrusted(owner.rdns) + (f" ({t(lang, confirmed)})" if confirmed else "")))
    elif owner.rdns_confirmed is not None or not owner.error:
        rows.append((t(lang, "owner.rdns"), t(lang, "owner.no_rdns")))
    add("registry", " / ".join(filter(None, (owner.registry and owner.registry.upper(), owner.nir))) or None)
    note = None
    if owner.error:
        key = f"owner.error.{owner.error}" if has(f"owner.error.{owner.error}") else "owner.error.unexpected"
        note = t(lang, "owner.unknown", reason=t(lang, key))
    return rows, note


def _fix_text(key: str, params: dict[str, Any], lang: str, untrusted: Escape,
              url: str | None) -> tuple[str, str | None]:
    filled = {name: _param(lang, name, value, untrusted) for name, value in params.items()}
    return t(lang, key, **filled), url


def _param(lang: str, name: str, value: Any, untrusted: Escape) -> str:
    """A step's parameter in words: our own vocabulary through the catalogue (a rejection kind is
    "unknown recipient", never "user_unknown"), anything from outside escaped."""
    if not value:
        return t(lang, "value.unknown")
    if name == "kind":
        return _label(lang, "kind", str(value))
    return untrusted(str(value))


def _context(diagnosis: Diagnosis, lang: str, *, report: DnsblReport | None = None) -> str:
    report = report or diagnosis.dnsbl
    when = diagnosis.checked_at
    with contextlib.suppress(ValueError):
        when = datetime.fromisoformat(when.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M:%S UTC")
    resolver = report.resolver if report else "system"
    if report and report.dqs:
        via = t(lang, "context.dqs")
    else:
        via = t(lang, "context.system") if resolver == "system" else t(lang, "context.resolver", resolver=resolver)
    return t(lang, "context.checked", when=when, via=via, ms=f"{diagnosis.elapsed_ms:,.0f}")
