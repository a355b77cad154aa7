"""The benchmarks still run (``--quick``): a smoke test, not a speed test. Their numbers are read by
people, in docs/benchmarks.md; here only that each finishes and states its verdicts.

The parser and cache benchmarks need nothing beyond the test tools; fan-out (pydnsbl, port 53),
ack and memory (a serving process each, psutil) are left to ``make bench``.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.common import ROOT
from loopback.serve_process import GUARD


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("name", "verdicts"), [("parser", 5), ("cache", 2)])
def test_benchmark_runs_and_states_its_verdicts(name, verdicts):
    environment = {**os.environ, "PYTHONPATH": f"{GUARD}{os.pathsep}{ROOT}"}
    result = subprocess.run([sys.executable, "-m", f"bench.{name}", "--quick"], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=110)
    assert result.returncode == 0, result.stderr[-2000:]
    stated = [row for row in result.stdout.splitlines() if "target met" in row or "TARGET MISSED" in row]
    assert len(stated) == verdicts, result.stdout[-2000:]
