"""Redelivered events and double deliveries are answered once, in bounded memory."""

from bot.slack.dedupe import Deduper


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_new_once():
    seen = Deduper()
    assert seen.first_time(("event", "Ev1")) is True
    assert seen.first_time(("event", "Ev1")) is False
    assert seen.first_time(("event", "Ev2")) is True


def test_keys_are_remembered_for_at_least_ten_minutes_then_forgotten():
    clock = Clock()
    seen = Deduper(ttl=900, timer=clock)
    seen.first_time("k")
    clock.now += 600
    assert seen.first_time("k") is False
    clock.now += 301
    assert seen.first_time("k") is True


def test_memory_is_bounded_oldest_forgotten_first():
    seen = Deduper(maxsize=100)
    for n in range(1000):
        seen.first_time(n)
    assert len(seen) == 100
    assert seen.first_time(999) is False
    assert seen.first_time(0) is True


def test_expired_keys_are_dropped_without_being_asked_about():
    clock = Clock()
    seen = Deduper(ttl=10, timer=clock)
    for n in range(50):
        seen.first_time(n)
    clock.now += 11
    assert len(seen) == 0
