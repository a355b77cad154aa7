"""Ownership case x listing -> fix steps. Pure functions over the typed results: no I/O.

The cases follow Microsoft's own triage (docs/sources.md, "Ownership cases"): your own server,
someone else's server sending to you, your outbound mail relayed through a third-party service,
Microsoft's own block list or infrastructure, and "not determinable". A listing's removal step comes
from its row in the provider table (its removal route, its fix step); Microsoft's from the code in
the bounce (``providers.microsoft``). Steps are catalogue keys with parameters; renderers word them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.diagnosis import addresses
from bot.diagnosis.model import Bounce, Case, DnsblReport, DnsblStatus, FixStep, Listing, Owner, Removal
from bot.diagnosis.options import OwnContext
from bot.diagnosis.providers import DEFAULT, Registry, microsoft, spamhaus
from bot.diagnosis.providers.relays import relay_service as _relay_named

Reason = tuple[str, dict[str, Any]]  # catalogue key, parameters


def relay_service(owner: Owner | None) -> str | None:
    """The name of the mail relay / sending service that owns the IP, when it is a known one."""
    if owner is None:
        return None
    return _relay_named(owner.name, owner.network_name, owner.asn_description, owner.rdns)


def _is_own(ip: str, owner: Owner | None, own: OwnContext) -> Reason | None:
    address = addresses.parse_ip(ip)
    network = own.has_network_of(address) if address else None
    if network:
        return "case.reason.own_network", {"network": str(network)}
    if owner and owner.asn and owner.asn in own.asns:
        return "case.reason.own_asn", {"asn": owner.asn}
    if owner and owner.rdns and owner.rdns_confirmed and own.has_domain(owner.rdns):
        return "case.reason.own_rdns", {"rdns": owner.rdns}
    if owner and own.domains:
        for contact in owner.abuse:
            if own.has_domain(contact.rpartition("@")[2]):
                return "case.reason.own_abuse", {"abuse": contact}
    return None


def _microsoft_owned(owner: Owner | None) -> bool:
    return bool(owner and owner.asn in microsoft.ASNS)


def classify(bounce: Bounce, ip: str, owner: Owner | None, own: OwnContext) -> tuple[Case, str, dict[str, Any]]:
    """-> (case, reason key, reason params). Precedence: Microsoft's own list (the bounce says so)
    > Microsoft infrastructure > your own server > direction from your domains > known relay."""
    mention = bounce.blocklist
    if mention and mention.key == microsoft.MICROSOFT.key:
        return Case.MICROSOFT, "case.reason.microsoft_list", {"code": mention.code or bounce.enhanced_code or ""}
    if mention is not None and microsoft.status_route(bounce.enhanced_code):
        return Case.MICROSOFT, "case.reason.microsoft_list", {"code": bounce.enhanced_code}
    if owner and _microsoft_owned(owner):
        return Case.MICROSOFT, "case.reason.microsoft_asn", {"asn": owner.asn}
    yours = _is_own(ip, owner, own)
    if yours:
        return Case.OWN_SERVER, *yours
    relay = relay_service(owner)
    if own.has_domain(bounce.sender_domain):
        if relay:
            return Case.OUTBOUND_RELAY, "case.reason.relay_service", {"service": relay}
        return Case.OUTBOUND_RELAY, "case.reason.outbound_sender", {"domain": bounce.sender_domain}
    if own.has_domain(bounce.recipient_domain):
        return Case.THIRD_PARTY_SENDER, "case.reason.inbound_recipient", {"domain": bounce.recipient_domain}
    if relay:
        return Case.OUTBOUND_RELAY, "case.reason.relay_service", {"service": relay}
    return Case.UNDETERMINED, "case.reason.configured" if own.configured else "case.reason.unconfigured", {}


def fix_steps(
    *,
    bounce: Bounce,
    ip: str,
    case: Case,
    dnsbl: DnsblReport | None,
    owner: Owner | None,
    registry: Registry = DEFAULT,
) -> tuple[FixStep, ...]:
    steps: list[FixStep] = []
    owner_name = (owner.name if owner else None) or ""
    abuse = ", ".join(owner.abuse) if owner and owner.abuse else ""
    listings = sorted(dnsbl.listings if dnsbl else (), key=registry.rank)

    if bounce.receiver_misconfigured:
        steps.append(FixStep("fix.receiver_open_resolver", {"resolver": bounce.resolver_ip or ""}))

    if case == Case.MICROSOFT:
        steps.extend(_microsoft_steps(bounce, ip, owner))
        if listings and _microsoft_owned(owner):
            return tuple(steps)  # Microsoft's IP on a blocklist: Microsoft delists, not you
    elif case == Case.OWN_SERVER:
        if listings:
            steps.append(FixStep("fix.own.find_cause", {"lists": _names(listings)}))
            steps.extend(_removal_steps(listings, ip, owner, registry, yours=True))
        elif bounce.blocklist:
            steps.append(FixStep("fix.own.find_cause_unlisted", {}))
    elif case == Case.THIRD_PARTY_SENDER:
        steps.append(FixStep("fix.third.owner_must_delist", {"ip": ip, "owner": owner_name, "abuse": abuse}))
        steps.extend(_removal_steps(listings, ip, owner, registry, yours=False))
        steps.append(FixStep("fix.third.allowlist", {"ip": ip}))
    elif case == Case.OUTBOUND_RELAY:
        service = relay_service(owner) or owner_name
        steps.append(FixStep("fix.relay.contact_service", {"ip": ip, "service": service, "abuse": abuse}))
        steps.append(FixStep("fix.relay.change_route", {}))
    else:
        steps.append(FixStep("fix.undetermined.if_yours", {"ip": ip}))
        if listings:
            steps.extend(_removal_steps(listings, ip, owner, registry, yours=True))
        steps.append(FixStep("fix.undetermined.if_not_yours", {"ip": ip, "owner": owner_name, "abuse": abuse}))
        steps.append(FixStep("fix.undetermined.configure", {}))

    steps.extend(_status_steps(bounce, ip, dnsbl, registry))
    return tuple(_dedupe(steps))


def _names(listings: Iterable[Listing]) -> str:
    return ", ".join(dict.fromkeys(listing.list for listing in listings))


def _removal_steps(listings: Sequence[Listing], ip: str, owner: Owner | None, registry: Registry, *,
                   yours: bool) -> list[FixStep]:
    """Each listing's removal step, from its removal route and its row's fix step: who acts (you, or
    the IP's owner where the row has an owner's wording) and which page (the ticket's, the list's
    removal page, or none where there is nothing to request)."""
    steps = []
    for listing in listings:
        code = registry.code_of(listing)
        provider = registry.provider(listing.provider)
        if code is None or provider is None:
            steps.append(FixStep("fix.list.other", {"list": listing.list}, listing.url))
            continue
        key = code.fix if yours or code.fix_owner is None else code.fix_owner
        params: dict[str, Any] = {"list": listing.list}
        url: str | None
        if listing.removal == Removal.NONE:
            url = None
        elif listing.removal == Removal.OWNER_VIA_TICKET:
            params["ticket"] = listing.ticket or ""
            ticket_page = provider.ticket_page.format(ticket=listing.ticket) if (
                provider.ticket_page and listing.ticket) else None
            url = listing.url or ticket_page or provider.page(ip)
        else:
            url = provider.removal_page(ip) or listing.url
        steps.append(FixStep(key, params, url))
        rdns_ok = bool(owner and owner.rdns and owner.rdns_confirmed)
        if code.rdns_step and not rdns_ok:
            steps.append(FixStep(code.rdns_step, {"rdns": (owner.rdns if owner else None) or ""}))
    return steps


def _microsoft_steps(bounce: Bounce, ip: str, owner: Owner | None) -> list[FixStep]:
    mention = bounce.blocklist
    route = microsoft.route_for(mention.code if mention else None, bounce.enhanced_code)
    if route:
        rows: tuple[microsoft.Step, ...] = route.steps
    elif _microsoft_owned(owner):
        rows = microsoft.THEIR_IP
    else:
        rows = microsoft.DEFAULT
    return [FixStep(row.key, {name: value.format(ip=ip) for name, value in row.params.items()}, row.url)
            for row in rows]


def _status_steps(bounce: Bounce, ip: str, dnsbl: DnsblReport | None, registry: Registry) -> list[FixStep]:
    """What the live DNSBL answer adds: expired listings, lists we did not query, failed checks."""
    steps: list[FixStep] = []
    mention = bounce.blocklist
    if dnsbl is None:
        return steps
    if dnsbl.status == DnsblStatus.UNKNOWN:
        steps.append(FixStep("fix.could_not_check", {}))
    if mention and mention.key not in (spamhaus.SPAMHAUS.key, microsoft.MICROSOFT.key):
        named = registry.provider(mention.key)  # None: a list the table does not know
        queried = {zone.provider for zone in dnsbl.zones}
        if named and named.retired:
            steps.append(FixStep(named.retired, {}))
        elif mention.key not in queried:
            page = named.page(ip) if named else None
            steps.append(FixStep("fix.list.named_not_queried", {"list": mention.name}, page))
    if dnsbl.status == DnsblStatus.NOT_LISTED and mention and mention.key == spamhaus.SPAMHAUS.key:
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
        url = spamhaus.DOMAIN_LOOKUP.format(domain=domain) if domain else None
        return (FixStep("fix.problem.domain_listed", {"domain": domain}, url),)
    if problem == "no_ip" and bounce.rejection_kind:
        return (FixStep("fix.problem.not_blocklist", {"kind": bounce.rejection_kind}),)
    return (FixStep(f"fix.problem.{problem}", {}),)
