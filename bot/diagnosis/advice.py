"""Ownership case x listing -> fix steps. Pure functions over the typed results: no I/O.

The cases follow Microsoft's own triage (docs/sources.md, "Ownership cases"): your own server,
someone else's server sending to you, your outbound mail relayed through a third-party service,
Microsoft's own block list or servers; and, where the bot is told what is yours, "not yours" when
the direction is unknown, or "not determinable" when it is told nothing. A listing's removal step
comes from its row in the provider table (its removal route and fix step); Microsoft's from the code
in the bounce (``providers.microsoft``). Steps are catalogue keys with parameters; renderers word them.
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
    """The mail relay or sending service that runs the IP, when it is a known one: by its
    forward-confirmed reverse DNS name or its organisation (see ``providers.relays``)."""
    if owner is None:
        return None
    return _relay_named(owner.name, owner.rdns if owner.rdns_confirmed else None)


def microsoft_route(bounce: Bounce) -> microsoft.Route | None:
    """The Microsoft block the bounce itself proves, if it names one."""
    mention = bounce.blocklist
    if mention is None:
        return None
    if mention.key == microsoft.MICROSOFT.key:
        return microsoft.route_for(mention.code, bounce.enhanced_code)
    return microsoft.status_route(bounce.enhanced_code)


def _microsoft_server(ip: str, owner: Owner | None) -> bool:
    return microsoft.sends_for_microsoft(ip, owner.rdns if owner else None, owner.rdns_confirmed if owner else None)


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


def _exchange_online_inbound(bounce: Bounce) -> bool:
    """Exchange Online protecting the recipient's tenant rejected it (its AS(nnnn) code or host)."""
    texts = (bounce.rejecting_host, bounce.blocklist.code if bounce.blocklist else None)
    return any(text and microsoft.INBOUND_PROTECTION.search(text.lower()) for text in texts)


def classify(bounce: Bounce, ip: str, owner: Owner | None, own: OwnContext) -> tuple[Case, str, dict[str, Any]]:
    """-> (case, reason key, reason params). Precedence: Microsoft's own list (the bounce says so) >
    your own server (your networks first: an Azure VM in OWN_NETWORKS is yours) > Microsoft's own
    sending servers > the direction your domains show > what the configuration rules out."""
    mention = bounce.blocklist
    if microsoft_route(bounce) or (mention and mention.key == microsoft.MICROSOFT.key):
        code = (mention.code if mention else None) or bounce.enhanced_code or ""
        return Case.MICROSOFT, "case.reason.microsoft_list", {"code": code}
    yours = _is_own(ip, owner, own)
    if yours:
        return Case.OWN_SERVER, *yours
    if _microsoft_server(ip, owner):
        return Case.MICROSOFT, "case.reason.microsoft_server", {"ip": ip}
    relay = relay_service(owner)
    if own.has_domain(bounce.sender_domain):
        if relay:
            return Case.OUTBOUND_RELAY, "case.reason.relay_service", {"service": relay}
        return Case.OUTBOUND_RELAY, "case.reason.outbound_sender", {"domain": bounce.sender_domain}
    if own.has_domain(bounce.recipient_domain):
        return Case.THIRD_PARTY_SENDER, "case.reason.inbound_recipient", {"domain": bounce.recipient_domain}
    if own.configured:
        if _exchange_online_inbound(bounce):
            return Case.THIRD_PARTY_SENDER, "case.reason.exchange_online_inbound", {}
        if relay:
            return Case.NOT_YOURS, "case.reason.not_yours_relay", {"service": relay}
        return Case.NOT_YOURS, "case.reason.not_yours", {}
    if relay:
        return Case.UNDETERMINED, "case.reason.relay_direction_unknown", {"service": relay}
    return Case.UNDETERMINED, "case.reason.unconfigured", {}


