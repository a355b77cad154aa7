"""Pytest fixtures for the state stores: a real ``redis-server`` (Debian's package, started by
pytest-redis on a free port) and a SQLite file per test. Registered by ``pytest_plugins`` in
tests/conftest.py.

Without ``redis-server`` on the machine the Redis tests skip with a message saying how to get it;
in CI (``CI`` set, as ``.ci/run`` does) that is a failure instead, since CI installs it.
"""

from __future__ import annotations

import os
import shutil

import pytest
import redis
from pytest_redis import factories

redis_server = factories.redis_proc(executable=shutil.which("redis-server") or "/usr/bin/redis-server", port=None)


@pytest.fixture
def redis_url(request: pytest.FixtureRequest) -> str:
    """A URL of a real, empty Redis on loopback."""
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server); the Redis tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = request.getfixturevalue("redis_server")
    url = f"redis://{server.host}:{server.port}/0"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


@pytest.fixture
def database_path(tmp_path) -> str:
    return str(tmp_path / "bounce-doctor.db")
