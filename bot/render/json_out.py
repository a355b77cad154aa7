"""Diagnosis -> the JSON documented in README.md for ``python -m bot check --json`` / ``extract --json``."""

from __future__ import annotations

from typing import Any

from bot.diagnosis.model import Bounce, Diagnosis, to_dict
from bot.render.common import present


def bounce_json(bounce: Bounce) -> dict[str, Any]:
    return {
        "ip": bounce.blocked_ip,
        "candidates": [to_dict(c) for c in bounce.candidates],
        "blocklist": to_dict(bounce.blocklist) if bounce.blocklist else None,
        "rejecting_host": bounce.rejecting_host,
        "smtp_code": bounce.smtp_code,
        "enhanced_code": bounce.enhanced_code,
        "receiver_misconfigured": bounce.receiver_misconfigured,
        "resolver_ip": bounce.resolver_ip,
        "sender_domain": bounce.sender_domain,
        "recipient_domain": bounce.recipient_domain,
        "rejection_kind": bounce.rejection_kind,
        "problem": bounce.problem,
    }


def diagnosis_json(diagnosis: Diagnosis, lang: str = "en") -> dict[str, Any]:
    view = present(diagnosis, lang)
    report = diagnosis.dnsbl
    owner = diagnosis.owner
    return {
        **bounce_json(diagnosis.bounce),
        "ip": diagnosis.ip,
        "ip_problem": diagnosis.ip_problem,
        "headline": view.headline,
        "dnsbl_status": diagnosis.dnsbl_status,
        "listings": [
            {"list": item.list, "provider": item.provider, "zone": item.zone, "code": item.code,
             "reason": item.reason, "url": item.url, "ticket": item.ticket, "meaning": view_item.meaning}
            # the view lists the domains' listings first, then the IP's
            for item, view_item in zip(report.listings if report else (),
                                       view.listings[len(view.listings) - len(report.listings if report else ()):],
                                       strict=True)
        ],
        "checks": [to_dict(zone) for zone in report.zones] if report else [],
        "not_checked": list(report.skipped) if report else [],
        "blocked_by": diagnosis.blocked_by,
        "self_test": to_dict(report.self_test) if report and report.self_test else None,
        "resolver": report.resolver if report else None,
        "dqs": report.dqs if report else False,
        "owner": {
            "name": owner.name, "network": owner.network_name, "cidr": owner.cidr, "asn": owner.asn,
            "as_name": owner.asn_description, "country": owner.country, "abuse": list(owner.abuse),
            "registry": owner.registry, "nir": owner.nir, "provider_name": owner.provider_name,
            "provider_abuse": list(owner.provider_abuse), "rdns": owner.rdns, "rdns_confirmed": owner.rdns_confirmed,
            "error": owner.error,
        } if owner else None,
        "domains": [
            {"domain": check.domain, "status": check.report.status,
             "listings": [to_dict(listing) for listing in check.report.listings],
             "checks": [to_dict(zone) for zone in check.report.zones], "not_checked": list(check.report.skipped)}
            for check in diagnosis.domains
        ],
        "case": diagnosis.case,
        "case_reason": view.case_reason,
        "fix": [f"{text} {url}" if url else text for text, url in view.fix],
        "checked_at": diagnosis.checked_at,
        "elapsed_ms": diagnosis.elapsed_ms,
    }
