"""en catalogue."""

MESSAGES: dict[str, str] = {}
