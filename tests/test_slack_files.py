"""Bounces as they reach Slack besides a paste: mailed in by Slack's Email app, forwarded from
another channel, uploaded as ``.eml``/``.txt``. Real payload shapes, sent to the real app over HTTP,
with files served by the fake Slack (which, like Slack, answers a download without the right token
with its HTML sign-in page) and lookups answered by the loopback DNS and RDAP servers.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from bot.diagnosis.parse.mail import file_text
from bot.slack.content import blocks_text, inline_text
from bot.slack.files import FileReader, SharedFile, is_mail_in, shared_files
from loopback.dnsbl_zones import list_ip
from loopback.fake_slack import BOT_ID, BOT_USER_ID, FakeSlack
from loopback.slack_sender import BOT_TOKEN
from tests.support.slack_harness import running_app, settle, test_settings, wait_calls
from tests.support.slack_limits import mrkdwn_texts

ROOT = Path(__file__).resolve().parents[1]
EML = ROOT / "tests" / "fixtures" / "bounces" / "c17-postfix-dsn-base64.eml"
EML_IP = "203.0.113.33"  # blocked in the fixture; 198.51.100.7 (the receiver) and 192.0.2.40 (a hop) are not
LISTED = "45.61.150.7"
INTERACTIVE = ("Re-check now", "Notify me when delisted")  # buttons only an answer in Slack has
EMAIL_APP_BOT = "B0EMAILAPP"
NOTIFICATION = (
    "This is the mail system at host relay.example.com.\n\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients. It's attached below.\n\n"
    "For further assistance, please send mail to postmaster.\n\n"
    "If you do so, please include this problem report. You can\n"
    "delete your own text from the attached returned message.\n\n"
    "                   The mail system\n\n"
    f"<bob@example.net>: host mx.example.net[198.51.100.7] said: 554 5.7.1 Service\n"
    f"    unavailable; Client host [{LISTED}] blocked using zen.spamhaus.org;\n"
    f"    https://www.spamhaus.org/query/ip/{LISTED} (in reply to RCPT TO command)\n"
)


def text_of(call) -> str:
    return "\n".join(mrkdwn_texts(call.params))


def email_app_file(fake: FakeSlack, *, plain_text: str | None = NOTIFICATION, file_id: str = "F0MAIL1") -> dict:
    """A mail the Email app posted, as the file object of its ``file_share`` event: ``mode`` and
    ``filetype`` ``email``, the whole mail in ``plain_text``, a preview cut short."""
    payload = fake.host_file(
        file_id, "Undelivered Mail Returned to Sender", b"<html><body>mail</body></html>", mimetype="text/html",
        filetype="email", mode="email", pretty_type="Email", user="USLACKBOT", editable=True,
        subject="Undelivered Mail Returned to Sender",
        to=[{"address": "postmaster-abc123@example.slack.com", "name": "", "original": "postmaster"}],
        **{"from": [{"address": "MAILER-DAEMON@relay.example.com", "name": "Mail Delivery System",
                     "original": "Mail Delivery System <MAILER-DAEMON@relay.example.com>"}]},
        cc=[], attachments=[], original_attachment_count=1, preview="<p>This is the mail system</p>",
        preview_plain_text=NOTIFICATION[:180], preview_is_truncated=True, has_more=True,
        headers={"date": "Tue, 12 Mar 2024 10:01:02 +0000", "message_id": "<x@relay.example.com>"},
        bot_id=EMAIL_APP_BOT)
    if plain_text is not None:
        payload["plain_text"] = plain_text
        fake.files[file_id] = payload
    return payload


def email_app_event(sender, file: dict, **extra) -> dict:
    ts = sender.new_ts()
    return {"type": "message", "subtype": "file_share", "text": "", "user": "USLACKBOT", "bot_id": EMAIL_APP_BOT,
            "upload": False, "display_as_bot": False, "files": [file], "channel": "C_OPS", "channel_type": "channel",
            "ts": ts, "event_ts": ts, **extra}


def upload_event(sender, file: dict, text: str = "", *, channel_type: str = "channel", channel: str = "C_OPS",
                 **extra) -> dict:
    ts = sender.new_ts()
    return {"type": "message", "subtype": "file_share", "text": text, "user": "U_EN", "upload": True,
            "display_as_bot": False, "files": [file], "channel": channel, "channel_type": channel_type,
            "ts": ts, "event_ts": ts, **extra}


def forwarded_event(sender, *, text: str = "", attachment: dict) -> dict:
    ts = sender.new_ts()
    return {"type": "message", "text": text, "user": "U_EN", "attachments": [attachment], "channel": "C_OPS",
            "channel_type": "channel", "ts": ts, "event_ts": ts}


def rich_text(*lines: str) -> list[dict]:
    """A message's blocks as a Slack client writes them: a paragraph, then the bounce preformatted."""
    return [{"type": "rich_text", "block_id": "b1", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": lines[0]}]},
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "\n".join(lines[1:])}]},
    ]}]


