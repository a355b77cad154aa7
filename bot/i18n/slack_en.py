"""English strings that only the Slack interface shows: help, progress, buttons, App Home, errors.

Everything here is mrkdwn written by us (trusted). Placeholders are filled with values the Slack
layer has already escaped (see bot.render.blocks.escape / code).
"""

MESSAGES: dict[str, str] = {
    # Help: /spamhaus help, a bare mention, "help" in a direct message
    "slack.help": (
        "*Bounce Doctor* reads an e-mail bounce, finds the IP address that was blocked, checks it against "
        "Spamhaus and other blocklists right now, tells you who owns the IP and how to get it delisted.\n"
        "• `/spamhaus 203.0.113.5`: check one IP address\n"
        "• `/spamhaus` followed by the pasted bounce: find the blocked IP in it and check it\n"
        "• Paste a bounce in a channel I am in: I answer in its thread\n"
        "• Mention me with a bounce or an IP: I answer in the thread\n"
        "• Drop a bounce file (`.eml` or `.txt`) in a channel I am in, forward the bounce there, or mail it to "
        "the channel's e-mail address: I answer in its thread\n"
        "• Message shortcut *Diagnose bounce* (the ⋮ menu of any message): check that message\n"
        "• *Notify me when delisted* under a listed result: I post in its thread when the listing changes; "
        "`/spamhaus watches` lists the channel's watches\n"
        "• `/spamhaus help`: this help"
    ),
    # Progress
    "slack.command.ack": "Checking… the result will appear in this channel.",
    "slack.checking.ip": ":hourglass_flowing_sand: Checking {ip} against the blocklists and the registries…",
    "slack.checking.text": ":hourglass_flowing_sand: Reading the bounce and checking the blocklists…",
    "slack.summary.details": "Evidence, owner and how to fix it are in the thread.",
    # Failures: the reference id is also in the log line with the details
    "slack.apology": ":warning: Sorry, something went wrong while checking this. Please try again in a moment; "
                     "if it keeps failing, give the bot's operator this reference: {ref}",
    "slack.not_in_channel": "I am not a member of this channel, so only you can see this answer. "
                            "Invite me with `/invite` to get answers in threads.",
    "slack.shortcut.no_text": "That message has no text or bounce file I can read. Paste the bounce text, or "
                              "attach the bounce as an `.eml` or `.txt` file.",
    # Shared files (bot/slack/files.py): {names} are the files' names
    "slack.file.no_access": "I could not open {names}: Slack did not let me read the file. The bot's operator may "
                            "need to add the `files:read` scope and reinstall the app. Paste the bounce text instead.",
    "slack.file.elsewhere": "I did not open {names}: it is not stored on Slack's file servers, and I send my access "
                            "token nowhere else. Paste the bounce text instead.",
    "slack.file.failed": "I could not download {names} from Slack just now. Try again in a moment, or paste the "
                         "bounce text.",
    "slack.file.nothing": "I read {names} but found no blocked IP address, blocklist or rejection code in it.",
    # Message layout
    "slack.button.recheck": "Re-check now",
    "slack.button.lookup": "Open Spamhaus lookup",
    "slack.link.details": "details ({host})",
    "slack.link.open": "open ({host})",
    "slack.several": "This bounce blames {count} IP addresses:",
    "slack.truncated": "… {count} more not shown: Slack limits the size of a message. The Spamhaus lookup "
                       "below shows every listing of this IP.",
    # App Home
    "slack.home.title": "Bounce Doctor",
    "slack.home.intro": "When a mail bounces because the sending IP is on a blocklist, I tell you which IP it was, "
                        "what the blocklists say about it now, who owns it, whose problem it is and how to fix it.",
    "slack.home.usage.title": "How to ask",
    "slack.home.example.title": "Try it",
    "slack.home.example": "`/spamhaus 550 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using "
                          "zen.spamhaus.org`",
    "slack.home.privacy": "I read only messages that look like a blocklist rejection, messages that mention me and "
                          "what you send me, including bounce files (`.eml`, `.txt`) shared where I am. Lookups go to the DNS blocklists and the internet registries (RDAP).",
    "slack.home.language": "I answer in your Slack language: English or 繁體中文 (Taiwan).",
    # Limits (bot/slack/limits.py)
    "slack.limited.user": ":raised_hand: You have asked for many checks in the last minute. Please wait a minute "
                          "before the next one: each check queries the blocklists, which limit how often they "
                          "may be asked.",
    "slack.limited.channel": ":raised_hand: This channel has asked for many checks in the last minute. Please wait "
                             "a minute before the next one: each check queries the blocklists, which limit how "
                             "often they may be asked.",
    "slack.busy": ":hourglass_flowing_sand: I am busy with other checks right now; yours is queued and will "
                  "start as soon as one finishes.",
    # Watches (bot/slack/watches.py, bot/render/home.py)
    "slack.button.watch": "Notify me when delisted",
    "slack.button.stop": "Stop",
    "slack.watch.started": ":eyes: I will look at {ip} again on a schedule and post in this thread, mentioning you, "
                           "when its listings change. First look {next}. I stop when it is on no list, when you stop "
                           "me (`/spamhaus watches`), or after {days} days.",
    "slack.watch.already": "You are already watching {ip} in this thread.",
    "slack.watch.not_listed": "{ip} is on no list now: there is nothing to watch.",
    "slack.watch.unavailable": "Watches need the bot's state store, which is not available right now. Please try "
                               "again later.",
    "slack.watch.cleared": "{mention} :white_check_mark: {ip} is on no list now. The watch is over.",
    "slack.watch.changed": "{mention} :bell: The listings of {ip} changed.",
    "slack.watch.removed": "No longer listed: {lists}.",
    "slack.watch.added": "Newly listed: {lists}.",
    "slack.watch.stopped": "Stopped watching {ip}.",
    "slack.watch.gone": "That watch has already ended.",
    "slack.watches.title": "Watches in this channel",
    "slack.watches.none": "No watches in this channel. Click *Notify me when delisted* under a listed result to "
                          "start one.",
    "slack.watches.line": "{ip} for {user}, since {since}; next look {next}; until {until}",
    "slack.watches.in": "in {channel}",
    "slack.watches.more": "… and {count} more.",
    "slack.status.listed": "listed",
    "slack.status.not_listed": "not listed",
    "slack.status.unknown": "could not check",
    "slack.status.blocked": "blocked by the receiver",
    # App Home: the set-up, the last checks, the watches
    "slack.home.health.title": "Set-up",
    "slack.home.health.resolver.ok": "DNS resolver: Spamhaus's test points answer correctly.",
    "slack.home.health.resolver.failing": "DNS resolver: Spamhaus's test points fail, so \"not listed\" cannot be "
                                          "trusted (a public resolver?). The log says more.",
    "slack.home.health.resolver.unknown": "DNS resolver: not tested yet.",
    "slack.home.health.dqs.on": "Spamhaus DQS key: configured (real-time data; ZRD checked too).",
    "slack.home.health.dqs.off": "Spamhaus DQS key: none (public mirrors; ZRD not checked).",
    "slack.home.health.rdap.ok": "Registries (RDAP): answering; last owner found {when}.",
    "slack.home.health.rdap.failing": "Registries (RDAP): the last lookup failed ({reason}) {when}.",
    "slack.home.health.rdap.unknown": "Registries (RDAP): no lookup yet.",
    "slack.home.health.store": "State: {kind}, {state}.",
    "slack.home.health.store.ok": "working",
    "slack.home.health.store.failing": "not reachable (watches and the one-reply check are paused)",
    "slack.home.health.store.none": "State: in memory only (no watches).",
    "slack.home.store.sqlite": "SQLite file",
    "slack.home.store.redis": "Redis (shared by every instance)",
    "slack.home.recent.title": "Last checks",
    "slack.home.recent.none": "No checks yet.",
    "slack.home.recent.line": "{ip}: {status}{lists} ({when})",
    "slack.home.watches.title": "Active watches",
    "slack.home.watches.none": "No active watches.",
}
