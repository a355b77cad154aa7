"""The locks (requirements*.lock, made by `make lock`) keep up with their inputs (requirements*.txt):
every pin of an input is in its lock at the same version, and every package in a lock has hashes,
so `make setup` installs nothing that was not reviewed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ["requirements.txt", "requirements-dev.txt", "requirements-bench.txt"]
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line.split(maxsplit=1)[1]))
        elif match := _PIN.match(line):
            pins[_normal(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize("source", INPUTS)
def test_every_pin_of_an_input_is_in_its_lock_at_the_same_version(source):
    lock = ROOT / source.replace(".txt", ".lock")
    locked = _pins(lock)
    for name, version in _pins(ROOT / source).items():
        assert locked.get(name) == version, f"{name}=={version} from {source} is {locked.get(name)} in {lock.name}"


@pytest.mark.parametrize("source", INPUTS)
def test_every_locked_package_has_hashes(source):
    text = (ROOT / source.replace(".txt", ".lock")).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1])
    packages = [entry for entry in entries if _PIN.match(entry)]
    assert packages and all("--hash=sha256:" in entry for entry in packages)


def test_the_runtime_pins_agree_across_locks():
    runtime = _pins(ROOT / "requirements.lock")
    for lock in ("requirements-dev.lock", "requirements-bench.lock"):
        other = _pins(ROOT / lock)
        assert {name: other.get(name) for name in runtime} == runtime, lock
