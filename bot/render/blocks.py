"""Presentation -> Slack Block Kit messages, within Slack's limits, safe against hostile text.

Two rules hold for every message built here:

* Text the bot did not write (bounce snippets, WHOIS names, TXT reasons) is escaped (``&``, ``<``,
  ``>``) before it reaches any field, mrkdwn or plain_text, and the fallback ``text``; in mrkdwn it
  sits in a code span with its backticks removed, so ``<!channel>`` cannot ping, a
  ``<https://evil|spamhaus.org>`` cannot pose as a link and ``*``/``_``/``~`` cannot format.
  Invisible and direction-changing characters (zero-width, RTL overrides) and line breaks are
  taken out of it, so it cannot hide, reverse the text after it or break the layout. Every mrkdwn
  object is ``verbatim``: Slack does not turn bare URLs, ``#channel`` names or ``@here`` into links
  and mentions, so only the ``<url|label>`` links written here are links.
  ``present_for_slack`` hands ``escape`` and ``code`` to the shared ``present``; values it leaves
  bare (a listing's TXT reason) are wrapped here.
* Slack's limits (Block Kit reference, docs/sources.md) are enforced here, by clipping with "…" and by
  dropping blocks past the 50th or past ``MAX_MESSAGE_CHARS`` in all (Slack refuses longer blocks
  with ``msg_blocks_too_long``), saying how many were cut, so a large diagnosis degrades instead
  of failing to post. A link's label names the host it goes to, wherever the link came from.
  ``slack_sdk.models.blocks`` checks the rest when the blocks are serialised.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.diagnosis.model import Diagnosis
from bot.i18n import t
from bot.render.common import Presentation, present, safe_url

# Slack's limits (Block Kit reference; docs/sources.md, "Slack").
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK_TEXT = 3000  # Slack truncates past 40,000; a notification needs far less
# Slack refuses a message whose blocks are too long in all (msg_blocks_too_long, at about 12,000
# characters). Counted here as the blocks' JSON, which is longer than any count of their text.
MAX_MESSAGE_CHARS = 12_000
MAX_REASON = 300  # characters of one listing's TXT reason: TXT strings are at most 255 each

RECHECK_ACTION = "recheck"
LOOKUP_ACTION = "open_lookup"
WATCH_ACTION = "watch_listing"  # "Notify me when delisted": its value is the IP
STOP_WATCH_ACTION = "stop_watch"  # a watch's Stop button: its value is the watch's id

STATUS_MARKERS = {
    "listed": ":no_entry:",
    "blocked": ":no_entry:",
    "not_listed": ":white_check_mark:",
    "unknown": ":warning:",
}
PROBLEM_MARKER = ":information_source:"

ELLIPSIS = "…"
_PARTIAL_ENTITY = re.compile(r"&[#a-zA-Z0-9]{0,8}$")
# Characters a person cannot see or that reorder what follows: controls, format characters
# (zero-width, bidi overrides and isolates, soft hyphen) and lone surrogates.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


# --- escaping -------------------------------------------------------------------------------------

def escape(text: str) -> str:
    """Slack's three control characters, for text the bot did not write."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def visible(text: str) -> str:
    """``text`` on one line, without characters that are invisible or reorder the text after them."""
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in _HIDDEN_CATEGORIES)
    return " ".join(kept.split())


def code(text: str) -> str:
    """An already-escaped untrusted value as a mrkdwn code span: no formatting, no way out of the
    span (backticks removed), one line of visible characters."""
    # Nothing past twice the longest text object can be shown: a huge RDAP name is not scanned whole.
    text = visible(text[:2 * MAX_SECTION_TEXT].replace("`", ""))
    return f"`{text}`" if text else ""


def present_for_slack(diagnosis: Diagnosis, lang: str) -> Presentation:
    return present(diagnosis, lang, escape=escape, code=code)


# --- limits ---------------------------------------------------------------------------------------

def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…", never leaving half an entity (``&am``), half a
    link (``<https://…``) or an open code span behind."""
    if len(text) <= limit:
        return text
    end = max(limit - 2, 0)  # room for a closing backtick and the ellipsis
    while 0 < end < len(text) and (_joins_previous(text[end]) or text[end - 1] == "\u200d"):
        end -= 1  # keep a letter with its accents, an emoji with its modifiers
    cut = _PARTIAL_ENTITY.sub("", text[:end])
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.count("`") % 2:
        cut = cut[:-1] if cut.endswith("`") else cut + "`"  # no empty span left open
    return cut + ELLIPSIS


def _joins_previous(ch: str) -> bool:
    """A character drawn together with the one before it: combining marks, variation selectors,
    emoji skin tones, the zero-width joiner and the character it joins on."""
    return (unicodedata.combining(ch) > 0 or unicodedata.category(ch) in ("Mn", "Mc", "Me")
            or ch in "\u200d\ufe0e\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff")


def _plain(text: str) -> str:
    """A mrkdwn line made for plain_text: code-span backticks dropped (escaping stays)."""
    return text.replace("`", "")


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def link(url: str | None, label: str) -> str:
    """``<url|label>`` for a trusted, already-escaped URL; nothing when the URL is unusable."""
    url = safe_url(url)
    return f"<{url}|{label}>" if url else ""


# --- blocks ---------------------------------------------------------------------------------------

def _mrkdwn(text: str, limit: int) -> MarkdownTextObject:
    """Verbatim: the links and mentions in it are exactly the ``<...>`` ones, none guessed by Slack."""
    return MarkdownTextObject(text=clip(text, limit), verbatim=True)


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=_mrkdwn(text, MAX_SECTION_TEXT), block_id=block_id)