def shared_message(bounce: str) -> dict:
    """A message forwarded (shared) from another channel: the bounce only in ``message_blocks``."""
    return {"is_share": True, "is_msg_unfurl": True, "ts": "1699990000.000100", "channel_id": "C_OTHER",
            "author_id": "U_OTHER", "fallback": "[March 12th, 2024 10:02 AM] other: bounce",
            "message_blocks": [{"team": "T_TEST", "channel": "C_OTHER", "ts": "1699990000.000100",
                                "message": {"blocks": rich_text("This bounced again:", *bounce.splitlines())}}],
            "color": "D0D0D0", "from_url": "https://test.slack.com/archives/C_OTHER/p1699990000000100",
            "mrkdwn_in": ["text"], "footer": "Posted in #mail-ops"}


@pytest.fixture
async def app(settings, diagnoser, fake_slack, dns):
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.2")
    list_ip(dns, EML_IP, "zen.spamhaus.org", "127.0.0.2")
    fake_slack.file_token = BOT_TOKEN  # like Slack: a download without the bot token gets a sign-in page
    async with running_app(settings, diagnoser, fake_slack) as running:
        yield running


# --- Slack's Email app ----------------------------------------------------------------------------

async def test_a_bounce_mailed_in_by_the_email_app_is_answered_in_its_thread_from_the_whole_mail(app):
    event = email_app_event(app.sender, email_app_file(app.fake))
    assert LISTED not in event["files"][0]["preview_plain_text"]  # the preview stops before the rejection
    await app.sender.event(event)
    (placeholder,) = await wait_calls(app.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)
    # The text was in the event: nothing downloaded, no extra scope used
    assert "files.info" not in app.fake.methods() and "file.download" not in app.fake.methods()
    assert "users.info" not in app.fake.methods()  # Slackbot has no language; the default is used


async def test_an_email_app_event_without_the_mail_text_asks_files_info_for_it(app):
    file = email_app_file(app.fake)
    stub = {key: value for key, value in file.items() if key not in ("plain_text",)}
    await app.sender.event(email_app_event(app.sender, stub))
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)
    (info,) = app.fake.calls_to("files.info")
    assert info.params["file"] == file["id"] and info.token == BOT_TOKEN


async def test_a_file_stub_that_says_check_file_info_is_completed_from_files_info(app):
    file = email_app_file(app.fake)
    stub = {"id": file["id"], "mode": "hidden_by_limit", "file_access": "check_file_info"}
    await app.sender.event(email_app_event(app.sender, stub))
    # A stub names no email mode: only files.info tells. Without it the event is another bot's post.
    await settle(0.5)
    assert "chat.postMessage" not in app.fake.methods()


async def test_a_mailed_in_message_that_is_no_blocklist_rejection_gets_no_answer(app):
    mailbox_full = "<bob@example.net>: host mx.example.net[198.51.100.7] said: 552 5.2.2 Mailbox full"
    await app.sender.event(email_app_event(app.sender, email_app_file(app.fake, plain_text=mailbox_full)))
    await settle(0.5)
    assert "chat.postMessage" not in app.fake.methods()


async def test_the_bots_own_posts_and_other_apps_posts_are_never_answered(app):
    own = upload_event(app.sender, email_app_file(app.fake), user=BOT_USER_ID, bot_id=BOT_ID)
    other_app = {"type": "message", "subtype": "bot_message", "bot_id": "B_OTHER", "username": "alerts",
                 "text": NOTIFICATION, "channel": "C_OPS", "channel_type": "channel", "ts": app.sender.new_ts()}
    other_app_file = upload_event(app.sender, app.fake.host_file("F0TXT9", "bounce.txt", NOTIFICATION.encode()),
                                  user="U_OTHERBOT", bot_id="B_OTHER")
    for event in (own, other_app, other_app_file):
        await app.sender.event(event)
    await settle(0.5)
    assert app.fake.methods().count("chat.postMessage") == 0
    assert "file.download" not in app.fake.methods()


