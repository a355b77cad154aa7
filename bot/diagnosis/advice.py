"""Ownership case x listing -> fix steps. Pure functions over the typed results: no I/O.

The cases follow Microsoft's own triage (see ../shared/reference/dnsbl.md, "Ownership cases"):
your own server, someone else's server sending to you, your outbound mail relayed through a
third-party service, Microsoft's own block list or infrastructure, and "not determinable".
Steps are catalogue keys with parameters; the renderers put them into words.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from bot.config import Settings
from bot.diagnosis import routes
from bot.diagnosis.model import Bounce, DnsblReport, FixStep, Listing, Owner

# Spamhaus lists whose removal route differs; order = the order the steps are shown in, because
# an SBL listing blocks the other removals (Spamhaus: "while an SBL listing stands ...").
_SPAMHAUS_ORDER = ("DROP", "SBL", "BCL", "CSS", "XBL", "PBL", "AuthBL")


def microsoft_code_kind(code: str | None) -> str | None:
    """``"5.7.606"`` -> ``"ms_banned_ip"``; None when the code is not one of Microsoft's own."""
    if not code:
        return None
    key = _code_key(code)
    if key is None:
        return None
    for first, last, kind in routes.MICROSOFT_CODES:
        if _code_key(first) <= key <= _code_key(last):
            return kind
    return None


def _code_key(code: str) -> tuple[int, ...] | None:
    parts = code.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def relay_service(owner: Owner | None) -> str | None:
    """The name of the mail relay / sending service that owns the IP, when it is a known one."""
    if owner is None:
        return None
    haystack = " ".join(filter(None, (owner.name, owner.network_name, owner.asn_description, owner.rdns))).lower()
    for needle, name in routes.RELAY_SERVICES:
        if needle in haystack:
            return name
    return None


def _domain_matches(domain: str | None, own: Iterable[str]) -> bool:
    if not domain:
        return False
    domain = domain.lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in own)


def _is_own(ip: str, owner: Owner | None, settings: Settings) -> tuple[str, dict] | None:
    address = ipaddress.ip_address(ip)
    for network in settings.own_networks:
        if address.version == network.version and address in network:
            return "case.reason.own_network", {"network": str(network)}
    if owner and owner.asn and owner.asn in settings.own_asns:
        return "case.reason.own_asn", {"asn": owner.asn}
    if owner and owner.rdns and owner.rdns_confirmed and _domain_matches(owner.rdns, settings.own_domains):
        return "case.reason.own_rdns", {"rdns": owner.rdns}
    if owner and settings.own_domains:
        for contact in owner.abuse:
            if _domain_matches(contact.rpartition("@")[2], settings.own_domains):
                return "case.reason.own_abuse", {"abuse": contact}
    return None


def classify(bounce: Bounce, ip: str, owner: Owner | None, settings: Settings) -> tuple[str, str, dict]:
    """-> (case, reason key, reason params). Precedence: Microsoft's own list (the bounce says so)
    > Microsoft infrastructure > your own server > direction from your domains > known relay."""
    mention = bounce.blocklist
    if mention and mention.key in ("microsoft", "outlook"):
        return "microsoft", "case.reason.microsoft_list", {"code": mention.code or bounce.enhanced_code or ""}
    if microsoft_code_kind(bounce.enhanced_code) and mention is not None:
        return "microsoft", "case.reason.microsoft_list", {"code": bounce.enhanced_code}
    if owner and owner.asn in routes.MICROSOFT_ASNS:
        return "microsoft", "case.reason.microsoft_asn", {"asn": owner.asn}
    own = _is_own(ip, owner, settings)
    if own:
        return "own_server", own[0], own[1]
    relay = relay_service(owner)
    if _domain_matches(bounce.sender_domain, settings.own_domains):
        if relay:
            return "outbound_relay", "case.reason.relay_service", {"service": relay}
        return "outbound_relay", "case.reason.outbound_sender", {"domain": bounce.sender_domain}
    if _domain_matches(bounce.recipient_domain, settings.own_domains):
        return "third_party_sender", "case.reason.inbound_recipient", {"domain": bounce.recipient_domain}
    if relay:
        return "outbound_relay", "case.reason.relay_service", {"service": relay}
    configured = bool(settings.own_networks or settings.own_asns or settings.own_domains)
    return "undetermined", "case.reason.configured" if configured else "case.reason.unconfigured", {}


