"""Slack views of what the bot keeps: the App Home tab (how to ask, the set-up's health, the last
checks, the active watches), the list ``/spamhaus watches`` shows, and the post that tells a
watcher their listing changed.

Times are Slack date tokens (``<!date^…>``), which every reader sees in their own time zone, with a
UTC fallback. Every value from outside (IPs as stored, list names) is escaped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    PlainTextObject,
    SectionBlock,
)

from bot.diagnosis.model import Listing
from bot.diagnosis.providers import DEFAULT
from bot.i18n import t
from bot.render.blocks import (
    MAX_BUTTON_TEXT,
    MAX_HEADER_TEXT,
    MAX_HOME_BLOCKS,
    STOP_WATCH_ACTION,
    _context,
    _mrkdwn,
    _section,
    clip,
    code,
    escape,
)
from bot.state.base import RecentCheck, Watch

MAX_LISTED = 20  # watches or checks shown in one view; the rest are counted


@dataclass(frozen=True)
class HomeStatus:
    """The set-up's health, as App Home shows it."""

    resolver: str = "unknown"  # "ok", "failing", "unknown"
    dqs: bool = False
    rdap_ok_at: float | None = None
    rdap_error: str | None = None
    rdap_error_at: float | None = None
    store: str | None = None  # "sqlite", "redis"; None: no store
    store_ok: bool = False
    recent: Sequence[RecentCheck] = field(default_factory=tuple)
    watches: Sequence[Watch] = field(default_factory=tuple)


def when(epoch: float, *, with_date: bool = True) -> str:
    """A Slack date token: the reader's own time zone, a UTC fallback."""
    fallback = time.strftime("%Y-%m-%d %H:%M UTC" if with_date else "%H:%M UTC", time.gmtime(epoch))
    token = "{date_short_pretty} {time}" if with_date else "{time}"
    return f"<!date^{int(epoch)}^{token}|{fallback}>"


def _stop_button(watch: Watch, lang: str) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=clip(t(lang, "slack.button.stop"), MAX_BUTTON_TEXT)),
                         action_id=STOP_WATCH_ACTION, value=watch.id, style="danger")


def _watch_line(watch: Watch, lang: str, *, channel: bool) -> str:
    line = t(lang, "slack.watches.line", ip=code(escape(watch.ip)), user=f"<@{escape(watch.user)}>",
             since=when(watch.created_at), next=when(watch.next_at), until=when(watch.ends_at))
    return f"{line} {t(lang, 'slack.watches.in', channel=f'<#{escape(watch.channel)}>')}" if channel else line


def watch_blocks(watches: Sequence[Watch], lang: str, *, channel: bool = False, prefix: str = "watch") -> list[Block]:
    """One section per watch with its Stop button; a line counting those not shown."""
    blocks: list[Block] = [SectionBlock(text=_mrkdwn(_watch_line(watch, lang, channel=channel), 3000),
                                        accessory=_stop_button(watch, lang), block_id=f"{prefix}_{watch.id}")
                           for watch in watches[:MAX_LISTED]]
    if len(watches) > MAX_LISTED:
        blocks.append(_context(t(lang, "slack.watches.more", count=len(watches) - MAX_LISTED), f"{prefix}_more"))
    return blocks


def watches_message(watches: Sequence[Watch], lang: str) -> dict[str, Any]:
    """``/spamhaus watches``: the channel's active watches, each with Stop."""
    title = t(lang, "slack.watches.title")
    if not watches:
        text = f"*{title}*\n{t(lang, 'slack.watches.none')}"
        return {"text": text, "blocks": [_section(text, "watches").to_dict()]}
    blocks = [_section(f"*{title}*", "watches"), *watch_blocks(watches, lang)]
    return {"text": title, "blocks": [block.to_dict() for block in blocks]}


def list_titles(state: str) -> str:
    """A watch's stored state ("zone:code,…") as list names: "Spamhaus SBL, SpamCop"."""
    names = []
    for item in filter(None, state.split(",")):
        zone, _, answer = item.rpartition(":")
        found = DEFAULT.code_of(Listing(list="", provider="", zone=zone, code=answer, meaning=""))
        dnsbl = DEFAULT.zone_of(Listing(list="", provider="", zone=zone, code=answer, meaning=""))
        provider = DEFAULT.provider(dnsbl.provider) if dnsbl else None
        name = found.list if found else zone
        if provider and not name.lower().startswith(provider.name.split()[0].lower()):
            name = f"{provider.name} {name}"
        names.append(escape(name))
    return ", ".join(dict.fromkeys(names))