async def test_the_shortcut_on_a_mailed_in_bounce_diagnoses_it(app):
    event = email_app_event(app.sender, email_app_file(app.fake))
    await app.sender.shortcut(message={key: event[key] for key in ("type", "subtype", "text", "user", "bot_id",
                                                                    "files", "ts")})
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)


# --- Forwarded and shared messages ---------------------------------------------------------------

async def test_a_forwarded_bounce_is_answered_in_the_thread_of_the_forwarding_message(app):
    event = forwarded_event(app.sender, attachment=shared_message(NOTIFICATION))
    await app.sender.event(event)
    (placeholder,) = await wait_calls(app.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)


async def test_a_forwarded_bounce_with_only_attachment_text_or_fallback_is_read(app):
    bounce = NOTIFICATION.replace("\n", " ")
    with_text = {"is_share": True, "text": bounce, "fallback": "[...] other: ...", "mrkdwn_in": ["text"]}
    only_fallback = {"is_share": True, "fallback": bounce}
    for attachment in (with_text, only_fallback):
        app.fake.reset()
        app.fake.file_token = BOT_TOKEN
        await app.sender.event(forwarded_event(app.sender, text="FYI", attachment=attachment))
        (update,) = await wait_calls(app.fake, "chat.update")
        assert f"{LISTED} is listed" in text_of(update)


async def test_a_bounce_forwarded_to_the_bot_directly_is_answered_in_its_thread(app):
    event = forwarded_event(app.sender, attachment=shared_message(NOTIFICATION))
    event.update(channel="D_EN", channel_type="im")
    await app.sender.event(event)
    (placeholder,) = await wait_calls(app.fake, "chat.postMessage")
    assert placeholder.params["thread_ts"] == event["ts"]
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)


async def test_the_shortcut_on_a_forwarded_message_reads_its_message_blocks(app):
    await app.sender.shortcut(message={"text": "", "attachments": [shared_message(NOTIFICATION)]})
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)


# --- Uploaded files --------------------------------------------------------------------------------

def eml_upload(fake: FakeSlack, file_id: str = "F0EML1", **fields) -> dict:
    """An .eml dragged into Slack: Slack calls it ``message/rfc822``, filetype varies."""
    return fake.host_file(file_id, "Undelivered Mail Returned to Sender.eml", EML.read_bytes(),
                          mimetype="message/rfc822", filetype="eml", **fields)


async def test_an_uploaded_eml_with_a_base64_bounce_part_is_downloaded_with_the_bot_token_and_answered(app):
    event = upload_event(app.sender, eml_upload(app.fake))
    await app.sender.event(event)
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{EML_IP} is listed" in text_of(update)
    (download,) = app.fake.calls_to("file.download")
    assert download.token == BOT_TOKEN


@pytest.mark.parametrize("fields", [
    {"mimetype": "text/plain", "filetype": "text", "name": "bounce.txt"},
    {"mimetype": "application/octet-stream", "filetype": "binary", "name": "ndr.txt"},  # by name
    {"mimetype": "text/plain", "filetype": "text", "name": "Untitled", "mode": "snippet"},  # a text snippet
])
async def test_uploaded_text_files_are_recognised_by_mimetype_name_or_mode(app, fields):
    name = fields.pop("name")
    file = app.fake.host_file("F0TXT1", name, NOTIFICATION.encode(), **fields)
    await app.sender.event(upload_event(app.sender, file))
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{LISTED} is listed" in text_of(update)


async def test_an_image_or_pdf_is_never_downloaded(app):
    image = app.fake.host_file("F0PNG1", "screenshot.png", b"\x89PNG\r\n", mimetype="image/png", filetype="png")
    pdf = app.fake.host_file("F0PDF1", "report.pdf", b"%PDF-1.4", mimetype="application/pdf", filetype="pdf")
    await app.sender.event(upload_event(app.sender, image))
    await settle(0.3)
    assert app.fake.calls_to("chat.postMessage") == []  # in a channel: nothing to say
    await app.sender.event(upload_event(app.sender, pdf, channel_type="im", channel="D_EN"))
    (help_reply,) = await wait_calls(app.fake, "chat.postMessage")  # sent to the bot: what it can read
    assert ".eml" in text_of(help_reply)
    assert "file.download" not in app.fake.methods()