def _sections(heading: str, lines: list[str], block_id: str) -> list[SectionBlock]:
    """``*heading*`` and lines, packed into as few sections as the 3,000-character limit allows."""
    blocks: list[SectionBlock] = []
    current = f"*{heading}*"
    for line in lines:
        line = clip(line, MAX_SECTION_TEXT - 10)
        if len(current) + 1 + len(line) > MAX_SECTION_TEXT:
            blocks.append(_section(current, f"{block_id}_{len(blocks)}"))
            current = line
        else:
            current = f"{current}\n{line}"
    blocks.append(_section(current, f"{block_id}_{len(blocks)}"))
    return blocks


def _header(view: Presentation, block_id: str = "verdict") -> HeaderBlock:
    marker = STATUS_MARKERS.get(view.status, PROBLEM_MARKER)
    text = clip(f"{marker} {_plain(view.headline)}", MAX_HEADER_TEXT)
    return HeaderBlock(text=PlainTextObject(text=text, emoji=True), block_id=block_id)


def _listing_blocks(view: Presentation) -> list[Block]:
    blocks: list[Block] = []
    for number, listing in enumerate(view.listings):
        lines = [f"*{listing.title}*", listing.meaning]
        if listing.reason:
            lines.append(f"> {code(clip(listing.reason, MAX_REASON))}")
        # The link comes from a TXT record: its label says where it really goes.
        details = link(listing.url, t(view.lang, "slack.link.details", host=_host(listing.url)))
        if details:
            lines.append(details)
        text = "\n".join(lines)
        if number == 0:
            text = f"*{t(view.lang, 'section.listings')}*\n{text}"
        blocks.append(_section(text, f"listing_{number}"))
    return blocks


def _owner_blocks(view: Presentation) -> list[Block]:
    if not view.owner and not view.owner_note:
        return []
    heading = f"*{t(view.lang, 'section.owner')}*"
    if view.owner_note:
        heading += f"\n{view.owner_note}"
    fields = [_mrkdwn(f"*{label}*\n{value}", MAX_FIELD_TEXT) for label, value in view.owner]
    blocks: list[Block] = []
    for start in range(0, max(len(fields), 1), MAX_FIELDS):
        chunk = fields[start:start + MAX_FIELDS] or None
        text = _mrkdwn(heading, MAX_SECTION_TEXT) if start == 0 else None
        blocks.append(SectionBlock(text=text, fields=chunk, block_id=f"owner_{start // MAX_FIELDS}"))
    return blocks


def _fix_lines(view: Presentation) -> list[str]:
    lines = []
    for number, (step, url) in enumerate(view.fix, 1):
        target = link(escape(url) if url else None, t(view.lang, "slack.link.open", host=_host(url)))
        lines.append(f"{number}. {step}" + (f" {target}" if target else ""))
    return lines


def _actions(view: Presentation, recheck_value: str | None) -> list[Block]:
    buttons = []
    if recheck_value and view.ip and len(recheck_value) <= MAX_BUTTON_VALUE:
        buttons.append(ButtonElement(text=PlainTextObject(text=clip(t(view.lang, "slack.button.recheck"),
                                                                    MAX_BUTTON_TEXT)),
                                     action_id=RECHECK_ACTION, value=recheck_value))
    if recheck_value and view.ip and view.status == "listed":  # an answer in a channel, to follow until it clears
        buttons.append(ButtonElement(text=PlainTextObject(text=clip(t(view.lang, "slack.button.watch"),
                                                                    MAX_BUTTON_TEXT)),
                                     action_id=WATCH_ACTION, value=view.ip))
    lookup = safe_url(view.lookup_url)
    if lookup:
        buttons.append(ButtonElement(text=PlainTextObject(text=clip(t(view.lang, "slack.button.lookup"),
                                                                    MAX_BUTTON_TEXT)),
                                     action_id=LOOKUP_ACTION, url=lookup))
    return [ActionsBlock(elements=buttons, block_id="actions")] if buttons else []


def _context(text: str, block_id: str) -> ContextBlock:
    return ContextBlock(elements=[_mrkdwn(text, MAX_CONTEXT_TEXT)], block_id=block_id)