def fix_steps(
    *,
    bounce: Bounce,
    ip: str,
    case: str,
    dnsbl: DnsblReport | None,
    owner: Owner | None,
) -> tuple[FixStep, ...]:
    steps: list[FixStep] = []
    owner_name = (owner.name if owner else None) or ""
    abuse = ", ".join(owner.abuse) if owner and owner.abuse else ""
    listings = _ordered(dnsbl.listings if dnsbl else ())

    if bounce.receiver_misconfigured:
        steps.append(FixStep("fix.receiver_open_resolver", {"resolver": bounce.resolver_ip or ""}))

    if case == "microsoft":
        steps.extend(_microsoft_steps(bounce, ip, owner))
        if listings and owner and owner.asn in routes.MICROSOFT_ASNS:
            return tuple(steps)  # Microsoft's IP on Spamhaus: Microsoft delists, not you
    elif case == "own_server":
        if listings:
            steps.append(FixStep("fix.own.find_cause", {"lists": _names(listings)}))
            steps.extend(_removal_steps(listings, ip, owner, own=True))
        elif bounce.blocklist:
            steps.append(FixStep("fix.own.find_cause_unlisted", {}))
    elif case == "third_party_sender":
        steps.append(FixStep("fix.third.owner_must_delist", {"ip": ip, "owner": owner_name, "abuse": abuse}))
        steps.extend(_removal_steps(listings, ip, owner, own=False))
        steps.append(FixStep("fix.third.allowlist", {"ip": ip}))
    elif case == "outbound_relay":
        service = relay_service(owner) or owner_name
        steps.append(FixStep("fix.relay.contact_service", {"ip": ip, "service": service, "abuse": abuse}))
        steps.append(FixStep("fix.relay.change_route", {}))
    else:
        steps.append(FixStep("fix.undetermined.if_yours", {"ip": ip}))
        if listings:
            steps.extend(_removal_steps(listings, ip, owner, own=True))
        steps.append(FixStep("fix.undetermined.if_not_yours", {"ip": ip, "owner": owner_name, "abuse": abuse}))
        steps.append(FixStep("fix.undetermined.configure", {}))

    steps.extend(_status_steps(bounce, ip, dnsbl))
    return tuple(_dedupe(steps))


def _ordered(listings: Iterable[Listing]) -> list[Listing]:
    def rank(listing: Listing) -> tuple[int, str]:
        if listing.provider == "spamhaus" and listing.list in _SPAMHAUS_ORDER:
            return _SPAMHAUS_ORDER.index(listing.list), listing.list
        return len(_SPAMHAUS_ORDER), listing.list

    return sorted(listings, key=rank)


def _names(listings: Iterable[Listing]) -> str:
    return ", ".join(dict.fromkeys(listing.list for listing in listings))


def _removal_steps(listings: list[Listing], ip: str, owner: Owner | None, *, own: bool) -> list[FixStep]:
    steps = []
    lookup = routes.SPAMHAUS_LOOKUP.format(ip=ip)
    for listing in listings:
        if listing.provider != "spamhaus":
            page = routes.PROVIDER_PAGES.get(listing.provider, "").format(ip=ip) or listing.url
            steps.append(FixStep("fix.list.other", {"list": listing.list}, page or None))
        elif listing.list == "DROP":
            steps.append(FixStep("fix.list.drop", {}))
        elif listing.list in ("SBL", "BCL"):
            ticket = listing.ticket or ""
            url = listing.url or (routes.SPAMHAUS_SBL_RECORD.format(ticket=ticket) if ticket else lookup)
            steps.append(FixStep("fix.list.sbl" if own else "fix.list.sbl_owner", {"ticket": ticket}, url))
        elif listing.list == "CSS":
            rdns_ok = bool(owner and owner.rdns and owner.rdns_confirmed)
            steps.append(FixStep("fix.list.css", {}, lookup))
            if not rdns_ok:
                steps.append(FixStep("fix.list.css_rdns", {"rdns": (owner.rdns if owner else None) or ""}))
        elif listing.list == "XBL":
            steps.append(FixStep("fix.list.xbl" if own else "fix.list.xbl_owner", {}, lookup))
        elif listing.list == "PBL":
            steps.append(FixStep("fix.list.pbl" if own else "fix.list.pbl_owner", {}, lookup))
        else:
            steps.append(FixStep("fix.list.other", {"list": listing.list}, listing.url or lookup))
    return steps


