"""The Slack app served for real on loopback, as fixtures; the sending side is loopback/slack_sender.py.

Its fixtures are registered for every test by ``pytest_plugins`` in tests/conftest.py:

* ``fake_slack``: the fake Slack Web API (loopback/fake_slack.py), emptied for each test;
* ``diagnoser``: the real ``Diagnoser`` asking only the loopback DNS server (``dns``) and the
  recorded-RDAP server (``rdap``), with healthy test points on every list and the ownership
  fixtures loaded;
* ``slack``: the app built by ``build_app`` and served by the aiohttp application ``server.py``
  builds, on 127.0.0.1 and a free port, with a ``SlackSender`` to talk to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bot.config import Nameserver, Settings
from bot.diagnosis.diagnose import Diagnoser
from bot.slack.app import build_app, deps_for, make_client
from bot.slack.deps import Deps
from bot.slack.server import bound_port, create_web_app, start_web_app
from bot.slack.watches import run_watches
from bot.state import StateStore
from loopback.dnsbl_zones import serve_healthy_lists
from loopback.fake_slack import FakeSlack
from loopback.rdap_server import serve_owner_fixtures
from loopback.slack_sender import (  # noqa: F401  (re-exported for the tests)
    APP_TOKEN,
    BOT_TOKEN,
    CHANNEL,
    SIGNING_SECRET,
    SlackSender,
    settle,
    wait_calls,
)


def test_settings(fake: FakeSlack, dns, rdap_url: str, **overrides) -> Settings:
    values = dict(
        slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_app_token=APP_TOKEN,
        slack_api_url=fake.api_url, port=0,
        dns_nameservers=(Nameserver(dns.host, dns.port),), dns_timeout=0.5, diagnosis_timeout=2.0,
        rdap_timeout=2.0, rdap_relay=rdap_url, default_lang="en",
        # a state store of its own, never a bounce-doctor.db in the checkout shared between runs
        database_path=str(Path(tempfile.mkdtemp(prefix="bot-state-")) / "bounce-doctor.db"),
    )
    values.update(overrides)
    return Settings(**values)


test_settings.__test__ = False  # not a test, despite the name


@pytest.fixture(scope="session")
def fake_slack_server():
    with FakeSlack() as server:
        yield server


@pytest.fixture
def fake_slack(fake_slack_server):
    fake_slack_server.reset()
    fake_slack_server.locales["U_TW"] = "zh-TW"
    yield fake_slack_server
    fake_slack_server.reset()


@pytest.fixture
def settings(fake_slack, dns, rdap) -> Settings:
    return test_settings(fake_slack, dns, rdap.url)


@pytest.fixture
def diagnoser(settings, dns, rdap):
    serve_healthy_lists(dns)
    serve_owner_fixtures(dns, rdap)
    diagnoser = Diagnoser.create(settings.lookups, settings.own)
    yield diagnoser
    diagnoser.close()


@dataclass
class RunningApp:
    url: str
    sender: SlackSender
    settings: Settings
    fake: FakeSlack
    deps: Deps | None = None


@contextlib.asynccontextmanager
async def running_app(settings: Settings, diagnoser, fake: FakeSlack, *, store: StateStore | None = None):
    """The app built as ``serve`` builds it (shared Web API session), on a free loopback port. With
    ``store``, the state lives there and due watches are worked, as ``serve`` does."""
    async with aiohttp.ClientSession() as api_session:
        client = make_client(settings, session=api_session)
        deps = deps_for(settings, diagnoser, store)
        bolt_app = build_app(settings, diagnoser, client=client, deps=deps)
        web_app = create_web_app(bolt_app, signing_secret=settings.slack_signing_secret)
        runner = await start_web_app(web_app, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{bound_port(runner)}"
        sender_session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        stop = asyncio.Event()
        watching = asyncio.create_task(run_watches(deps, client, stop)) if store is not None else None
        try:
            yield RunningApp(url, SlackSender(url, sender_session, fake), settings, fake, deps)
        finally:
            stop.set()
            if watching is not None:
                await watching
            await sender_session.close()
            await drain()
            await runner.cleanup()


@pytest.fixture
async def slack(settings, diagnoser, fake_slack):
    async with running_app(settings, diagnoser, fake_slack) as app:
        yield app


async def drain(timeout: float = 10.0) -> None:
    """Let listeners still running after their ack finish, so that their lookups (some in threads)
    do not spill into the next test."""
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    if others:
        await asyncio.wait(others, timeout=timeout)
