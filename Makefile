# One command each: `make run` (set up and run), `make test` (set up and test), `make bench`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup run demo test lint typecheck bench clean

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

# The terminal report against the loopback DNS and recorded-RDAP servers the tests use: offline, with a
# listed address, its owner and the fix. DEMO="--lang zh-TW" or DEMO="--blocks" passes options on.
demo: setup
	$(PY) -m loopback.demo $(DEMO)

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

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
