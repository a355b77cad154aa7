"""What an operator watches: Prometheus metrics served at ``GET /metrics`` (prometheus-client).

One registry per app, not the library's global one, so that two apps in one process (the tests
build many) never share or collide. Names and labels carry only our own vocabulary (an outcome, a
failure kind, a Slack method and error word): never a user, a channel, an IP or a secret.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.diagnosis.model import Diagnosis

CONTENT_TYPE = CONTENT_TYPE_LATEST
ACK_SLOW = 1.0  # seconds: an ack slower than this is counted (Slack gives up at 3)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.checks = Counter("bounce_doctor_checks", "Checks answered, by outcome "
                              "(listed, not_listed, unknown, blocked, bad_input, failed, rate_limited, busy)",
                              ["outcome"], registry=self.registry)
        self.lookups_failed = Counter("bounce_doctor_lookups_failed", "Lookups that failed, by kind "
                                      "(dnsbl_timeout, dnsbl_servfail, owner_timeout, ...)",
                                      ["kind"], registry=self.registry)
        self.slack_errors = Counter("bounce_doctor_slack_api_errors", "Slack Web API calls that failed "
                                    "after their retries", ["method", "error"], registry=self.registry)
        self.slow_acks = Counter("bounce_doctor_acks_over_1s", "Requests from Slack acknowledged after more "
                                 "than a second", registry=self.registry)
        self.refused = Counter("bounce_doctor_requests_refused", "Requests to /slack/events refused before "
                               "Bolt saw them, by reason", ["reason"], registry=self.registry)
        self.in_flight = Gauge("bounce_doctor_checks_in_flight", "Checks being worked on now",
                               registry=self.registry)

    def checked(self, diagnosis: Diagnosis) -> None:
        """Count one answered check and the lookups that failed in it."""
        if diagnosis.ip_problem:
            self.checks.labels("bad_input").inc()
            return
        report = diagnosis.dnsbl
        outcome = "blocked" if diagnosis.blocked_by else (str(report.status) if report else "unknown")
        self.checks.labels(outcome).inc()
        for zone in report.failures if report else ():
            self.lookups_failed.labels(f"dnsbl_{zone.error or 'unexpected'}").inc()
        if diagnosis.owner is not None and diagnosis.owner.error:
            self.lookups_failed.labels(f"owner_{diagnosis.owner.error}").inc()

    def ack(self, seconds: float) -> None:
        if seconds > ACK_SLOW:
            self.slow_acks.inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