async def test_an_eml_sent_to_the_bot_directly_is_answered_in_its_thread(app):
    event = upload_event(app.sender, eml_upload(app.fake), channel_type="im", channel="D_EN")
    await app.sender.event(event)
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{EML_IP} is listed" in text_of(update)


async def test_the_shortcut_on_an_uploaded_eml_diagnoses_it(app):
    await app.sender.shortcut(message={"subtype": "file_share", "text": "", "files": [eml_upload(app.fake)]})
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{EML_IP} is listed" in text_of(update)


async def test_a_mention_with_an_uploaded_eml_diagnoses_the_file(app):
    event = app.sender.message_event(f"<@{BOT_USER_ID}> why did this bounce?", kind="app_mention",
                                      files=[eml_upload(app.fake)])
    await app.sender.event(event)
    (update,) = await wait_calls(app.fake, "chat.update")
    assert f"{EML_IP} is listed" in text_of(update)


async def test_a_file_in_a_direct_message_with_no_rejection_in_it_gets_told_so(app):
    file = app.fake.host_file("F0TXT2", "notes.txt", b"meeting notes: nothing to see here")
    await app.sender.event(upload_event(app.sender, file, channel_type="im", channel="D_EN"))
    (notice,) = await wait_calls(app.fake, "chat.postMessage")
    assert "notes.txt" in text_of(notice) and "found no blocked IP" in text_of(notice)


async def test_without_files_read_slack_answers_a_sign_in_page_and_the_asker_is_told_why(app):
    app.fake.file_token = "xoxb-another-token"  # the bot's token may not read files
    file = eml_upload(app.fake)
    await app.sender.event(upload_event(app.sender, file, channel_type="im", channel="D_EN"))
    (notice,) = await wait_calls(app.fake, "chat.postMessage")
    assert "files:read" in text_of(notice) and "Could not" not in text_of(notice)
    # In a channel nobody asked: nothing is posted (the log says why)
    app.fake.reset()
    app.fake.file_token = "xoxb-another-token"
    await app.sender.event(upload_event(app.sender, eml_upload(app.fake)))
    await settle(0.5)
    assert "chat.postMessage" not in app.fake.methods()


async def test_the_shortcut_on_a_file_that_cannot_be_read_says_why_to_the_asker_alone(app):
    app.fake.file_token = "xoxb-another-token"
    await app.sender.shortcut(message={"subtype": "file_share", "text": "", "files": [eml_upload(app.fake)]})
    (answer,) = await wait_calls(app.fake, "response_url")
    assert answer.params["response_type"] == "ephemeral" and "files:read" in text_of(answer)


async def test_the_token_goes_to_no_host_but_slacks(app):
    """A file whose address is elsewhere is not fetched; a redirect elsewhere is not followed."""
    with FakeSlack() as elsewhere:
        moved = app.fake.host_file("F0TXT3", "bounce.txt", NOTIFICATION.encode())
        foreign = dict(moved, id="F0TXT4", url_private_download=elsewhere.url + "/files-pri/T-F0TXT4/download/b.txt")
        await app.sender.event(upload_event(app.sender, foreign, channel_type="im", channel="D_EN"))
        (notice,) = await wait_calls(app.fake, "chat.postMessage")
        assert "not stored on Slack" in text_of(notice)
        app.fake.redirect_file(moved, elsewhere.url + "/files-pri/T-F0TXT3/download/b.txt")
        await app.sender.event(upload_event(app.sender, moved, channel_type="im", channel="D_EN"))
        await wait_calls(app.fake, "chat.postMessage", 2)
        await settle(0.3)
        assert elsewhere.calls == []  # not a single request, with or without the token
        assert [call.path for call in app.fake.calls_to("file.download")] == [
            "/files-pri/T_TEST-F0TXT3/download/bounce.txt"]


async def test_a_file_longer_than_the_cap_is_read_to_the_cap(fake_slack, dns, rdap, diagnoser):
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.2")
    settings = test_settings(fake_slack, dns, rdap.url, file_max_bytes=4096)
    body = (NOTIFICATION + "\n" + "x" * 100 + "\n") + ("Received: from hop (hop [192.0.2.99])\n" * 20_000)
    file = fake_slack.host_file("F0BIG1", "big.txt", body.encode())
    async with running_app(settings, diagnoser, fake_slack) as running:
        await running.sender.event(upload_event(running.sender, file))
        (update,) = await wait_calls(fake_slack, "chat.update")
        assert f"{LISTED} is listed" in text_of(update)


