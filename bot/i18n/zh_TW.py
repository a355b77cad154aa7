"""zh_TW catalogue."""

MESSAGES: dict[str, str] = {}
