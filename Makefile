# One command each: `make run` (set up and run), `make test` (set up and test), `make bench`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# Every package, direct or not, at the version and with the hashes in the lock: nothing floats.
PIP_LOCKED := $(PIP) install --quiet --require-hashes

.PHONY: setup run demo test lint typecheck redis-server bench lock rdap-bootstrap clean

# The project itself, from the checkout, with the locked setuptools (no build isolation: the
# backend comes from the lock too, so no package is fetched without its hash).
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements-dev.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
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

# The state-store tests need a real redis-server (Debian's package): installed here where the user
# may (root with apt), else those tests skip and say why (in CI, with CI set, they fail instead).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null 2>&1; } \
	  || echo "note: redis-server is not installed; the Redis tests will skip (apt-get install redis-server)"

# pytest's exit code 5 means "no tests collected": that must fail loudly, not pass.
test: setup lint typecheck redis-server
	$(PY) -m pytest

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.lock
	$(PIP_LOCKED) -r requirements-bench.lock
	touch $@

# Every benchmark, loopback servers only (see docs/benchmarks.md); BENCH="--quick parser" narrows it.
bench: $(VENV)/.bench-installed
	$(PY) -m bench $(BENCH)

# After changing requirements*.txt (the inputs): regenerate the locks with hashes, resolved on PyPI
# by the pinned pip-tools (requirements-lock-tool.txt), for every platform PyPI has files for.
LOCK_VENV := .venv-lock
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-lock-tool.txt
	for name in requirements requirements-dev requirements-bench; do \
	  PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= PIP_CONSTRAINT= $(LOCK_VENV)/bin/pip-compile --quiet \
	    --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	    --index-url https://pypi.org/simple --output-file $$name.lock $$name.txt || exit 1; \
	done

# IANA's RDAP bootstrap files (which registry answers for which addresses), shipped in the package;
# needs internet access. See bot/diagnosis/owner/rdap_bootstrap/README.md.
rdap-bootstrap: setup
	$(PY) -m tools.refresh_rdap_bootstrap

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache .mypy_cache