def fix_steps(
    *,
    bounce: Bounce,
    ip: str,
    case: Case,
    dnsbl: DnsblReport | None,
    owner: Owner | None,
    registry: Registry = DEFAULT,
    configured: bool = False,
) -> tuple[FixStep, ...]:
    steps: list[FixStep] = []
    if bounce.receiver_misconfigured:
        steps.append(FixStep("fix.receiver_open_resolver", {"resolver": bounce.resolver_ip or ""}))
    listings = sorted(dnsbl.listings if dnsbl else (), key=registry.rank)
    status = dnsbl.status if dnsbl else DnsblStatus.UNKNOWN

    if case == Case.MICROSOFT:
        server = _microsoft_server(ip, owner)
        steps.extend(microsoft_steps(bounce, ip, server=server))
        if listings and server:
            return tuple(steps)  # Microsoft's server on a blocklist: Microsoft delists it, not you
    elif status == DnsblStatus.NOT_LISTED:
        steps.extend(_not_listed_steps(bounce, ip, case, dnsbl, configured=configured))
    else:
        steps.extend(_case_steps(bounce, ip, case, listings, owner, registry, configured=configured))

    steps.extend(_status_steps(bounce, ip, dnsbl, registry))
    return tuple(_dedupe(steps))


def _case_steps(bounce: Bounce, ip: str, case: Case, listings: list[Listing], owner: Owner | None,
                registry: Registry, *, configured: bool) -> list[FixStep]:
    """Listed, or not known: who acts, then each listing's removal step."""
    owner_name = (owner.name if owner else None) or ""
    abuse = _abuse_contact(owner)
    abuse_listed = [listing for listing in listings if _is_abuse(listing, registry)]
    steps: list[FixStep] = []
    if case == Case.OWN_SERVER:
        if abuse_listed:
            steps.append(FixStep("fix.own.find_cause", {"lists": _names(abuse_listed)}))
        steps.extend(_removal_steps(listings, ip, owner, registry, yours=True))
        if not listings and bounce.blocklist:
            steps.append(FixStep("fix.own.find_cause_unlisted", {}))
    elif case in (Case.THIRD_PARTY_SENDER, Case.NOT_YOURS):
        steps.append(_owner_step("fix.third.owner_must_delist", "fix.third.owner_unknown", ip, owner_name, abuse))
        steps.extend(_removal_steps(listings, ip, owner, registry, yours=False))
        if case == Case.THIRD_PARTY_SENDER:
            steps.append(FixStep("fix.third.allowlist", {"ip": ip}))
    elif case == Case.OUTBOUND_RELAY:
        service = relay_service(owner) or owner_name
        key = "fix.relay.contact_service" if abuse else "fix.relay.contact_service_no_abuse"
        steps.append(FixStep(key, {"ip": ip, "service": service, "abuse": abuse} if abuse else
                             {"ip": ip, "service": service}))
        steps.append(FixStep("fix.relay.change_route", {}))
    else:
        if abuse_listed:
            steps.append(FixStep("fix.undetermined.if_yours", {"ip": ip}))
        steps.extend(_removal_steps(listings, ip, owner, registry, yours=True))
        steps.append(_owner_step("fix.undetermined.if_not_yours", "fix.undetermined.if_not_yours_unknown", ip,
                                 owner_name, abuse))
        if not configured:
            steps.append(FixStep("fix.undetermined.configure", {}))
    return steps


def _owner_step(key: str, unknown_key: str, ip: str, owner: str, abuse: str) -> FixStep:
    """The owner must act: worded for what the registry told (owner and abuse contact, owner only,
    or nothing), never "the owner (unknown, abuse contact unknown)"."""
    if not owner:
        return FixStep(unknown_key, {"ip": ip})
    if not abuse:
        return FixStep(f"{key}_no_abuse", {"ip": ip, "owner": owner})
    return FixStep(key, {"ip": ip, "owner": owner, "abuse": abuse})


def _abuse_contact(owner: Owner | None) -> str:
    """The holder's abuse contact, else its provider's (an ISP's customer), named as the provider's."""
    if owner is None:
        return ""
    if owner.abuse:
        return ", ".join(owner.abuse)
    if owner.provider_abuse:
        provider = f" ({owner.provider_name})" if owner.provider_name else ""
        return ", ".join(owner.provider_abuse) + provider
    return ""


