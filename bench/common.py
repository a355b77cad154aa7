"""What every benchmark shares: the network guard, statistics over repeats, and how results print.

Each benchmark module has ``main(argv) -> int`` and prints a titled block of lines. Numbers are
reported as ``median (min–max, n=…)`` so the spread is always visible next to the median; ratios
are computed from numbers measured in the same run.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from loopback import netguard

netguard.install()  # benchmarks talk to loopback servers only

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Stats:
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def percentile(self, fraction: float) -> float:
        return percentile(self.samples, fraction)

    def fmt(self, unit: str = "ms", digits: int = 1) -> str:
        return (f"{self.median:.{digits}f} {unit} ({self.low:.{digits}f}–{self.high:.{digits}f}, "
                f"n={len(self.samples)})")


def stats(samples: Iterable[float]) -> Stats:
    values = tuple(samples)
    if not values:
        raise ValueError("no samples")
    return Stats(values)


def percentile(values: Iterable[float], fraction: float) -> float:
    """Nearest-rank percentile: ``percentile(xs, 0.99)``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_ms(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def repeat_ms(function: Callable[[], object], repeats: int, warmup: int = 1) -> Stats:
    for _ in range(warmup):
        function()
    return stats(time_ms(function) for _ in range(repeats))


def title(text: str) -> None:
    print(f"\n## {text}", flush=True)


def line(text: str) -> None:
    print(f"- {text}", flush=True)


def verdict(name: str, ok: bool, detail: str) -> str:
    """One target line: ``target met`` / ``TARGET MISSED`` and what was compared."""
    return f"{name}: {'target met' if ok else 'TARGET MISSED'} ({detail})"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{memory}; "
            f"Python {platform.python_version()} ({sys.implementation.name})")


def quick(argv: list[str]) -> bool:
    """``--quick``: fewer repeats, for a smoke run; the numbers in docs/benchmarks.md use the default."""
    return "--quick" in argv
