# One command each: `make run` (set up and run), `make test` (set up and test), `make bench`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup run test lint typecheck bench rdap-bootstrap clean

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# With Slack credentials in the environment (or .env) this serves Slack; without, it diagnoses a
# sample bounce in the terminal and explains how to connect Slack.
run: setup
	$(PY) -m bot

lint: setup
	$(PY) -m ruff check .

# Types: mypy with the settings in pyproject.toml (strict flags on the core, bot/diagnosis).
typecheck: setup
	$(PY) -m mypy

# pytest's exit code 5 means "no tests collected": that must fail loudly, not pass.
test: setup lint typecheck
	$(PY) -m pytest

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

# Every benchmark, loopback servers only (see docs/benchmarks.md); BENCH="--quick parser" narrows it.
bench: $(VENV)/.bench-installed
	$(PY) -m bench $(BENCH)

# IANA's RDAP bootstrap files (which registry answers for which addresses), shipped in the package;
# needs internet access. See bot/diagnosis/owner/rdap_bootstrap/README.md.
rdap-bootstrap: setup
	$(PY) -m tools.refresh_rdap_bootstrap

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
