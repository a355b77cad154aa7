"""Diagnosis -> terminal text. Bold headings only when writing to a TTY; plain text otherwise."""

from __future__ import annotations

import re
import unicodedata

from bot.diagnosis.model import Diagnosis
from bot.i18n import t
from bot.render.common import present

# Terminal escape sequences and other control characters from pasted text or WHOIS data must not
# reach the terminal (they could rewrite the screen). Keep tab and newline out as well: one value,
# one line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", value)


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def render_text(diagnosis: Diagnosis, lang: str = "en", *, color: bool = False) -> str:
    view = present(diagnosis, lang, escape=_clean)

    def heading(text: str) -> str:
        return f"\033[1m{text}\033[0m" if color else text

    tags = {"listed", "blocked", "not_listed", "unknown"}
    marker = t(lang, f"tag.{view.status}" if view.status in tags else "tag.problem")
    lines = [heading(f"{marker} {view.headline}"), ""]

    if view.evidence:
        lines.append(heading(t(lang, "section.evidence")))
        lines += [f"  - {line}" for line in view.evidence]
        lines.append("")
    if view.listings or view.checked:
        lines.append(heading(t(lang, "section.listings")))
        for listing in view.listings:
            lines.append(f"  * {listing.title}")
            lines.append(f"    {listing.meaning}")
            if listing.reason:
                lines.append(f"    {listing.reason}")
            if listing.url:
                lines.append(f"    {listing.url}")
        if view.checked:
            lines.append(f"  {view.checked}")
        lines.append("")
    if view.failures:
        lines.append(heading(t(lang, "section.failures")))
        lines += [f"  ! {line}" for line in view.failures]
        lines.append("")
    if view.owner or view.owner_note:
        lines.append(heading(t(lang, "section.owner")))
        width = max((display_width(label) for label, _ in view.owner), default=0)
        lines += [f"  {label}{' ' * (width - display_width(label))}  {value}" for label, value in view.owner]
        if view.owner_note:
            lines.append(f"  {view.owner_note}")
        lines.append("")
    if view.case_title:
        lines.append(heading(t(lang, "section.case")))
        lines.append(f"  {view.case_title}")
        lines.append(f"  {view.case_reason}")
        lines.append("")
    if view.fix:
        lines.append(heading(t(lang, "section.fix")))
        for number, (step, url) in enumerate(view.fix, 1):
            lines.append(f"  {number}. {step}")
            if url:
                lines.append(f"     {url}")
        lines.append("")
    lines.append(view.context)
    return "\n".join(lines)
