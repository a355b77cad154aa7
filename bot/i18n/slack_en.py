"""slack_en catalogue."""

MESSAGES: dict[str, str] = {}
