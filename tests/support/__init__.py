"""Real servers on loopback for the tests and benchmarks: DNS, RDAP over HTTP, a fake Slack Web API."""
