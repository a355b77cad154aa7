"""Who holds an IP address: RDAP through ipwhois (``lookup``), read into an ``Owner`` (``records``),
optionally through an RDAP relay (``relay``)."""

from bot.diagnosis.owner.lookup import OwnerLookup
from bot.diagnosis.owner.records import owner_from_rdap
from bot.diagnosis.owner.relay import RelayOpener, make_relay_opener

__all__ = ["OwnerLookup", "RelayOpener", "make_relay_opener", "owner_from_rdap"]
