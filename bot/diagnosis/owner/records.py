"""RDAP documents (as ipwhois returns them, with ``inc_raw``) -> ``Owner``: the organisation, network,
country and abuse contacts, from the network object and every entity fetched for it.

Each contact is the holder's, a provider's (an ISP's organisation nested inside its customer, as
ARIN sends reassignments) or a national registry's (APNIC's answers for NIR-delegated blocks): only
the holder's name the owner and give its abuse contact; a provider's abuse contact is shown apart.
An abuse address stated only in remarks counts when no abuse role does. What each registry sends:
docs/sources.md, "Ownership lookups". Pure functions; the requests are in ``lookup``."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

from bot.diagnosis.model import Owner
from bot.diagnosis.owner.registries import DOWNSTREAM_TYPES, ORG_HANDLE, nir_named

JSON = dict[str, Any]  # an RDAP document or ipwhois's result, as parsed JSON


def owner_from_rdap(ip: str, data: JSON) -> Owner:
    """An ipwhois ``lookup_rdap``-shaped result (with ``inc_raw=True``) as an Owner, without rDNS.
    ``data["parent"]``, when present, is the raw parent network asked for by ``parent_link``."""
    network = data.get("network") or {}
    raw: JSON = data["raw"] if isinstance(data.get("raw"), dict) else {}
    fetched = [obj.get("raw") for obj in (data.get("objects") or {}).values() if isinstance(obj, dict)]
    contacts = _contacts(raw, fetched)
    holder = {handle: c for handle, c in contacts.items() if c.side == _HOLDER}
    abuse = _abuse(holder) or _remark_abuse(raw, holder)
    provider_name, provider_abuse = (None, ()) if abuse else _provider(data.get("parent"), contacts)
    return Owner(
        name=_organisation(holder, network.get("name")) or _description(network) or _network_as_name(network),
        network_name=network.get("name"),
        cidr=_cidr(ip, network.get("cidr")) or data.get("asn_cidr"),
        asn=_asn(data.get("asn")),
        asn_description=data.get("asn_description") or None,
        country=network.get("country") or data.get("asn_country_code") or None,  # ARIN objects carry none
        abuse=abuse,
        registry=data.get("asn_registry"),
        provider_name=provider_name,
        provider_abuse=provider_abuse,
        nir=_nir(contacts, network),
    )


def parent_link(document: JSON, ip_url: str) -> str | None:
    """The parent network to ask for the provider's abuse contact: only for a block an ISP passed on to
    a customer (ARIN's ``DOWNSTREAM_TYPES``) that names no abuse contact of its own, and only at the
    registry that answered (``links`` rel="up"; a ``parentHandle`` alone cannot be fetched)."""
    if str(document.get("type") or "").upper() not in DOWNSTREAM_TYPES:
        return None
    holder = {h: c for h, c in _contacts(document, []).items() if c.side == _HOLDER}
    if _abuse(holder) or _remark_abuse(document, holder):
        return None
    host = urllib.parse.urlsplit(ip_url).netloc.lower()
    for link in document.get("links") or []:
        href = link.get("href") if isinstance(link, dict) and link.get("rel") == "up" else None
        if isinstance(href, str) and urllib.parse.urlsplit(href).netloc.lower() == host:
            return href
    return None


def missing_entities(document: JSON, fetched: list[Any]) -> list[str]:
    """The entities worth fetching for what the answers so far lack, the holder's name or its abuse
    contact: nothing when both are there (ARIN sends both inline). For a missing name, the holder's
    registrants, or its entities without roles (AFRINIC), that came without a vCard or whose vCard
    names only their handle; organisations alone when there are any, since RIPE NCC lists its
    maintainers as registrants too. For a missing abuse contact, abuse roles without a vCard. Never
    administrative or technical contacts. ``fetched``: the entity documents already fetched; the
    caller drops handles it has asked for before."""
    contacts = _contacts(document, fetched)
    holder = {handle: c for handle, c in contacts.items() if c.side == _HOLDER}
    wanted: list[str] = []
    if _organisation(holder, document.get("name")) is None:
        namers = [h for h, c in holder.items() if _undescribed(c) and ("registrant" in c.roles or not c.roles)]
        organisations = [h for h in namers if holder[h].kind == "org" or ORG_HANDLE.fullmatch(h)]
        wanted += organisations or namers
    if not (_abuse(holder) or _remark_abuse(document, holder)):
        wanted += [h for h, c in holder.items() if _undescribed(c) and "abuse" in c.roles]
    return list(dict.fromkeys(wanted))


def _undescribed(contact: _Contact) -> bool:
    """Known by handle only: no vCard, or an organisation's vCard naming only its handle (AFRINIC's
    "ORG-VSA1-AFRINIC"), whose own record at ``/entity/<handle>`` has the name."""
    return not contact.described or (contact.kind == "org" and contact.name is None)


_HOLDER, _PROVIDER, _NIR = "holder", "provider", "nir"


@dataclasses.dataclass
class _Contact:
    roles: set[str] = dataclasses.field(default_factory=set)
    name: str | None = None
    kind: str | None = None
    emails: list[str] = dataclasses.field(default_factory=list)
    abuse_emails: list[str] = dataclasses.field(default_factory=list)  # typed "abuse" (RIPE's abuse-mailbox)
    remarks: list[list[str]] = dataclasses.field(default_factory=list)
    side: str = _PROVIDER  # whose contact: the holder's, a provider's nested in it, or a national registry's
    nir: str | None = None
    described: bool = False  # a vCard came with it somewhere


def entities(obj: Any, *, nested: bool = True) -> Iterator[JSON]:
    """Every entity in an RDAP object, nested ones included (ARIN puts contacts inside the org)."""
    for entity in (obj.get("entities") or []) if isinstance(obj, dict) else []:
        if isinstance(entity, dict) and isinstance(entity.get("handle"), str):
            yield entity
            if nested:
                yield from entities(entity)


def _contacts(network: JSON, fetched: list[Any]) -> dict[str, _Contact]:
    """Handle -> roles, vCard, remarks and whose contact it is, merged from the network object and
    every fetched entity. Roles come from where an entity is referenced; ipwhois drops them for
    entities it fetched. A registrant organisation nested inside another entity (ARIN puts the ISP
    inside its customer) and everything below it is a provider's; a national registry's records are
    the NIR's; everything else is the holder's."""
    contacts: dict[str, _Contact] = {}

    def visit(entity: JSON, side: str, depth: int) -> None:
        contact = contacts.setdefault(entity["handle"], _Contact())
        roles = {role for role in entity.get("roles") or [] if isinstance(role, str)}
        contact.roles.update(roles)
        _read_vcard(entity.get("vcardArray"), contact, handle=entity["handle"])
        contact.remarks.extend(_remark_lines(entity))
        if depth and side == _HOLDER and "registrant" in roles and contact.kind == "org":
            side = _PROVIDER
        nir = nir_named(entity["handle"], contact.name)
        if nir or contact.nir:
            contact.nir = contact.nir or (nir.name if nir else None)
            side = contact.side = _NIR
        elif contact.side != _HOLDER:  # the holder's wherever it is also the holder's
            contact.side = side
        for child in entities(entity, nested=False):
            visit(child, side, depth + 1)

    for entity in entities(network, nested=False):
        visit(entity, _HOLDER, 0)
    for document in fetched:
        if isinstance(document, dict) and isinstance(document.get("handle"), str) \
                and document.get("objectClassName") == "entity":
            visit(document, _HOLDER, 0)  # a fetched entity describes itself at the top level
    return contacts


def _read_vcard(vcard_array: Any, contact: _Contact, handle: str | None) -> None:
    try:
        properties = vcard_array[1]
    except (IndexError, KeyError, TypeError):
        return
    contact.described = contact.described or isinstance(properties, list)
    for prop in properties:
        if not (isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[3], str)):
            continue
        value = prop[3].strip()
        if prop[0] == "fn" and value and not contact.name and (handle is None or value.upper() != handle.upper()):
            contact.name = value  # a name that is only the handle is no name: the entity's own record has it
        elif prop[0] == "kind" and value:
            contact.kind = value.lower()
        elif prop[0] == "email" and value:
            if value not in contact.emails:
                contact.emails.append(value)
            kinds = prop[1].get("type") if isinstance(prop[1], dict) else None
            if "abuse" in ([kinds] if isinstance(kinds, str) else kinds or []) and value not in contact.abuse_emails:
                contact.abuse_emails.append(value)


def _organisation(holder: dict[str, _Contact], network_name: str | None) -> str | None:
    """The registrant's name, organisations first: RIPE NCC lists maintainers as registrants too.
    Without any registrant (AFRINIC sends entities without roles), the organisation the network is
    named after, or any organisation without a role."""
    registrants = [c for c in holder.values() if "registrant" in c.roles and c.name]
    if not any("registrant" in c.roles for c in holder.values()):
        named = [c for h, c in holder.items() if h.upper() == (network_name or "").strip().upper()]
        registrants = [c for c in [*named, *(c for c in holder.values() if not c.roles)]
                       if c.kind == "org" and c.name]
    for kinds in (("org",), ("group", None), ("individual",)):
        for contact in registrants:
            if contact.kind in kinds:
                return contact.name
    return None


def _description(network: JSON) -> str | None:
    """RIPE-style ``descr`` (a remark titled "description"), often the customer of an assignment; not
    when it names a national registry (APNIC describes NIR blocks by the NIR's name)."""
    for remark in network.get("remarks") or []:
        if (remark.get("title") or "").lower() == "description" and remark.get("description"):
            first = remark["description"].splitlines()[0].strip()
            return first if first and not nir_named(name=first) else None
    return None


def _network_as_name(network: JSON) -> str | None:
    """The network's name when nothing better names the holder, unless it is an organisation handle."""
    name = network.get("name")
    return name if isinstance(name, str) and not ORG_HANDLE.fullmatch(name.strip()) else None


def _abuse(contacts: dict[str, _Contact]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for contact in contacts.values():
        if "abuse" in contact.roles:
            for email in contact.abuse_emails or contact.emails:
                seen.setdefault(email.lower(), email)
    return tuple(seen.values())


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ABUSE_WORDS = ("abuse", "spam")


def _remark_abuse(network: JSON, holder: dict[str, _Contact]) -> tuple[str, ...]:
    """An abuse address stated only in remarks ("please send abuse reports to abuse@...", "If related
    with spam, send mail to ..."): an address on a line that speaks of abuse or spam, or below such a
    line that names no address itself ("For SPAM and other abuse issues, please contact:"), or whose
    mailbox is an abuse mailbox. From the network's remarks and its holder's contacts'."""
    seen: dict[str, str] = {}
    for lines in [*_remark_lines(network), *(lines for c in holder.values() for lines in c.remarks)]:
        for index, line in enumerate(lines):
            lead_in = lines[index - 1] if index and not _EMAIL.search(lines[index - 1]) else ""
            speaks = any(word in f"{lead_in} {line}".lower() for word in _ABUSE_WORDS)
            for email in _EMAIL.findall(line):
                if speaks or "abuse" in email.split("@")[0].lower():
                    seen.setdefault(email.lower(), email)
    return tuple(seen.values())


def _remark_lines(obj: JSON) -> list[list[str]]:
    return [[line for line in remark.get("description") or [] if isinstance(line, str)]
            for remark in obj.get("remarks") or [] if isinstance(remark, dict)]


def _provider(parent: Any, contacts: dict[str, _Contact]) -> tuple[str | None, tuple[str, ...]]:
    """The provider's name and abuse contact for a holder without one: from the parent network when
    the registry answered for it, else from the provider's organisation nested in the answer."""
    if isinstance(parent, dict):
        theirs = {h: c for h, c in _contacts(parent, []).items() if c.side == _HOLDER}
        abuse = _abuse(theirs) or _remark_abuse(parent, theirs)
        if abuse:
            return _organisation(theirs, parent.get("name")), abuse
    nested = {h: c for h, c in contacts.items() if c.side == _PROVIDER}
    organisations = [c.name for c in nested.values() if "registrant" in c.roles and c.kind == "org"]
    return (organisations[0] if organisations else None), _abuse(nested)


def _nir(contacts: dict[str, _Contact], network: JSON) -> str | None:
    """The national registry the block was delegated through, when the answer shows one."""
    for contact in contacts.values():
        if contact.nir:
            return contact.nir
    for remark in network.get("remarks") or []:
        if (remark.get("title") or "").lower() == "description" and remark.get("description"):
            nir = nir_named(name=remark["description"].splitlines()[0])
            if nir:
                return nir.name
    return None


def _cidr(ip: str, cidrs: str | None) -> str | None:
    """The registered block that holds ``ip``: ARIN ranges often span several CIDRs."""
    if not cidrs:
        return None
    address = ipaddress.ip_address(ip)
    for cidr in cidrs.split(","):
        try:
            if address in ipaddress.ip_network(cidr.strip(), strict=False):
                return cidr.strip()
        except ValueError:
            continue
    return cidrs


def _asn(raw: str | None) -> str | None:
    """Cymru may list several origin ASNs ("13335 209242") or "NA"; keep the first number."""
    first = (raw or "").split()[0:1]
    digits = first[0].upper().removeprefix("AS") if first else ""
    return digits if digits.isdigit() else None

