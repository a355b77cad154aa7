"""Message catalogues for English and Traditional Chinese (zh-TW).

Every sentence a person reads comes from here: the core emits keys and parameters, the renderers
(terminal, JSON ``fix`` text, Block Kit) call ``t``. Catalogues are split by surface:
``en``/``zh_TW`` hold the diagnosis (lists, cases, fix steps, errors); ``slack_en``/``slack_zh_TW``
hold the Slack-only interface (buttons, help, progress). A key missing in zh-TW falls back to
English, and a test checks that none is missing.
"""

from __future__ import annotations

from bot.i18n import en, slack_en, slack_zh_TW, zh_TW

LANGS = ("en", "zh-TW")

CATALOGUES: dict[str, dict[str, str]] = {
    "en": {**en.MESSAGES, **slack_en.MESSAGES},
    "zh-TW": {**zh_TW.MESSAGES, **slack_zh_TW.MESSAGES},
}


def t(lang: str, key: str, **params) -> str:
    """The text for ``key`` in ``lang`` with ``params`` filled in. Unknown keys return the key,
    so a missing entry is visible rather than a crash in front of a user."""
    template = CATALOGUES.get(lang, {}).get(key) or CATALOGUES["en"].get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(key: str) -> bool:
    return key in CATALOGUES["en"]


def lang_for_locale(locale: str | None, default: str = "en") -> str:
    """Slack locale (``zh-TW``, ``en-US``, ...) -> a supported language. Traditional-script Chinese
    locales read zh-TW; other languages get the configured default."""
    if not locale:
        return default
    normalized = locale.replace("_", "-").lower()
    if normalized in ("zh-tw", "zh-hk", "zh-mo", "zh-hant") or normalized.startswith("zh-hant"):
        return "zh-TW"
    if normalized == "en" or normalized.startswith("en-"):
        return "en"
    return default
