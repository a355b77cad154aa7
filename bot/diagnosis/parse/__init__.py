"""Pasted text -> ``Bounce``, without any network access.

One concern a module: ``normalise`` (the paste as plain text), ``document`` (the text as the parser
reads it), ``occurrences`` (every address and its context), ``mentions`` (which list is named, from
the provider table), ``fields`` (codes, hosts, domains, other reasons), ``phrases`` (the bounce
phrasing as data) and ``engine`` (the steps, in order).
"""

from bot.diagnosis.parse.engine import parse_bounce
from bot.diagnosis.parse.normalise import MAX_INPUT_CHARS, extract_ip_literal, is_plausible_ip_text, normalise

__all__ = ["MAX_INPUT_CHARS", "extract_ip_literal", "is_plausible_ip_text", "normalise", "parse_bounce"]
