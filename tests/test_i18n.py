"""Both catalogues say the same things, and every key the code can emit has words in both."""

import ast
import re
from pathlib import Path

import pytest

from bot.diagnosis.providers import DEFAULT
from bot.i18n import CATALOGUES, lang_for_locale, t

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_catalogues_have_the_same_keys():
    assert set(CATALOGUES["en"]) == set(CATALOGUES["zh-TW"])


@pytest.mark.parametrize("key", sorted(CATALOGUES["en"]))
def test_translations_use_the_same_placeholders(key):
    assert set(PLACEHOLDER.findall(CATALOGUES["en"][key])) == set(PLACEHOLDER.findall(CATALOGUES["zh-TW"][key]))


def _literal_keys(path: Path, prefixes: tuple[str, ...]) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and node.value.startswith(prefixes) and re.fullmatch(r"[a-zA-Z0-9_.]+[a-z_]", node.value):
            keys.add(node.value)
    return keys


def test_every_fix_step_and_case_reason_the_advice_emits_exists():
    keys = _literal_keys(ROOT / "bot/diagnosis/advice.py", ("fix.", "case.reason."))
    assert keys, "the scan found no keys: the test would prove nothing"
    assert sorted(k for k in keys if k not in CATALOGUES["en"]) == []


def _error_keys(path: Path) -> set[str]:
    """Error names the lookup code can put into ``ZoneResult.error`` / ``SelfTest.error`` / ``Owner.error``:
    ``error=`` keyword constants and the first argument of ``Answer(...)`` / ``Refusal(...)`` /
    ``RdapFailure(...)``."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "error" and isinstance(keyword.value, ast.Constant):
                keys.add(keyword.value.value)
        name = getattr(node.func, "id", None)
        if name in ("Answer", "Refusal", "RdapFailure") and node.args and isinstance(node.args[0], ast.Constant):
            keys.add(node.args[0].value)
    return keys - {"nxdomain", "answer"}  # outcomes, not errors


def test_every_dnsbl_error_the_lookups_report_has_words():
    lookups = ("dnsbl.py", "answers.py", "dnsquery.py")
    keys = set().union(*(_error_keys(ROOT / "bot/diagnosis" / name) for name in lookups))
    keys |= {refusal.error for refusal in DEFAULT.refusals.values()}
    keys |= {provider.range_refusal.error for provider in DEFAULT.providers if provider.range_refusal}
    assert {"timeout", "open_resolver", "unreachable"} <= keys, "the scan missed known errors"
    assert sorted(k for k in keys if f"error.{k}" not in CATALOGUES["en"]) == []


def test_every_owner_error_has_words():
    keys = set().union(*(_error_keys(path) for path in (ROOT / "bot/diagnosis/owner").glob("*.py")))
    assert {"timeout", "not_public", "rate_limited", "not_found"} <= keys, "the scan missed known errors"
    assert sorted(k for k in keys if f"owner.error.{k}" not in CATALOGUES["en"]) == []


def test_every_problem_has_a_headline_and_a_fix():
    for problem in ("no_ip", "private", "reserved", "malformed", "too_large", "binary", "empty", "redacted_ip"):
        assert f"headline.problem.{problem}" in CATALOGUES["en"]
        assert f"fix.problem.{problem}" in CATALOGUES["en"]


def test_zh_tw_text_is_traditional_chinese():
    text = t("zh-TW", "case.own_server") + t("zh-TW", "headline.problem.no_ip")
    assert "伺服器" in text and "找不到" in text
    # Simplified forms that must not appear in a Taiwan catalogue
    assert not any(ch in "".join(CATALOGUES["zh-TW"].values()) for ch in "务这个为们设")


@pytest.mark.parametrize(("locale", "lang"), [("zh-TW", "zh-TW"), ("zh_TW", "zh-TW"), ("zh-HK", "zh-TW"),
                                              ("en-US", "en"), ("en-GB", "en"), ("ja-JP", "en"), (None, "en")])
def test_slack_locales_map_to_supported_languages(locale, lang):
    assert lang_for_locale(locale, "en") == lang


def test_unknown_locale_uses_the_configured_default():
    assert lang_for_locale("fr-FR", "zh-TW") == "zh-TW"


def test_missing_key_shows_the_key_not_a_crash():
    assert t("en", "no.such.key") == "no.such.key"


def test_every_fix_step_the_provider_table_names_has_words():
    keys = {key for provider in DEFAULT.providers for key in (provider.retired, provider.named_fix) if key}
    for zone in DEFAULT.zones:
        for code in (*zone.codes.values(), zone.other):
            if code is not None:
                keys |= {key for key in (code.fix, code.fix_owner, code.rdns_step) if key}
                keys.add(f"meaning.{code.meaning}")
    assert len(keys) > 20, "the scan found too few keys: the test would prove little"
    assert sorted(key for key in keys if key not in CATALOGUES["en"]) == []
    assert sorted(key for key in keys if key not in CATALOGUES["zh-TW"]) == []