def _not_listed_steps(bounce: Bounce, ip: str, case: Case, dnsbl: DnsblReport | None, *,
                      configured: bool) -> list[FixStep]:
    """Not listed now on any list checked: nothing to delist. Say why the bounce may still say so."""
    checked = ", ".join(zone.zone for zone in dnsbl.zones) if dnsbl else ""
    steps = [FixStep("fix.not_listed", {"ip": ip, "lists": checked})]
    if case == Case.OWN_SERVER and bounce.blocklist:
        steps.append(FixStep("fix.own.find_cause_unlisted", {}))
    if case == Case.UNDETERMINED and not configured:
        steps.append(FixStep("fix.undetermined.configure", {}))
    return steps


def _is_abuse(listing: Listing, registry: Registry) -> bool:
    code = registry.code_of(listing)
    return code.abuse if code else True


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
        elif listing.removal in (Removal.EXPIRES, Removal.REPUTATION, Removal.OWNER_ONLY):
            url = provider.page(ip) or listing.url  # where to watch it; nothing to request
        else:
            url = provider.removal_page(ip) or listing.url
        steps.append(FixStep(key, params, url))
        rdns_ok = bool(owner and owner.rdns and owner.rdns_confirmed)
        if code.rdns_step and not rdns_ok:
            steps.append(FixStep(code.rdns_step, {"rdns": (owner.rdns if owner else None) or ""}))
    return steps


def microsoft_steps(bounce: Bounce, ip: str | None, *, server: bool = False) -> list[FixStep]:
    """The steps of the Microsoft block the bounce names (``server``: the IP is Microsoft's own)."""
    route = microsoft_route(bounce)
    code = (bounce.blocklist.code if bounce.blocklist else None) or bounce.enhanced_code or ""
    if route:
        rows: tuple[microsoft.Step, ...] = route.steps
    elif server:
        rows = microsoft.THEIR_IP
    else:
        rows = microsoft.DEFAULT
    return [FixStep(row.key, {name: value.format(ip=ip or "", code=code) for name, value in row.params.items()},
                    row.url) for row in rows]


def _status_steps(bounce: Bounce, ip: str, dnsbl: DnsblReport | None, registry: Registry) -> list[FixStep]:
    """What the live DNSBL answer adds: failed checks, the list the bounce named, DNS caches."""
    steps: list[FixStep] = []
    if dnsbl is None:
        return steps
    if dnsbl.status == DnsblStatus.UNKNOWN:
        steps.append(FixStep("fix.could_not_check", {}))
    steps.extend(_named_list_steps(bounce, ip, dnsbl, registry))
    if dnsbl.listings:
        steps.append(FixStep("fix.wait_ttl", {}))
    return steps


def _named_list_steps(bounce: Bounce, ip: str, dnsbl: DnsblReport, registry: Registry) -> list[FixStep]:
    """The list the bounce names: gone, known to have no delisting, not queried, or queried but not
    answered (then its own page still helps)."""
    mention = bounce.blocklist
    if mention is None or mention.key == microsoft.MICROSOFT.key:
        return []
    named = registry.provider(mention.key)  # None: a list the table does not know
    if named and named.retired:
        return [FixStep(named.retired, {})]
    if named and named.named_fix:
        return [FixStep(named.named_fix, {"list": mention.name}, named.page(ip))]
    zones = [zone for zone in dnsbl.zones if zone.provider == mention.key]
    if not zones:
        return [FixStep("fix.list.named_not_queried", {"list": mention.name}, named.page(ip) if named else None)]
    page = named.removal_page(ip) if named else None
    if any(zone.status == DnsblStatus.UNKNOWN for zone in zones):
        return [FixStep("fix.list.named_unchecked", {"list": mention.name}, page)]
    if dnsbl.status == DnsblStatus.NOT_LISTED and named and named.key == spamhaus.SPAMHAUS.key:
        return [FixStep("fix.not_listed_now", {"list": mention.name}, page)]
    return []


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