def change_preface(*, user: str, ip: str, before: str, after: str, lang: str) -> str:
    """The first lines of the post that tells a watcher their listing changed."""
    mention, shown = f"<@{escape(user)}>", code(escape(ip))
    if after == "":
        return t(lang, "slack.watch.cleared", mention=mention, ip=shown)
    lines = [t(lang, "slack.watch.changed", mention=mention, ip=shown)]
    removed = ",".join(sorted(set(before.split(",")) - set(after.split(",")) - {""}))
    added = ",".join(sorted(set(after.split(",")) - set(before.split(",")) - {""}))
    if removed:
        lines.append(t(lang, "slack.watch.removed", lists=list_titles(removed)))
    if added:
        lines.append(t(lang, "slack.watch.added", lists=list_titles(added)))
    return "\n".join(lines)


def home_view(lang: str, status: HomeStatus | None = None) -> dict[str, Any]:
    """The App Home tab: what the bot does and how to ask; with ``status``, the set-up's health,
    the last checks in the workspace and the active watches, each with Stop."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=clip(t(lang, "slack.home.title"), MAX_HEADER_TEXT)), block_id="title"),
        _section(t(lang, "slack.home.intro"), "intro"),
        DividerBlock(),
        _section(f"*{t(lang, 'slack.home.usage.title')}*\n{t(lang, 'slack.help')}", "usage"),
        _section(f"*{t(lang, 'slack.home.example.title')}*\n{t(lang, 'slack.home.example')}", "example"),
    ]
    if status is not None:
        blocks += [DividerBlock(block_id="status_divider"), _section(_health(status, lang), "health"),
                   _section(_recent(status.recent, lang), "recent"),
                   _section(f"*{t(lang, 'slack.home.watches.title')}*"
                            + ("" if status.watches else f"\n{t(lang, 'slack.home.watches.none')}"), "watches"),
                   *watch_blocks(status.watches, lang, channel=True, prefix="home_watch")]
    blocks += [_context(t(lang, "slack.home.language"), "language"), _context(t(lang, "slack.home.privacy"), "privacy")]
    return {"type": "home", "blocks": [block.to_dict() for block in blocks[:MAX_HOME_BLOCKS]]}


def _health(status: HomeStatus, lang: str) -> str:
    lines = [f"*{t(lang, 'slack.home.health.title')}*",
             f"• {t(lang, f'slack.home.health.resolver.{status.resolver}')}",
             f"• {t(lang, 'slack.home.health.dqs.on' if status.dqs else 'slack.home.health.dqs.off')}"]
    if status.rdap_error and status.rdap_error_at and (status.rdap_ok_at or 0) < status.rdap_error_at:
        failing = t(lang, "slack.home.health.rdap.failing", reason=escape(status.rdap_error),
                    when=when(status.rdap_error_at))
        lines.append(f"• {failing}")
    elif status.rdap_ok_at:
        lines.append(f"• {t(lang, 'slack.home.health.rdap.ok', when=when(status.rdap_ok_at))}")
    else:
        lines.append(f"• {t(lang, 'slack.home.health.rdap.unknown')}")
    if status.store is None:
        lines.append(f"• {t(lang, 'slack.home.health.store.none')}")
    else:
        state = t(lang, "slack.home.health.store.ok" if status.store_ok else "slack.home.health.store.failing")
        kind = t(lang, f"slack.home.store.{status.store}")
        lines.append(f"• {t(lang, 'slack.home.health.store', kind=kind, state=state)}")
    return "\n".join(lines)


def _recent(recent: Sequence[RecentCheck], lang: str) -> str:
    lines = [f"*{t(lang, 'slack.home.recent.title')}*"]
    if not recent:
        lines.append(t(lang, "slack.home.recent.none"))
    for check in recent[:MAX_LISTED]:
        lists = f": {escape(check.lists)}" if check.lists else ""
        lines.append("• " + t(lang, "slack.home.recent.line", ip=code(escape(check.ip)),
                              status=t(lang, f"slack.status.{check.status}"), lists=lists, when=when(check.at)))
    return "\n".join(lines)
