"""The Slack face of the bot: a Bolt AsyncApp (app.py) served over HTTP (server.py) or Socket Mode
(socket.py). Each Slack flow lives in its listener, ``listeners/<kind>/<name>.py`` (ack, work, reply);
they share the placeholder -> update -> apology steps (replies.py) and reach the diagnoser, the
users' languages and the reply dedupe through ``deps.Deps``. The diagnosis itself is the core's;
no lookups here."""
