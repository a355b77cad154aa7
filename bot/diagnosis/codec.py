"""Lookup results to JSON text and back, for caches shared between instances (a DNSBL report, an
owner). The dataclasses of ``model`` hold only strings, numbers, booleans, ``StrEnum``s, tuples,
optional values, plain dicts and other such dataclasses: their type hints say how to rebuild them.
A value that does not fit (an older version's, a corrupted entry) raises ``ValueError``; a shared
cache treats that as a miss.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

from bot.diagnosis.model import to_dict

T = TypeVar("T")
VERSION = 1  # bumped when a cached shape changes: older entries are then misses


def dumps(value: Any) -> str:
    return json.dumps({"v": VERSION, "value": to_dict(value)}, ensure_ascii=False, separators=(",", ":"))


def loads(cls: type[T], text: str) -> T:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error}") from None
    if not isinstance(document, dict) or document.get("v") != VERSION:
        raise ValueError("another version's entry")
    built = _build(cls, document.get("value"))
    if not isinstance(built, cls):
        raise ValueError(f"not a {cls.__name__}")
    return built


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in (option for option in options if option is not type(None)):
            try:
                return _build(option, value)
            except (ValueError, TypeError) as error:
                errors.append(str(error))
        raise ValueError("; ".join(errors) or "no type fits")
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        (item,) = typing.get_args(kind)[:1]
        return tuple(_build(item, element) for element in value)
    if origin is dict or kind is dict:
        if not isinstance(value, dict):
            raise ValueError("expected an object")
        return dict(value)
    if kind is Any:
        return value
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ValueError(f"expected an object for {kind.__name__}")
        hints = _hints(kind)
        fields = {field.name: _build(hints[field.name], value[field.name])
                  for field in dataclasses.fields(kind) if field.init and field.name in value}
        return kind(**fields)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind in (str, int, bool) and type(value) is kind:
        return value
    raise ValueError(f"expected {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