async def test_check_on_an_eml_gives_the_answer_a_slack_upload_gets(app, run_cli):
    await app.sender.event(upload_event(app.sender, eml_upload(app.fake)))
    (update,) = await wait_calls(app.fake, "chat.update")
    result = run_cli("check", "--blocks", str(EML))
    blocks = json.loads(result.stdout.rpartition("Block Kit Builder: ")[0])["blocks"]

    def shown(blocks: list[dict]) -> list[str]:  # the time each took aside
        texts = [text for text in mrkdwn_texts({"blocks": blocks}) if text not in INTERACTIVE]
        return [re.sub(r"Checked \S+ \S+ UTC| in \d+ ms", "", text) for text in texts]

    assert shown(blocks) == shown(update.params["blocks"])


# --- Units: recognising files and reading blocks --------------------------------------------------

def test_only_slack_file_hosts_and_the_api_origin_are_allowed():
    api = "http://127.0.0.1:8080/api/"
    allowed = FileReader.allowed
    assert allowed("https://files.slack.com/files-pri/T1-F1/download/a.eml", "https://slack.com/api/")
    assert allowed("http://127.0.0.1:8080/files-pri/T1-F1/download/a.eml", api)
    for url in ("http://files.slack.com/files-pri/T1-F1/a.eml",  # not over TLS
                "https://files.slack.com.evil.example/a.eml", "https://evil.example/files.slack.com/a",
                "https://files.slack.com:8443/a", "http://127.0.0.1:8081/a", "https://127.0.0.1:8080/a",
                "file:///etc/passwd", "https://user@evil.example/", "not a url", "http://[::1/"):
        assert not allowed(url, api), url


def test_shared_files_recognise_mail_and_text_uploads_and_ignore_the_rest():
    files = shared_files({"files": [
        {"id": "F1", "mode": "email", "filetype": "email", "mimetype": "text/html"},
        {"id": "F2", "name": "x.EML", "mimetype": "application/octet-stream"},
        {"id": "F3", "name": "image.png", "mimetype": "image/png", "filetype": "png"},
        {"id": "F4", "name": "x.txt", "mode": "external"},
        "junk", {"no": "id"}],
        "attachments": [{"files": [{"id": "F5", "name": "fwd.txt"}]}]})
    assert [(f.id, f.is_mail, f.is_text_upload) for f in files] == [
        ("F1", True, False), ("F2", False, True), ("F3", False, False)]  # at most three are considered
    assert SharedFile.from_payload({"id": "F5", "name": "fwd.txt"}).is_text_upload
    assert is_mail_in({"subtype": "file_share", "files": [{"id": "F1", "mode": "email"}]})
    assert not is_mail_in({"subtype": None, "files": [{"id": "F1", "mode": "email"}]})


def test_forwarded_text_comes_from_attachments_and_rich_text_blocks():
    blocks = rich_text("see below:", "550 5.7.1 <mx.example.net> Client host [192.0.2.5] blocked",
                       "second line")
    assert blocks_text(blocks) == "see below:\n550 5.7.1 <mx.example.net> Client host [192.0.2.5] blocked\nsecond line"
    link = [{"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
        {"type": "text", "text": "see "}, {"type": "link", "url": "https://check.spamhaus.org/"},
        {"type": "user", "user_id": "U1"}]}]}]
    assert blocks_text(link) == "see https://check.spamhaus.org/<@U1>"
    message = {"text": "FYI &amp; <@U_BOT>", "attachments": [{"pretext": "from #ops", "text": "a &lt;b&gt;"},
                                                               {"message_blocks": [{"message": {"blocks": blocks}}]}]}
    assert inline_text(message, bot_user_id="U_BOT").splitlines()[:3] == ["FYI &", "from #ops", "a <b>"]


def test_file_text_reads_mail_utf16_and_plain_text_alike():
    assert "Diagnostic-Code: smtp; 554 5.7.1" in file_text(EML.read_bytes(), name="x.eml")
    assert "Diagnostic-Code: smtp; 554 5.7.1" in file_text(EML.read_bytes())  # by its header fields
    assert file_text("550 blocked [192.0.2.5]".encode("utf-16")) == "550 blocked [192.0.2.5]"
    assert file_text(b"\xef\xbb\xbf550 x") == "550 x"
    assert file_text(b"550 \xff x") == "550 \ufffd x"
    decoded = base64.b64encode(b"not a mail").decode()
    assert file_text(decoded.encode(), mimetype="message/rfc822")  # lenient, never raises
