"""The Slack face of the bot: a Bolt AsyncApp (app.py) served over HTTP (server.py) or Socket Mode
(socket.py). Listeners unpack Slack payloads and call service.DiagnosisService; no lookups here."""
