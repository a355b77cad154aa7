"""Checks that a Block Kit message keeps Slack's limits (shared/reference/slack.md), for any test."""

from __future__ import annotations

import json

LIMITS = {"blocks": 50, "section": 3000, "fields": 10, "field": 2000, "header": 150, "context": 10,
          "button_text": 75, "button_value": 2000, "button_url": 3000, "block_id": 255, "actions": 25,
          "text": 40_000, "blocks_json": 12_000}  # msg_blocks_too_long: counted as JSON, which is never shorter


def assert_within_limits(message: dict, *, max_blocks: int = LIMITS["blocks"]) -> None:
    assert message.get("text"), "every message needs a plain-text fallback"
    assert len(message["text"]) <= LIMITS["text"], "Slack truncates the fallback past 40,000 characters"
    blocks = message.get("blocks") or []
    assert len(blocks) <= max_blocks, f"{len(blocks)} blocks"
    if max_blocks <= LIMITS["blocks"]:  # a message (a view has its own, larger limits)
        size = len(json.dumps(blocks, ensure_ascii=False))
        assert size <= LIMITS["blocks_json"], f"blocks are {size} characters long in all"
    block_ids = [block["block_id"] for block in blocks if "block_id" in block]
    assert len(block_ids) == len(set(block_ids)), f"block_id repeated: {block_ids}"
    action_ids = [element["action_id"] for block in blocks if block["type"] == "actions"
                  for element in block["elements"]]
    assert len(action_ids) == len(set(action_ids)), f"action_id repeated: {action_ids}"
    for block in blocks:
        assert len(block.get("block_id", "")) <= LIMITS["block_id"]
        kind = block["type"]
        if kind == "header":
            assert len(block["text"]["text"]) <= LIMITS["header"]
            assert block["text"]["type"] == "plain_text"
        elif kind == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= LIMITS["section"]
            fields = block.get("fields") or []
            assert len(fields) <= LIMITS["fields"]
            assert all(len(f["text"]) <= LIMITS["field"] for f in fields)
            assert "text" in block or fields
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= LIMITS["context"]
            assert all(len(e.get("text", "")) <= 3000 for e in block["elements"])
        elif kind == "actions":
            assert 1 <= len(block["elements"]) <= LIMITS["actions"]
            for button in block["elements"]:
                assert len(button["text"]["text"]) <= LIMITS["button_text"]
                assert len(button.get("value", "")) <= LIMITS["button_value"]
                assert len(button.get("url", "")) <= LIMITS["button_url"]


def text_objects(message: dict) -> list[dict]:
    """Every mrkdwn and plain_text object in a message's blocks (or a view's)."""
    found: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks") or [])
    walk(message.get("view") or {})
    return found


def mrkdwn_texts(message: dict) -> list[str]:
    """Every text a person can see in a message: fallback, mrkdwn and plain_text objects."""
    return [message.get("text", ""), *(node["text"] for node in text_objects(message))]
