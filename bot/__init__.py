"""Spamhaus bounce doctor: reads a bounce, checks the blocklists, says who must fix what."""
