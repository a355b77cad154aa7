"""Pytest fixtures and assertions built on the loopback servers (the servers live in ``loopback/``)."""
