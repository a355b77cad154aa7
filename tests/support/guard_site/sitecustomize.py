"""Put on PYTHONPATH of a subprocess under test so that it gets the same loopback-only guard."""

from tests.support import netguard

netguard.install()
