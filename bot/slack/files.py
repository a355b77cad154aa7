"""Files shared in Slack: which ones hold a bounce, and reading them with the bot token.

Three kinds reach a channel:

* a bounce mailed in by Slack's Email app: a ``file_share`` from Slackbot (``USLACKBOT``, with a
  ``bot_id``) whose file has ``mode``/``filetype`` ``email``. The whole mail is in the event
  (``plain_text``); ``preview_plain_text`` is cut short, often before the rejection line. Nothing is
  downloaded; ``files.info`` (``files:read``) is asked only when the event carries no text;
* an uploaded ``.eml`` or ``.txt`` (or a text snippet): recognised by name, mimetype or mode, since
  ``filetype`` varies, and downloaded from ``url_private_download``;
* anything else (images, PDFs, ...): not read.

The bot token authorises a download, so a download goes only to Slack's file hosts, or to the host
of the Web API the client talks to (``SLACK_API_URL``: a test's loopback server, an Enterprise
proxy). Redirects are followed only to those hosts, and never more than a few. A download stops
at ``max_bytes``: a bounce's report parts come before the returned message, so the first
megabytes are what matters, and nothing bigger is held in memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp

from bot.diagnosis.parse.mail import MAIL_TYPES

log = logging.getLogger(__name__)

SLACK_FILE_HOSTS = frozenset({"files.slack.com", "files-origin.slack.com", "files.slack-gov.com"})
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_FILES_PER_MESSAGE = 3  # a bounce or two and its original; a hostile message must not cost more
_MAX_REDIRECTS = 3
_TEXT_NAMES = (".eml", ".txt", ".log", ".text")
_TEXT_TYPES = MAIL_TYPES | {"text/plain"}
_TEXT_FILETYPES = frozenset({"eml", "text", "txt"})
_UNREADABLE_MODES = frozenset({"external", "tombstone", "hidden_by_limit"})


class Unreadable(StrEnum):
    """Why a shared file could not be read; each has a sentence in the catalogue
    (``slack.file.<value>``)."""

    NO_ACCESS = "no_access"  # Slack answered a login page or 403: the app lacks files:read
    ELSEWHERE = "elsewhere"  # its address is not a Slack file host: the token is not sent there
    FAILED = "failed"  # a timeout, a connection error, a server error


class FileUnreadable(Exception):
    def __init__(self, reason: Unreadable, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason


@dataclass(frozen=True)
class SharedFile:
    """The fields of a Slack file object that decide whether and how it is read."""

    id: str
    name: str = ""
    mimetype: str = ""
    filetype: str = ""
    mode: str = ""
    size: int = 0
    url: str = ""  # url_private_download, else url_private
    plain_text: str = ""  # the whole mail, for files the Email app made
    preview_plain_text: str = ""
    subject: str = ""
    needs_info: bool = False  # the event holds a stub: files.info has the rest

    @classmethod
    def from_payload(cls, payload: Any) -> SharedFile | None:
        if not isinstance(payload, dict) or not isinstance(payload.get("id"), str):
            return None

        def text(key: str) -> str:
            value = payload.get(key)
            return value if isinstance(value, str) else ""

        size = payload.get("size")
        return cls(id=text("id"), name=text("name") or text("title"), mimetype=text("mimetype").lower(),
                   filetype=text("filetype").lower(), mode=text("mode").lower(),
                   size=size if isinstance(size, int) else 0,
                   url=text("url_private_download") or text("url_private"), plain_text=text("plain_text"),
                   preview_plain_text=text("preview_plain_text"), subject=text("subject"),
                   needs_info=payload.get("file_access") == "check_file_info")

    @property
    def is_mail(self) -> bool:
        """A mail the Email app (or a forwarding address) put into Slack."""
        return self.mode == "email" or self.filetype == "email"

    @property
    def is_text_upload(self) -> bool:
        """An uploaded file that may hold a bounce as text or as a whole message."""
        if self.is_mail or self.mode in _UNREADABLE_MODES:
            return False
        return (self.name.lower().endswith(_TEXT_NAMES) or self.mimetype in _TEXT_TYPES
                or self.filetype in _TEXT_FILETYPES or self.mode == "snippet")


def shared_files(message: dict) -> list[SharedFile]:
    """The files of a message and of the messages it forwards (``attachments[].files``), in order."""
    payloads: list[Any] = list(message.get("files") or ())
    for attachment in message.get("attachments") or ():
        if isinstance(attachment, dict):
            payloads.extend(attachment.get("files") or ())
    files = [found for found in map(SharedFile.from_payload, payloads) if found is not None]
    return files[:MAX_FILES_PER_MESSAGE]


def is_mail_in(message: dict) -> bool:
    """A bounce mailed into the channel by Slack's Email app: the one kind of bot post answered."""
    return message.get("subtype") == "file_share" and any(found.is_mail for found in shared_files(message))


@dataclass(frozen=True)
class Download:
    data: bytes
    truncated: bool  # the file was longer than max_bytes; data is its beginning


class FileReader:
    """Downloads shared files with the client's token, from allowed hosts only, up to ``max_bytes``."""

    def __init__(self, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = 10.0):
        self.max_bytes = max_bytes
        self.timeout = timeout

    @staticmethod
    def allowed(url: str, api_url: str) -> bool:
        """``url`` is on one of Slack's file hosts over HTTPS, or on the Web API's own origin."""
        try:
            target, api = urlsplit(url), urlsplit(api_url)
            if target.scheme == "https" and target.hostname in SLACK_FILE_HOSTS and target.port in (None, 443):
                return True
            return bool(target.hostname) and (target.scheme, target.hostname, target.port) == (
                api.scheme, api.hostname, api.port)
        except ValueError:  # a port that is not a number
            return False

    async def read(self, url: str, *, token: str | None, api_url: str) -> Download:
        if not token:
            raise FileUnreadable(Unreadable.NO_ACCESS, "no bot token")
        headers = {"Authorization": f"Bearer {token}"}
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
                for _ in range(_MAX_REDIRECTS + 1):
                    if not self.allowed(url, api_url):
                        raise FileUnreadable(Unreadable.ELSEWHERE, urlsplit(url).hostname or "")
                    async with session.get(url, headers=headers, allow_redirects=False) as response:
                        if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                            url = urljoin(url, response.headers["Location"])
                            continue
                        if response.status in (401, 403, 404):
                            raise FileUnreadable(Unreadable.NO_ACCESS, f"HTTP {response.status}")
                        if response.status != 200:
                            raise FileUnreadable(Unreadable.FAILED, f"HTTP {response.status}")
                        if response.content_type == "text/html":
                            # Slack's sign-in page: the token may not read files (files:read missing)
                            raise FileUnreadable(Unreadable.NO_ACCESS, "a sign-in page instead of the file")
                        return await self._body(response)
                raise FileUnreadable(Unreadable.FAILED, "too many redirects")
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            raise FileUnreadable(Unreadable.FAILED, type(error).__name__) from None

    async def _body(self, response: aiohttp.ClientResponse) -> Download:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                return Download(b"".join(chunks)[:self.max_bytes], truncated=True)
        return Download(b"".join(chunks), truncated=False)
