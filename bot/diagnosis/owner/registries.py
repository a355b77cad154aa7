"""What the ownership reading knows about registries, as data: the national internet registries
(NIRs) that appear in an RIR's answer for the blocks they delegate, and the network types by which
ARIN marks a block an ISP passed on to its customer. Public sources: docs/sources.md,
"Ownership lookups"."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Nir:
    """A national registry below an RIR. In the RIR's answer its own records (its IRT, its hostmaster
    role, its name as the block's description) stand for the registry, not for the block's holder."""

    name: str  # as shown, e.g. "JPNIC"
    handle_parts: tuple[str, ...]  # a handle naming the NIR has one of these as a dash-separated part
    organisations: tuple[str, ...] = ()  # its names as they appear in vCards and descriptions


NIRS: tuple[Nir, ...] = (
    Nir("JPNIC", ("JPNIC", "JNIC1"), ("Japan Network Information Center",)),
    Nir("KRNIC", ("KRNIC", "KISA"), ("Korea Internet & Security Agency", "Korea Network Information Center")),
    Nir("TWNIC", ("TWNIC",), ("Taiwan Network Information Center",)),
    Nir("CNNIC", ("CNNIC",), ("China Internet Network Information Center",)),
    Nir("IDNIC", ("IDNIC",), ("Indonesia Network Information Center",)),
    Nir("VNNIC", ("VNNIC",), ("Vietnam Internet Network Information Center",)),
    Nir("IRINN", ("IRINN",), ("Indian Registry for Internet Names and Numbers",)),
)

# ARIN network types of a block an ISP re-delegated ("ASSIGNMENT" is what ARIN's RDAP sends for a
# simple reassignment to a customer); direct allocations and assignments come from ARIN itself, and
# their parent is ARIN's own block, never a provider.
DOWNSTREAM_TYPES = frozenset({"ASSIGNMENT", "ALLOCATION", "REASSIGNMENT", "REALLOCATION", "REASSIGNED",
                              "REALLOCATED"})

# An organisation's handle used as a name (AFRINIC names networks and vCards "ORG-VSA1-AFRINIC").
ORG_HANDLE = re.compile(r"ORG-[A-Z0-9]+-[A-Z]+", re.IGNORECASE)


def nir_named(handle: str | None = None, name: str | None = None) -> Nir | None:
    """The NIR a handle or an organisation name stands for, if any."""
    parts = set((handle or "").upper().split("-"))
    folded = (name or "").strip().casefold()
    for nir in NIRS:
        if parts & set(nir.handle_parts) or (folded and folded in (o.casefold() for o in nir.organisations)):
            return nir
    return None
