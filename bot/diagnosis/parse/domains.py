"""The domains a bounce blames when a list names a domain, not an IP: the sender's ("MailFrom domain
listed in Spamhaus"), an address's ("Sender address [a@x] blocked using dbl..."), a link's ("URI
listed in multi.surbl.org (http://x/...)"), or one a lookup link names ("/query/domain/x").

Only text near the list's name is read, and the lists' own sites never count: a rejection that
says "see https://www.spamhaus.org/..." does not blame spamhaus.org.
"""

from __future__ import annotations

import re

from bot.diagnosis.parse.document import Document
from bot.diagnosis.providers import Registry

MAX_DOMAINS = 5
_AROUND = 400  # characters either side of the list's name where blamed domains are read
_NAME = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?){1,8}"
_BLAMED = (
    re.compile(rf"/query/(?:domain|dbl)/({_NAME})"),  # a lookup link names the domain
    re.compile(rf"(?:sender address|from address|mail ?from|envelope from|address)[^@\n]{{0,20}}"
               rf"[<\[(]?[\w.+=-]{{1,64}}@({_NAME})"),
    re.compile(rf"\b(?:domain|uri|url|link|host)(?: name)? [<\[(\"']?(?:https?://)?({_NAME})[>\])\"']?"
               rf"(?: is| has been| was)? (?:black|block)?listed"),
    re.compile(rf"\b(?:uri|url|link)s? (?:is |are )?(?:black|block)?listed in [\w.-]{{1,80}} ?\(?(?:https?://)?({_NAME})"),
    re.compile(rf"\b({_NAME}) (?:is |has been |was )?(?:black|block)?listed (?:in|on|at|by) "),
)
_URL_HOST = re.compile(rf"https?://({_NAME})")
# The envelope sender the rejection itself names ("Sender address [a@x] blocked using dbl...").
_SENDER_ADDRESS = re.compile(rf"(?:sender address|from address|mail ?from|envelope from)[^@\n]{{0,20}}"
                             rf"[<\[(]?[\w.+=-]{{1,64}}@({_NAME})")
_SENDER_DOMAIN_LISTED = re.compile(r"(?:mail ?from|sender|envelope|from|helo) domain (?:is )?listed")


def blamed_domains(doc: Document, near: int, registry: Registry, sender_domain: str | None) -> tuple[str, ...]:
    """Up to MAX_DOMAINS domains the rejection around ``near`` (the list's name) blames."""
    start, end = max(0, near - _AROUND), min(doc.report_end, near + _AROUND)
    window = doc.report[start:end]
    own_hosts = _list_hosts(registry)
    found: list[str] = []
    if sender_domain and _SENDER_DOMAIN_LISTED.search(window):
        found.append(sender_domain)
    for pattern in _BLAMED:
        found.extend(match.group(1) for match in pattern.finditer(window))
    if not found:  # "URI listed in multi.surbl.org": the links of the rejection itself
        found.extend(match.group(1) for match in _URL_HOST.finditer(window))
    domains = []
    for domain in (name.rstrip(".").lower() for name in found):
        if domain in domains or _is_list_site(domain, own_hosts) or not _has_letters(domain):
            continue
        domains.append(domain)
    return tuple(domains[:MAX_DOMAINS])


def named_sender(doc: Document, near: int) -> str | None:
    """The sender's domain when the rejection around ``near`` names the sender's address."""
    window = doc.report[max(0, near - _AROUND):min(doc.report_end, near + _AROUND)]
    match = _SENDER_ADDRESS.search(window)
    return match.group(1).rstrip(".").lower() if match else None


def _list_hosts(registry: Registry) -> set[str]:
    """The registrable part of every list operator's zones and pages: never the domain blamed."""
    names = {zone.zone for zone in (*registry.zones, *registry.domain_zones)}
    for provider in registry.providers:
        names.update(_host(url) for url in (provider.lookup, provider.removal, provider.ticket_page) if url)
    return {".".join(name.split(".")[-2:]) for name in names if name}


def _host(url: str) -> str:
    match = _URL_HOST.match(url.lower())
    return match.group(1) if match else ""


def _is_list_site(domain: str, own_hosts: set[str]) -> bool:
    return ".".join(domain.split(".")[-2:]) in own_hosts


def _has_letters(domain: str) -> bool:
    """Not an address written with dots ("203.0.113.5"), which is an IP, not a domain."""
    return any(char.isalpha() for char in domain.rsplit(".", 1)[-1])
