"""Run every benchmark: ``python -m bench [--quick] [name ...]`` (``make bench``).

Each benchmark runs in its own Python process, one after another, so one's threads, caches and
memory cannot colour the next one's numbers. Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.common import ROOT, machine

BENCHMARKS = ("parser", "cache", "fanout", "ack", "memory")


def main(argv: list[str]) -> int:
    options = [arg for arg in argv if arg.startswith("-")]
    names = [arg for arg in argv if not arg.startswith("-")] or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    print(f"# Benchmarks — {time.strftime('%Y-%m-%d %H:%M %Z')}\n{machine()}", flush=True)
    failed = []
    for name in names:
        started = time.perf_counter()
        status = subprocess.call([sys.executable, "-m", f"bench.{name}", *options], cwd=ROOT)
        print(f"({name}: {time.perf_counter() - started:.0f} s, exit {status})", flush=True)
        if status:
            failed.append(name)
    if failed:
        print(f"\nfailed to run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
