"""``python -m bot doctor``: is the lookup path trustworthy, and if not, what to change.

The one check that matters most is Spamhaus's self-test through the configured resolver: a public
resolver gets refused (127.255.255.254) or, worse, a silent NXDOMAIN that would read as "clean".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.providers.spamhaus import dqs_key_shaped


@dataclass(frozen=True)
class Check:
    name: str
    status: Literal["ok", "warn", "fail"]
    detail: str  # plain English for operators; never contains a secret


async def run_doctor(diagnoser: Diagnoser) -> list[Check]:
    """The lookup path's checks. Surfaces add their own (the terminal adds Slack's set-up)."""
    options = diagnoser.options
    checks = [Check("resolver", "ok", f"DNS lookups go to {options.resolver_label}")]

    if options.dqs_key:
        if dqs_key_shaped(options.dqs_key):
            checks.append(Check("dqs_key", "ok", "SPAMHAUS_DQS_KEY is set: Spamhaus is queried via DQS"))
        else:
            checks.append(Check("dqs_key", "warn", "SPAMHAUS_DQS_KEY does not look like a 26-character DQS key"))
    else:
        checks.append(Check("dqs_key", "warn", "SPAMHAUS_DQS_KEY is not set: the free public mirror is used, which "
                            "refuses public and cloud resolvers. Get a free DQS key for production."))

    self_test, rdap = await asyncio.gather(diagnoser.dnsbl.self_test(fresh=True), diagnoser.owners.rdap_reachable())
    if self_test.ok:
        checks.append(Check("spamhaus_self_test", "ok",
                            f"{self_test.zone}: 127.0.0.2 is listed and 127.0.0.1 is not: answers can be trusted"))
    else:
        advice = {
            "open_resolver": "Spamhaus refuses this resolver as public. Set SPAMHAUS_DQS_KEY or point "
                             "DNS_NAMESERVERS at your own recursive resolver.",
            "rate_limited": "This resolver sends too many queries to Spamhaus. Use a DQS key or your own resolver.",
            "zone_typo": "The zone name is wrong; with DQS, check the key.",
            "refused": "The resolver refused the query (a switched-off DQS key gets REFUSED).",
            "servfail": "The resolver failed (SERVFAIL): with DQS the key may be switched off.",
            "timeout": "No answer: check DNS_NAMESERVERS and that this machine can reach it on port 53.",
        }.get(self_test.error or "", "Test point 127.0.0.2 is not listed through this resolver: it may rewrite "
              "or filter answers (a public resolver, an ad blocker). Use your own resolver or DQS.")
        detail = f"{self_test.zone}: self-test failed ({self_test.error or 'unexpected answer'}). {advice}"
        checks.append(Check("spamhaus_self_test", "fail", detail))

    reachable, detail = rdap
    checks.append(Check("rdap", "ok" if reachable else "warn",
                        detail if reachable else f"{detail}. Ownership will show as unknown until RDAP answers."))

    return checks
