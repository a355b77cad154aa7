"""RDAP documents (as ipwhois returns them, with ``inc_raw``) -> ``Owner``: the organisation, network,
country and abuse contacts, from the network object and every entity fetched for it.
Pure functions; the requests are in ``lookup``."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator
from typing import Any

from bot.diagnosis.model import Owner

JSON = dict[str, Any]  # an RDAP document or ipwhois's result, as parsed JSON


def owner_from_rdap(ip: str, data: JSON) -> Owner:
    """An ipwhois ``lookup_rdap``-shaped result (with ``inc_raw=True``) as an Owner, without rDNS."""
    network = data.get("network") or {}
    contacts = _contacts(data)
    return Owner(
        name=_organisation(contacts) or _description(network) or network.get("name"),
        network_name=network.get("name"),
        cidr=_cidr(ip, network.get("cidr")) or data.get("asn_cidr"),
        asn=_asn(data.get("asn")),
        asn_description=data.get("asn_description") or None,
        country=network.get("country") or data.get("asn_country_code") or None,  # ARIN objects carry none
        abuse=_abuse(contacts),
        registry=data.get("asn_registry"),
    )


@dataclasses.dataclass
class _Contact:
    roles: set[str] = dataclasses.field(default_factory=set)
    name: str | None = None
    kind: str | None = None
    emails: list[str] = dataclasses.field(default_factory=list)


def entities(obj: Any, *, nested: bool = True) -> Iterator[JSON]:
    """Every entity in an RDAP object, nested ones included (ARIN puts contacts inside the org)."""
    for entity in (obj.get("entities") or []) if isinstance(obj, dict) else []:
        if isinstance(entity, dict) and isinstance(entity.get("handle"), str):
            yield entity
            if nested:
                yield from entities(entity)


def handles(obj: Any) -> list[str]:
    """The handles of the entities directly inside an RDAP object."""
    return [entity["handle"] for entity in entities(obj, nested=False)]


def _contacts(data: JSON) -> dict[str, _Contact]:
    """Handle -> roles and vCard, merged from the network object and every fetched entity.
    Roles come from where an entity is referenced; ipwhois drops them for entities it fetched."""
    contacts: dict[str, _Contact] = {}
    fetched = [obj.get("raw") for obj in (data.get("objects") or {}).values() if isinstance(obj, dict)]
    for document in (data.get("raw"), *fetched):
        if not isinstance(document, dict):
            continue
        found = list(entities(document))
        if isinstance(document.get("handle"), str) and document.get("objectClassName") == "entity":
            found.insert(0, document)  # a fetched entity describes itself at the top level
        for entity in found:
            contact = contacts.setdefault(entity["handle"], _Contact())
            contact.roles.update(role for role in entity.get("roles") or [] if isinstance(role, str))
            _read_vcard(entity.get("vcardArray"), contact)
    return contacts


def _read_vcard(vcard_array: Any, contact: _Contact) -> None:
    try:
        properties = vcard_array[1]
    except (IndexError, KeyError, TypeError):
        return
    for prop in properties:
        if not (isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[3], str)):
            continue
        value = prop[3].strip()
        if prop[0] == "fn" and value and not contact.name:
            contact.name = value
        elif prop[0] == "kind" and value:
            contact.kind = value.lower()
        elif prop[0] == "email" and value and value not in contact.emails:
            contact.emails.append(value)


def _organisation(contacts: dict[str, _Contact]) -> str | None:
    """The registrant's name, organisations first: RIPE NCC lists maintainers as registrants too."""
    registrants = [c for c in contacts.values() if "registrant" in c.roles and c.name]
    for kinds in (("org",), ("group", None), ("individual",)):
        for contact in registrants:
            if contact.kind in kinds:
                return contact.name
    return None


def _description(network: JSON) -> str | None:
    """RIPE-style ``descr`` (a remark titled "description"), often the customer of an assignment."""
    for remark in network.get("remarks") or []:
        if (remark.get("title") or "").lower() == "description" and remark.get("description"):
            return remark["description"].splitlines()[0].strip() or None
    return None


def _abuse(contacts: dict[str, _Contact]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for contact in contacts.values():
        if "abuse" in contact.roles:
            for email in contact.emails:
                seen.setdefault(email.lower(), email)
    return tuple(seen.values())


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