def _microsoft_steps(bounce: Bounce, ip: str, owner: Owner | None) -> list[FixStep]:
    mention = bounce.blocklist
    code = (mention.code if mention else None) or bounce.enhanced_code
    kind = microsoft_code_kind(code) or microsoft_code_kind(bounce.enhanced_code)
    if kind == "ms_banned_ip":
        return [FixStep("fix.ms.delist_portal", {"ip": ip}, routes.MICROSOFT_DELIST_PORTAL),
                FixStep("fix.ms.delist_wait", {})]
    if kind == "ms_banned_sender":
        return [FixStep("fix.ms.banned_sender", {"mail": routes.MICROSOFT_DELIST_MAIL})]
    if kind == "ms_customer_block":
        return [FixStep("fix.ms.customer_block", {})]
    if kind == "ms_tenant":
        return [FixStep("fix.ms.tenant", {})]
    if kind == "ms_unregistered_domain":
        return [FixStep("fix.ms.unregistered_domain", {})]
    if kind == "ms_throttled":
        return [FixStep("fix.ms.throttled", {})]
    if mention and (mention.key == "outlook" or (mention.code or "").upper().startswith(("S3", "SC-", "SC"))):
        return [FixStep("fix.ms.outlook_form", {"ip": ip}, routes.OUTLOOK_SENDER_SUPPORT)]
    if owner and owner.asn in routes.MICROSOFT_ASNS:
        return [FixStep("fix.ms.their_ip", {"ip": ip})]
    return [FixStep("fix.ms.delist_portal", {"ip": ip}, routes.MICROSOFT_DELIST_PORTAL)]


def _status_steps(bounce: Bounce, ip: str, dnsbl: DnsblReport | None) -> list[FixStep]:
    """What the live DNSBL answer adds: expired listings, lists we did not query, failed checks."""
    steps = []
    mention = bounce.blocklist
    if dnsbl is None:
        return steps
    if dnsbl.status == "unknown":
        steps.append(FixStep("fix.could_not_check", {}))
    if mention and mention.key not in ("spamhaus", "microsoft", "outlook"):
        queried = {zone.provider for zone in dnsbl.zones}
        if mention.key == "sorbs":
            steps.append(FixStep("fix.list.sorbs_dead", {}))
        elif mention.key not in queried:
            page = routes.PROVIDER_PAGES.get(mention.key, "").format(ip=ip)
            steps.append(FixStep("fix.list.named_not_queried", {"list": mention.name}, page or None))
    if dnsbl.status == "not_listed" and mention and mention.key == "spamhaus":
        steps.append(FixStep("fix.not_listed_now", {}))
    if dnsbl.listings:
        steps.append(FixStep("fix.wait_ttl", {}))
    return steps


def _dedupe(steps: list[FixStep]) -> list[FixStep]:
    seen, unique = set(), []
    for step in steps:
        marker = (step.key, tuple(sorted(step.params.items())), step.url)
        if marker not in seen:
            seen.add(marker)
            unique.append(step)
    return unique


def problem_steps(problem: str, bounce: Bounce) -> tuple[FixStep, ...]:
    """Advice when there is no IP to check: bad input, a domain listing, a non-blocklist bounce."""
    mention = bounce.blocklist
    if problem == "no_ip" and mention and mention.list_name in ("DBL", "ZRD"):
        domain = bounce.sender_domain or ""
        url = routes.SPAMHAUS_DOMAIN_LOOKUP.format(domain=domain) if domain else None
        return (FixStep("fix.problem.domain_listed", {"domain": domain}, url),)
    if problem == "no_ip" and bounce.rejection_kind:
        return (FixStep("fix.problem.not_blocklist", {"kind": bounce.rejection_kind}),)
    return (FixStep(f"fix.problem.{problem}", {}),)
