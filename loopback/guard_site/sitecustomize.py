"""Put on PYTHONPATH of a subprocess under test so that it gets the same loopback-only guard."""

from loopback import netguard

netguard.install()
