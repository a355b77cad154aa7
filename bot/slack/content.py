"""What a Slack message holds to read, as one text for the parser.

A bounce reaches Slack in more ways than a paste:

* typed or pasted: the message's ``text``;
* forwarded or shared from another channel: ``text`` is the forwarder's comment (often empty) and
  the bounce is in ``attachments[]``: ``text``, else the rich-text ``message_blocks``, else
  ``fallback``;
* mailed in by Slack's Email app, or uploaded as a ``.eml``/``.txt`` file (see files.py).

Each piece goes through ``plain_text`` (Slack's markup undone), then files are appended in their
order. A file that could not be read is reported with why, so a person who asked gets told rather
than "no IP found".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.diagnosis.parse.mail import file_text
from bot.slack.files import FileReader, FileUnreadable, SharedFile, Unreadable, shared_files
from bot.slack.incoming import plain_text

log = logging.getLogger(__name__)

# Runs a blocking function off the event loop (Deps.off_loop): .eml parsing is pure Python.
OffLoop = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Content:
    text: str
    files_read: tuple[str, ...] = ()  # names of the files whose text is in ``text``
    unreadable: tuple[tuple[str, Unreadable], ...] = ()  # (file name, why)
    truncated: tuple[str, ...] = ()  # files longer than the download cap: their beginning was read
    mail_in: bool = False


@dataclass
class _Gathered:
    pieces: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, Unreadable]] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)


def inline_text(message: dict, *, bot_user_id: str | None = None) -> str:
    """The message's own text and the messages it forwards or quotes, Slack's markup undone."""
    pieces = [message.get("text") or ""]
    for attachment in message.get("attachments") or ():
        if isinstance(attachment, dict):
            pieces.append(_attachment_text(attachment))
    return "\n".join(plain_text(piece, bot_user_id=bot_user_id) for piece in pieces if piece).strip()


def _attachment_text(attachment: dict) -> str:
    """A legacy attachment (mail integrations, forwarded and shared messages): its pretext, then its
    text, else the forwarded message's blocks, else its fallback."""
    body = attachment.get("text") or ""
    if not body:
        body = "\n".join(blocks_text((entry.get("message") or {}).get("blocks"))
                         for entry in attachment.get("message_blocks") or () if isinstance(entry, dict))
    if not body.strip():
        body = attachment.get("fallback") or ""
    pretext = attachment.get("pretext") or ""
    return "\n".join(part for part in (pretext, body) if isinstance(part, str) and part)


def blocks_text(blocks: Any) -> str:
    """The words of Block Kit blocks: rich text (sections, preformatted, quotes, lists) and section
    text, one line per paragraph, in Slack's markup (``plain_text`` undoes it)."""
    lines: list[str] = []
    for block in blocks if isinstance(blocks, list) else ():
        if not isinstance(block, dict):
            continue
        if block.get("type") == "rich_text":
            lines.extend(_rich_text(element) for element in block.get("elements") or ())
        elif isinstance(block.get("text"), dict):
            lines.append(str(block["text"].get("text") or ""))
    return "\n".join(line for line in lines if line)


def _rich_text(element: Any) -> str:
    if not isinstance(element, dict):
        return ""
    kind = element.get("type")
    if kind == "rich_text_list":
        return "\n".join(_rich_text(item) for item in element.get("elements") or ())
    if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
        return "".join(_leaf(leaf) for leaf in element.get("elements") or ())
    return _leaf(element)


def _leaf(leaf: Any) -> str:
    if not isinstance(leaf, dict):
        return ""
    kind = leaf.get("type")
    if kind == "text":
        return str(leaf.get("text") or "")
    if kind == "link":
        return str(leaf.get("text") or leaf.get("url") or "")
    if kind == "user":
        return f"<@{leaf.get('user_id', '')}>"
    if kind == "channel":
        return f"<#{leaf.get('channel_id', '')}>"
    if kind == "emoji":
        return f":{leaf.get('name', '')}:"
    return str(leaf.get("text") or leaf.get("fallback") or "")


async def gather(message: dict, *, client: AsyncWebClient, reader: FileReader, off_loop: OffLoop,
                 bot_user_id: str | None = None) -> Content:
    """Everything in ``message`` worth reading: its text, forwarded text, mailed-in and uploaded
    bounces. Never raises for a file: what could not be read is in ``unreadable``."""
    gathered = _Gathered(pieces=[inline_text(message, bot_user_id=bot_user_id)])
    files = shared_files(message)
    for shared in files:
        if shared.needs_info:
            shared = await _file_info(client, shared) or shared
        if shared.is_mail:
            await _read_mail(client, shared, gathered)
        elif shared.is_text_upload:
            await _read_upload(client, reader, off_loop, shared, gathered)
    return Content(text="\n\n".join(piece for piece in gathered.pieces if piece.strip()),
                   files_read=tuple(gathered.read), unreadable=tuple(gathered.unreadable),
                   truncated=tuple(gathered.truncated), mail_in=any(found.is_mail for found in files))


async def _read_mail(client: AsyncWebClient, shared: SharedFile, gathered: _Gathered) -> None:
    """A mail the Email app made: the whole text is in the event; files.info when it is not."""
    text = shared.plain_text
    if not text:
        fuller = await _file_info(client, shared)
        text = fuller.plain_text if fuller else ""
    if not text:  # the preview may stop before the rejection line, but it is better than nothing
        text = shared.preview_plain_text
        if not text:
            gathered.unreadable.append((shared.name or shared.subject, Unreadable.NO_ACCESS))
            return
        gathered.truncated.append(shared.name or shared.subject)
    subject = f"Subject: {shared.subject}\n" if shared.subject else ""
    gathered.pieces.append(subject + text)
    gathered.read.append(shared.name or shared.subject)


async def _read_upload(client: AsyncWebClient, reader: FileReader, off_loop: OffLoop, shared: SharedFile,
                       gathered: _Gathered) -> None:
    name = shared.name or shared.id
    if not shared.url:
        gathered.unreadable.append((name, Unreadable.NO_ACCESS))
        return
    try:
        download = await reader.read(shared.url, token=client.token, api_url=client.base_url)
    except FileUnreadable as error:
        log.warning("could not read the shared file %s: %s", shared.id, error)
        gathered.unreadable.append((name, error.reason))
        return
    text = await off_loop(file_text, download.data, name=shared.name, mimetype=shared.mimetype)
    gathered.pieces.append(text)
    gathered.read.append(name)
    if download.truncated:
        gathered.truncated.append(name)


async def _file_info(client: AsyncWebClient, shared: SharedFile) -> SharedFile | None:
    """The full file object (``files.info``, scope ``files:read``), or None when Slack refuses."""
    try:
        response = await client.files_info(file=shared.id)
    except SlackApiError as error:
        log.warning("files.info refused for %s: %s", shared.id, error.response.get("error"))
        return None
    except Exception:
        log.warning("files.info failed for %s", shared.id, exc_info=True)
        return None
    return SharedFile.from_payload(response.get("file"))

