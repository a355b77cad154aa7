"""``python -m bot doctor``: is the lookup path trustworthy, and if not, what to change.

The one check that matters most is Spamhaus's self-test through the configured resolver: a public
resolver gets refused (127.255.255.254) or, worse, a silent NXDOMAIN that would read as "clean".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal

from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.providers.spamhaus import dqs_key_shaped


@dataclass(frozen=True)
class Check:
    name: str
    status: Literal["ok", "warn", "fail"]
    key: str  # catalogue key of the sentence: the surface puts it in the reader's language
    params: dict[str, str] = field(default_factory=dict)  # never a secret


async def run_doctor(diagnoser: Diagnoser) -> list[Check]:
    """The lookup path's checks. Surfaces add their own (the terminal adds Slack's set-up)."""
    options = diagnoser.options
    checks = [Check("resolver", "ok", "doctor.resolver", {"resolver": options.resolver_label})]

    if options.dqs_key:
        if dqs_key_shaped(options.dqs_key):
            checks.append(Check("dqs_key", "ok", "doctor.dqs_set"))
        else:
            checks.append(Check("dqs_key", "warn", "doctor.dqs_shape"))
    else:
        checks.append(Check("dqs_key", "warn", "doctor.dqs_missing"))

    self_test, rdap = await asyncio.gather(diagnoser.dnsbl.self_test(fresh=True), diagnoser.owners.rdap_reachable())
    if self_test.ok:
        checks.append(Check("spamhaus_self_test", "ok", "doctor.self_test_ok", {"zone": self_test.zone}))
    else:
        # The words for each failure are the ones a diagnosis shows ("error.<kind>"): the same advice.
        checks.append(Check("spamhaus_self_test", "fail", "doctor.self_test_failed",
                            {"zone": self_test.zone, "error": self_test.error or "unexpected"}))

    reachable, detail = rdap
    checks.append(Check("rdap", "ok" if reachable else "warn", "doctor.rdap_ok" if reachable else "doctor.rdap_failed",
                        {"detail": detail}))
    return checks
