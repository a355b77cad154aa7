"""Each listener parses what it was given once and diagnoses that very Bounce (screening, the
placeholder's IP and the diagnosis all read one parse), shown with a counting diagnoser handed to
the app as ``build_app`` takes any ``BounceDiagnoser``. And a shutdown waits for answers in progress."""

from __future__ import annotations

import asyncio

import pytest

from bot.diagnosis.model import Bounce, Diagnosis
from bot.slack.deps import InFlight
from loopback.dnsbl_zones import list_ip
from loopback.fake_slack import BOT_USER_ID
from tests.support.slack_harness import running_app, settle, wait_calls
from tests.support.slack_limits import mrkdwn_texts

LISTED_IP = "45.61.150.7"
CLEAN_IP = "88.198.20.10"
BOUNCE = (f"<bob@example.com>: host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; "
          f"Client host [{LISTED_IP}] blocked using zen.spamhaus.org (in reply to RCPT TO command)")


class CountingDiagnoser:
    """The real diagnoser, counting what it is asked: texts parsed, bounces diagnosed, texts diagnosed."""

    def __init__(self, real):
        self.real = real
        self.parsed: list[str] = []
        self.bounces: list[Bounce] = []
        self.texts: list[str] = []

    @property
    def answer_deadline(self) -> float:
        return self.real.answer_deadline

    def parse(self, text: str) -> Bounce:
        self.parsed.append(text)
        return self.real.parse(text)

    async def diagnose_bounce(self, bounce: Bounce, *, fresh: bool = False) -> Diagnosis:
        self.bounces.append(bounce)
        return await self.real.diagnose_bounce(bounce, fresh=fresh)

    async def diagnose_all(self, bounce: Bounce, *, fresh: bool = False) -> tuple[Diagnosis, ...]:
        self.bounces.append(bounce)
        return await self.real.diagnose_all(bounce, fresh=fresh)

    async def diagnose(self, text: str, *, fresh: bool = False) -> Diagnosis:
        self.texts.append(text)
        return await self.real.diagnose(text, fresh=fresh)


@pytest.fixture
async def counted(settings, diagnoser, fake_slack, dns):
    list_ip(dns, LISTED_IP, "zen.spamhaus.org", "127.0.0.2")
    counting = CountingDiagnoser(diagnoser)
    async with running_app(settings, counting, fake_slack) as app:
        yield app, counting


def _text(call) -> str:
    return "\n".join(mrkdwn_texts(call.params))


async def test_a_pasted_bounce_is_parsed_once_for_screening_placeholder_and_diagnosis(counted):
    app, counting = counted
    await app.sender.event(app.sender.message_event(BOUNCE))
    (placeholder,) = await wait_calls(app.fake, "chat.postMessage")
    assert LISTED_IP in placeholder.params["text"]  # the placeholder's IP came from that parse too
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED_IP} is listed" in _text(update)
    assert counting.parsed == [BOUNCE]
    assert len(counting.bounces) == 1 and counting.bounces[0].blocked_ip == LISTED_IP
    assert counting.texts == []


async def test_ordinary_chat_is_parsed_once_and_never_diagnosed(counted):
    app, counting = counted
    await app.sender.event(app.sender.message_event("lunch at 12:30?"))
    await settle(0.2)
    assert counting.parsed == ["lunch at 12:30?"] and counting.bounces == [] and counting.texts == []


async def test_help_in_a_direct_message_is_not_parsed(counted):
    app, counting = counted
    await app.sender.event(app.sender.message_event("help", channel="D_DM", channel_type="im"))
    await wait_calls(app.fake, "chat.postMessage")
    assert counting.parsed == []


async def test_an_ip_in_a_direct_message_is_parsed_once(counted):
    app, counting = counted
    await app.sender.event(app.sender.message_event(CLEAN_IP, channel="D_DM", channel_type="im"))
    await wait_calls(app.fake, "chat.update")
    assert counting.parsed == [CLEAN_IP] and len(counting.bounces) == 1 and counting.texts == []


async def test_a_malformed_ip_in_a_direct_message_is_answered_with_what_is_wrong(counted, dns):
    app, counting = counted
    await app.sender.event(app.sender.message_event("300.1.2.3", channel="D_DM", channel_type="im"))
    (update,) = await wait_calls(app.fake, "chat.update")
    assert "does not look like a valid IP address" in _text(update)
    assert counting.parsed == ["300.1.2.3"] and dns.query_count == 0


async def test_a_mention_is_parsed_once(counted):
    app, counting = counted
    event = app.sender.message_event("", kind="app_mention")
    event["text"] = f"<@{BOT_USER_ID}> {CLEAN_IP}"
    await app.sender.event(event)
    await wait_calls(app.fake, "chat.update")
    assert counting.parsed == [CLEAN_IP] and len(counting.bounces) == 1 and counting.texts == []


async def test_a_slash_command_is_parsed_once(counted):
    app, counting = counted
    await app.sender.command(BOUNCE)
    await wait_calls(app.fake, "chat.postMessage", 2)
    assert counting.parsed == [BOUNCE] and len(counting.bounces) == 1 and counting.texts == []


async def test_a_message_shortcut_is_parsed_once(counted):
    app, counting = counted
    await app.sender.shortcut(BOUNCE)
    await wait_calls(app.fake, "chat.update")
    assert counting.parsed == [BOUNCE] and len(counting.bounces) == 1 and counting.texts == []


async def test_a_recheck_parses_the_text_its_button_carries_once(counted):
    app, counting = counted
    await app.sender.event(app.sender.message_event(BOUNCE))
    (update,) = await wait_calls(app.fake, "chat.update")
    await app.sender.click(update, "recheck")
    await wait_calls(app.fake, "chat.update", 2)
    assert counting.parsed == [BOUNCE, BOUNCE] and len(counting.bounces) == 2 and counting.texts == []


async def test_a_button_posted_by_an_older_version_with_only_the_ip_is_rechecked_in_the_clickers_language(counted):
    app, counting = counted
    await app.sender.event(app.sender.message_event(BOUNCE))
    (update,) = await wait_calls(app.fake, "chat.update")
    await app.sender.click(update, "recheck", user="U_TW", value=LISTED_IP)
    _, rechecked = await wait_calls(app.fake, "chat.update", 2)
    assert rechecked.params["ts"] == update.params["ts"]
    assert "已被列入" in _text(rechecked) and LISTED_IP in _text(rechecked)
    assert counting.parsed == [BOUNCE, LISTED_IP]


async def test_shutdown_waits_for_answers_in_progress():
    in_flight = InFlight()
    answered = []

    async def answer():
        with in_flight.track():
            await asyncio.sleep(0.2)
            answered.append(True)

    task = asyncio.create_task(answer())
    await asyncio.sleep(0)
    await in_flight.wait_idle(timeout=5)
    assert answered == [True] and task.done()


async def test_shutdown_waits_no_longer_than_its_timeout():
    in_flight = InFlight()
    started = asyncio.Event()

    async def hung():
        with in_flight.track():
            started.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(hung())
    await started.wait()
    loop = asyncio.get_running_loop()
    began = loop.time()
    await in_flight.wait_idle(timeout=0.1)
    assert loop.time() - began < 2 and task.cancelled()  # abandoned, not left running into the exit