def _fit(body: list[Block], tail: list[Block], lang: str, limit: int = MAX_BLOCKS,
         max_chars: int = MAX_MESSAGE_CHARS) -> list[Block]:
    """At most ``limit`` blocks and ``max_chars`` characters: the tail (context, buttons) and the
    first body block (the verdict) always survive; body blocks past either limit are replaced by
    one line saying how many were left out."""
    sizes = [_size(block) for block in body]
    if len(body) + len(tail) <= limit and sum(sizes) + sum(map(_size, tail)) <= max_chars:
        return body + tail
    notice_size = _size(_context(t(lang, "slack.truncated", count=len(body)), "truncated"))
    budget = max_chars - sum(map(_size, tail)) - notice_size
    keep = 0
    while (keep < len(body) and keep < limit - len(tail) - 1
           and (keep == 0 or sum(sizes[:keep + 1]) <= budget)):
        keep += 1
    notice = _context(t(lang, "slack.truncated", count=len(body) - keep), "truncated")
    return [*body[:keep], notice, *tail]


def _size(block: Block) -> int:
    """The block's length in the message's JSON, with the ", " between blocks."""
    return len(json.dumps(block.to_dict(), ensure_ascii=False)) + 2


def _message(blocks: list[Block], fallback: str) -> dict[str, Any]:
    return {"text": clip(fallback, MAX_FALLBACK_TEXT), "blocks": [block.to_dict() for block in blocks]}


def full_message(view: Presentation, *, recheck_value: str | None = None, preface: str | None = None) -> dict[str, Any]:
    """The whole diagnosis: verdict, evidence, listings, failures, owner, case, fix, context, buttons.
    ``preface`` (mrkdwn the bot wrote) goes first. Returns ``{"text": fallback, "blocks": [...]}``
    ready for chat.postMessage / chat.update / respond."""
    body: list[Block] = [_section(preface, "preface")] if preface else []
    body += [_header(view), DividerBlock()]
    if view.evidence:
        body += _sections(t(view.lang, "section.evidence"), [f"• {line}" for line in view.evidence], "evidence")
    body += _listing_blocks(view)
    if view.checked:
        body.append(_context(view.checked, "checked"))
    if view.failures:
        body += _sections(t(view.lang, "section.failures"), [f"• {line}" for line in view.failures], "failures")
    body += _owner_blocks(view)
    if view.case_title:
        case = t(view.lang, "case.line", title=f"*{view.case_title}*", reason=view.case_reason)
        body.append(_section(f"*{t(view.lang, 'section.case')}*\n{case}", "case"))
    if view.fix:
        body += _sections(t(view.lang, "section.fix"), _fix_lines(view), "fix")
    tail: list[Block] = []
    if view.context:
        tail.append(_context(view.context, "context"))
    tail += _actions(view, recheck_value)
    return _message(_fit(body, tail, view.lang), view.headline)


def summary_message(view: Presentation, *, recheck_value: str | None = None) -> dict[str, Any]:
    """The short in-channel answer to a slash command; the full report goes in its thread."""
    body: list[Block] = [_header(view)]
    if view.listings:
        body += _sections(t(view.lang, "section.listings"),
                          [f"• *{listing.title}*: {listing.meaning}" for listing in view.listings], "summary")
    if view.failures:
        body += _sections(t(view.lang, "section.failures"), [f"• {line}" for line in view.failures], "failures")
    if view.case_title:
        body.append(_section(f"*{t(view.lang, 'section.case')}:* {view.case_title}", "case"))
    tail: list[Block] = [_context(t(view.lang, "slack.summary.details"), "details_hint")]
    tail += _actions(view, recheck_value)
    return _message(_fit(body, tail, view.lang), view.headline)


def several_message(views: list[Presentation], *, recheck_value: str | None = None,
                    preface: str | None = None) -> dict[str, Any]:
    """One answer for a bounce that blames several IPs (two recipients, two hops): each IP's verdict,
    listings, whose problem it is and its fix, one after another."""
    lang = views[0].lang
    body: list[Block] = [_section(preface, "preface")] if preface else []
    body.append(_section(f"*{t(lang, 'slack.several', count=len(views))}*", "several"))
    for number, view in enumerate(views):
        body += [DividerBlock(block_id=f"divider_{number}"), _header(view, f"verdict_{number}")]
        lines = [f"• *{listing.title}*: {listing.meaning}" for listing in view.listings]
        lines += [f"• {line}" for line in view.failures]
        if lines:
            body += _sections(t(lang, "section.listings"), lines, f"listings_{number}")
        if view.case_title:
            case = t(lang, "case.line", title=f"*{view.case_title}*", reason=view.case_reason)
            body.append(_section(f"*{t(lang, 'section.case')}*\n{case}", f"case_{number}"))
        if view.fix:
            body += _sections(t(lang, "section.fix"), _fix_lines(view), f"fix_{number}")
    tail: list[Block] = [_context(views[0].context, "context")] if views[0].context else []
    if recheck_value:
        tail += _actions(dataclasses.replace(views[0], lookup_url=None), recheck_value)
    headline = t(lang, "sentences", first=t(lang, "slack.several", count=len(views)),
                 second=" ".join(view.headline for view in views))
    return _message(_fit(body, tail, lang), headline)


def notice_message(text: str) -> dict[str, Any]:
    """One section of mrkdwn the bot wrote (progress, help, apology), with the same fallback."""
    return _message([_section(text, "notice")], text)

