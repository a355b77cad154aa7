"""Real servers on loopback, shared by the tests and the benchmarks: DNS (dnslib), recorded RDAP over
HTTP, a fake Slack Web API and Socket Mode server, the real ``python -m bot serve`` as a process,
a sender that signs requests as Slack does, and the guard that keeps everything on loopback.
Needs the development requirements (dnslib, websockets ...); the bot itself never imports it."""
