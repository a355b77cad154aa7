"""What to do about a domain a bounce blames, from what the domain lists say about it now.

A domain list (Spamhaus DBL, ZRD) blames a domain in the mail, not the server that sent it: the
sender's own domain, or a domain in the message (a link, a tracking or shortening domain). Whose
move it is follows from which:

* DBL, your domain (the envelope sender's, or one of ``OWN_DOMAINS``): find and stop the cause,
  then ask for removal on Spamhaus's domain lookup page, which is the removal route for DBL;
* DBL, a legitimate domain abused (127.0.1.102-106): the site is compromised; clean it first;
* DBL, someone else's domain in the message: take it out of the message; only its owner can have
  it removed;
* ZRD: a newly seen domain; the listing lapses within 24 hours of first sighting, nothing to ask;
* not listed now, or could not check: say so, with the lookup page.
"""

from __future__ import annotations

from bot.diagnosis.model import Bounce, DnsblStatus, DomainCheck, FixStep, Removal
from bot.diagnosis.options import OwnContext
from bot.diagnosis.providers import DEFAULT, Provider, Registry


def is_own_domain(domain: str, bounce: Bounce, own: OwnContext) -> bool:
    """The sender's own domain, or one the operator named as theirs."""
    mine = {*(d.lower() for d in own.domains), *((bounce.sender_domain or "").lower(),)} - {""}
    return any(domain == d or domain.endswith(f".{d}") for d in mine)


def domain_steps(bounce: Bounce, checks: tuple[DomainCheck, ...], own: OwnContext,
                 registry: Registry = DEFAULT) -> tuple[FixStep, ...]:
    steps: list[FixStep] = []
    for check in checks:
        domain, report = check.domain, check.report
        provider = (registry.provider(report.listings[0].provider) if report.listings else None) or (
            _domain_provider(registry))
        page = provider.domain_page(domain) if provider else None
        if report.status == DnsblStatus.LISTED:
            for listing in report.listings:
                params = {"domain": domain, "list": listing.list}
                if listing.removal == Removal.EXPIRES:
                    steps.append(FixStep("fix.domain.zrd", params, page))
                elif listing.meaning.split(".")[-1].startswith("dbl_abused"):
                    steps.append(FixStep("fix.domain.abused", params, listing.url or page))
                elif is_own_domain(domain, bounce, own):
                    steps.append(FixStep("fix.domain.own", params, listing.url or page))
                else:
                    steps.append(FixStep("fix.domain.in_message", params, listing.url or page))
        elif report.status == DnsblStatus.NOT_LISTED:
            steps.append(FixStep("fix.domain.not_listed", {"domain": domain}, page))
        else:
            steps.append(FixStep("fix.domain.unknown", {"domain": domain}, page))
    seen: set[tuple[str, tuple[tuple[str, object], ...]]] = set()
    unique = []
    for step in steps:  # one step per domain and list, though a list may answer two codes
        identity = (step.key, tuple(sorted(step.params.items())))
        if identity not in seen:
            seen.add(identity)
            unique.append(step)
    return tuple(unique)


def _domain_provider(registry: Registry) -> Provider | None:
    """The provider whose domain lists were asked (the one with a domain lookup page)."""
    return next((provider for provider in registry.providers if provider.domain_lookup), None)
