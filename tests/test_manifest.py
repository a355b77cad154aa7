"""manifest.yml is a valid Slack app manifest that asks for exactly what the bot uses."""

from pathlib import Path

import pytest
import yaml

from bot.slack.listeners.commands import COMMAND
from bot.slack.listeners.shortcuts import CALLBACK_ID

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "slack-app-manifest.v1.schema.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


def test_manifest_matches_slacks_schema(manifest):
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} not present")
    import json

    from jsonschema import Draft7Validator

    errors = sorted(Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).iter_errors(manifest),
                    key=lambda error: list(error.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_scopes_are_exactly_what_the_bot_uses(manifest):
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(
        ["commands", "chat:write", "app_mentions:read", "channels:history", "groups:history", "im:history",
         "users:read", "files:read"])


def test_every_scope_says_why_it_is_asked_for(manifest):
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    for scope in manifest["oauth_config"]["scopes"]["bot"]:
        [line] = [line for line in text.splitlines() if line.strip().startswith(f"- {scope} ")]
        assert len(line.split("#", 1)[1].strip()) > 10, f"{scope} has no reason beside it"


def test_events_and_entry_points_match_the_listeners(manifest):
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == [
        "app_home_opened", "app_mention", "message.channels", "message.groups", "message.im"]
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]
    assert manifest["features"]["slash_commands"][0]["usage_hint"]
    shortcut = manifest["features"]["shortcuts"][0]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", CALLBACK_ID)
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_http_mode_urls_point_at_bolts_path_and_socket_mode_is_off(manifest):
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            manifest["features"]["slash_commands"][0]["url"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False


def test_procfile_runs_both_modes():
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    assert lines == ["web: python -m bot serve", "worker: python -m bot socket"]
