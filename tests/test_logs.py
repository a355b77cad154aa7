import logging

from bot.logs import REDACTED, SecretFilter


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("t", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_configured_secrets_are_removed_from_messages_and_arguments():
    secret_filter = SecretFilter(["abcdefghijklmnopqrstuvwxyz"])
    record = _record("query %s failed", "2.0.0.127.abcdefghijklmnopqrstuvwxyz.zen.dq.spamhaus.net")
    secret_filter.filter(record)
    assert "abcdefghijklmnopqrstuvwxyz" not in record.getMessage()
    assert REDACTED in record.getMessage()


def test_slack_token_shapes_are_removed_even_when_not_configured():
    record = _record("token xoxb-1234-5678-abcdefgh and xapp-1-A1-23-abcdef leaked")
    SecretFilter([]).filter(record)
    assert "xoxb-1234" not in record.getMessage() and "xapp-1-A1" not in record.getMessage()


def test_secrets_in_tracebacks_are_removed():
    try:
        raise RuntimeError("bad key abcdefghijklmnopqrstuvwxyz")
    except RuntimeError:
        import sys

        record = _record("boom", exc_info=sys.exc_info())
    SecretFilter(["abcdefghijklmnopqrstuvwxyz"]).filter(record)
    assert "abcdefghijklmnopqrstuvwxyz" not in record.exc_text
    assert "RuntimeError" in record.exc_text
