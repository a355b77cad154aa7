"""English catalogue for the diagnosis: verdicts, list meanings, owners, cases, fix steps.

Placeholders in braces are filled by bot.render.common, which escapes every value from outside.
List meanings follow Spamhaus's return-code documentation (docs/sources.md, "Spamhaus").
"""

MESSAGES: dict[str, str] = {
    # Verdict headline
    "headline.listed": "{ip} is listed: {lists}",
    "headline.not_listed": "{ip} is not listed on any list checked",
    "headline.unknown": "{ip}: could not check every list",
    "headline.blocked_microsoft": "{ip} is blocked by Microsoft's own block list ({code})",
    "headline.blocked_microsoft_tenant": "Blocked by Microsoft ({code}): the block is on the sending tenant or "
                                         "account, not one IP",
    "headline.problem.no_ip": "No blocked IP address found in this text",
    "headline.problem.private": "{ip} is a private address: blocklists never see it",
    "headline.problem.reserved": "{ip} is a reserved address (loopback, link-local, multicast ...): nothing to check",
    "headline.problem.malformed": "That does not look like a valid IP address",
    "headline.problem.too_large": "That paste is too large to read",
    "headline.problem.binary": "That looks like binary data, not a bounce message",
    "headline.problem.empty": "Nothing to check",
    "headline.problem.redacted_ip": "The address in this bounce is redacted",
    "checked.lists": "Checked: {lists}.",
    "headline.joined": "{first}; {second}",
    "checked.domain": "Checked {domain}: {lists}.",
    "checked.keyed_only": "Not checked without a Spamhaus DQS key: {lists}.",
    "checked.skipped": "Not checked, as they do not serve this kind of address: {lists}.",
    # Sections (terminal and Slack)
    "section.evidence": "From the bounce",
    "section.listings": "Blocklists now",
    "section.failures": "Could not check",
    "section.owner": "Who owns the IP",
    "section.case": "Whose problem it is",
    "section.fix": "How to fix it",
    # Evidence
    "evidence.bare_ip": "IP given directly: {ip}",
    "evidence.found": "Blocked IP {ip}, found in: {snippet}",
    "evidence.blocklist": "The rejection names {name}{detail}",
    "evidence.not_blocklist": "This is not a blocklist rejection: {kind}",
    "evidence.rejected_by": "Rejected with {codes} by {host}",
    "evidence.rejected_with": "Rejected with {codes}",
    "evidence.rejected_at": "Rejected by {host}",
    "evidence.open_resolver": "The receiver's DNS resolver ({resolver}) is refused by Spamhaus: "
                              "the error is on the receiving side",
    "evidence.open_resolver_unnamed": "The receiver's DNS resolver is refused by Spamhaus: the error is on the "
                                      "receiving side",
    "evidence.others": "Other addresses in the text, not the blocked one: {ips}",
    "list.unnamed": "an unnamed blocklist",
    "role.blocked": "blocked",
    "role.mx": "receiving server",
    "role.relay": "relay hop",
    "role.resolver": "DNS resolver",
    "role.url": "in a link",
    "role.unknown": "other",
    "role.version": "version number",
    "role.return_code": "blocklist return code",
    "role.loopback": "loopback",
    "kind.user_unknown": "unknown recipient",
    "kind.mailbox_full": "mailbox full",
    "kind.message_too_big": "message too big",
    "kind.too_big": "message too big",
    "kind.spf": "SPF failure",
    "kind.dmarc": "DMARC failure",
    "kind.dkim": "DKIM failure",
    "kind.ptr": "missing or wrong reverse DNS (PTR)",
    "kind.host_unknown": "unknown host or domain",
    "kind.expired": "delivery timed out",
    "kind.policy": "the receiver's own policy",
    "kind.address_blacklisted": "a blocked sender or recipient address",
    "kind.mailbox_disabled": "mailbox disabled",
    "kind.not_mx": "relaying policy",
    "kind.rate_limit": "a connection or rate limit (slow down; not a block list)",
    "kind.null_mx": "the sender's domain accepts no mail (null MX)",
    # What each list means (Spamhaus return codes: docs.spamhaus.com)
    "meaning.spamhaus.sbl": "SBL: listed by hand by Spamhaus as a spam source or spam operation.",
    "meaning.spamhaus.css": "CSS: automated listing for low-reputation, snowshoe-style sending.",
    "meaning.spamhaus.drop": "DROP: the whole netblock is hijacked or run by criminals.",
    "meaning.spamhaus.xbl": "XBL: an exploited machine (malware, botnet, open proxy) sends from this IP.",
    "meaning.spamhaus.pbl_isp": "PBL (marked by the ISP): this range is not meant to send mail straight to "
                                "mail servers. Not a spam listing.",
    "meaning.spamhaus.pbl_spamhaus": "PBL (marked by Spamhaus): this range looks dynamic or end-user and is "
                                     "not meant to send mail straight to mail servers. Not a spam listing.",
    "meaning.spamhaus.pbl": "PBL: this range is not meant to send mail straight to mail servers. "
                            "Not a spam listing.",
    "meaning.spamhaus.bcl": "BCL: a botnet command-and-control server.",
    "meaning.spamhaus.authbl": "AuthBL: seen brute-forcing SMTP logins.",
    "meaning.spamhaus.dbl_spam": "DBL: a domain with a poor reputation, seen in spam.",
    "meaning.spamhaus.dbl_phish": "DBL: a phishing domain.",
    "meaning.spamhaus.dbl_malware": "DBL: a domain that serves malware.",
    "meaning.spamhaus.dbl_botnet_cc": "DBL: a botnet command-and-control domain.",
    "meaning.spamhaus.dbl_abused_spam": "DBL: a legitimate domain abused to advertise spam (a compromised site).",
    "meaning.spamhaus.dbl_abused_redirector": "DBL: a legitimate domain abused as a redirector to spam.",
    "meaning.spamhaus.dbl_abused_phish": "DBL: a legitimate domain abused to host phishing.",
    "meaning.spamhaus.dbl_abused_malware": "DBL: a legitimate domain abused to serve malware.",
    "meaning.spamhaus.dbl_abused_botnet_cc": "DBL: a legitimate domain abused for botnet command and control.",
    "meaning.spamhaus.zrd": "ZRD: a newly seen domain (zero reputation); the listing lapses by itself within 24 hours.",
    "meaning.spamcop": "SpamCop: spam reports from recipients; listings expire by themselves 24 h after "
                       "the reports stop.",
    "meaning.barracuda": "Barracuda Reputation: poor sending reputation seen by Barracuda.",
    "meaning.uceprotect": "UCEPROTECT level 1: this single IP sent to spam traps; expires after 7 days "
                          "without new hits.",
    "meaning.psbl": "PSBL: sent to spam traps; removal is self-service.",
    "meaning.mailspike": "Mailspike: poor reputation score.",
    "meaning.generic": "Listed on {list}.",
    # Could-not-check reasons, each with what to do
    "failure.line": "{zone}: {reason}",
    "error.all_lists": "all lists",
    "error.timeout": "no answer in time. Retry; if it keeps happening, check DNS_NAMESERVERS.",
    "error.servfail": "the resolver failed (SERVFAIL). With a DQS key this can mean the key is switched off.",
    "error.refused": "the resolver refused the query. Use your own resolver or a Spamhaus DQS key.",
    "error.open_resolver": "Spamhaus refused this resolver as public or unattributable (127.255.255.254). "
                           "Set SPAMHAUS_DQS_KEY or point DNS_NAMESERVERS at your own resolver.",
    "error.rate_limited": "too many queries from this resolver (127.255.255.255). "
                          "Set SPAMHAUS_DQS_KEY or use your own resolver.",
    "error.zone_typo": "the list name is wrong (127.255.255.252); with DQS, check the key.",
    "error.dqs_key_disabled": "Spamhaus says the DQS key is disabled (127.255.255.250). Renew or replace "
                              "SPAMHAUS_DQS_KEY in your Spamhaus account.",
    "error.dqs_key_misused": "Spamhaus says the DQS key is being used outside its terms (127.255.255.251), for "
                             "example from more places than it allows. Check your Spamhaus account.",
    "error.spamhaus_error": "Spamhaus answered with an error code (127.255.255.x) this bot does not know: "
                            "treat the check as not done and see the log.",
    "error.unknown_code": "the list answered with a return code this bot does not know, so it cannot say what "
                          "the listing means. Look the IP up on the list's own page.",
    "error.bad_answer": "the answer is not a blocklist code (the resolver may rewrite answers).",
    "error.no_answer": "the list answered with no record.",
    "error.self_test_failed": "the resolver path failed the RFC 5782 test (127.0.0.2 must be listed), "
                              "so a \"not listed\" cannot be trusted. Use a DQS key or your own resolver.",
    "error.unsupported": "this list does not support this kind of address.",
    "error.unreachable": "no resolver could be reached. Check DNS_NAMESERVERS and that this machine can reach it "
                         "on port 53.",
    "error.test_point_not_listed": "the resolver path hides listings (test point 127.0.0.2 is not listed). "
                                   "Use a DQS key or your own resolver.",
    "error.test_point_listed": "the resolver path invents listings (test point 127.0.0.1 is listed). "
                               "Use a resolver that does not rewrite answers.",
    "error.no_list": "no list is configured for this check.",
    "error.unexpected": "unexpected error (see the log).",
    # Owner
    "owner.organisation": "Organisation",
    "owner.network": "Network",
    "owner.asn": "AS",
    "owner.country": "Country",
    "owner.abuse": "Abuse contact",
    "owner.provider_abuse": "Provider's abuse contact",
    "owner.provider": "Provider",
    "owner.rdns": "Reverse DNS",
    "owner.registry": "Registry",
    "owner.rdns_confirmed": "forward-confirmed",
    "owner.rdns_unconfirmed": "NOT forward-confirmed",
    "owner.no_rdns": "none (no PTR record)",
    "owner.unknown": "Owner unknown: {reason}",
    "owner.error.timeout": "the registry (RDAP) did not answer in time",
    "owner.error.rate_limited": "the registry (RDAP) is rate-limiting us; try again in a few minutes",
    "owner.error.http_error": "the registry (RDAP) returned an error",
    "owner.error.not_found": "the registry has no record for this address",
    "owner.error.not_public": "this address is not in public registry data",
    "owner.error.asn_lookup_failed": "the AS lookup (DNS) failed",
    "owner.error.unexpected": "the lookup failed (see the log)",
    # Ownership cases
    "case.own_server": "Your own server",
    "case.third_party_sender": "Someone else's server sending to you",
    "case.outbound_relay": "Your mail relayed through a third-party service",
    "case.microsoft": "Microsoft's block list or Microsoft's servers",
    "case.undetermined": "Not determined: is this your server?",
    "case.not_yours": "Not your server",
    "case.reason.microsoft_list": "The rejection is Microsoft's own block list ({code}), not Spamhaus.",
    "case.reason.microsoft_server": "{ip} is one of Exchange Online's own sending servers (Microsoft's published "
                                    "ranges, or its outbound.protection.outlook.com name).",
    "case.reason.own_network": "The IP is in your network {network} (OWN_NETWORKS).",
    "case.reason.own_asn": "The IP is in your AS{asn} (OWN_ASNS).",
    "case.reason.own_rdns": "Its forward-confirmed reverse DNS {rdns} is in your domains (OWN_DOMAINS).",
    "case.reason.own_abuse": "Its abuse contact {abuse} is in your domains (OWN_DOMAINS).",
    "case.reason.relay_service": "The IP belongs to {service}, a mail relay service.",
    "case.reason.outbound_sender": "The sender domain {domain} is yours but the IP is not: your mail "
                                   "left through someone else's server.",
    "case.reason.inbound_recipient": "The recipient domain {domain} is yours and the IP is not: someone "
                                     "else's server was sending to you.",
    "case.reason.not_yours": "The IP is in none of your networks, AS numbers or domains (OWN_*): its owner must "
                             "act. The bounce does not show whether this was your mail going out through them or "
                             "their mail coming in.",
    "case.reason.not_yours_relay": "The IP is in none of your networks, AS numbers or domains (OWN_*) and belongs to "
                                   "{service}. If your mail went out through {service}, they must delist it; the "
                                   "bounce does not show your sender domain, so the bot cannot tell.",
    "case.reason.exchange_online_inbound": "Exchange Online protecting a Microsoft 365 mailbox rejected it, and the "
                                           "IP is none of yours: someone else's server was sending to you.",
    "case.reason.relay_direction_unknown": "The IP belongs to {service}, a mail service. If your mail went out "
                                           "through it, {service} must delist it; if it was sending to you, it is "
                                           "someone else's server. Your sender domain in the bounce, or "
                                           "OWN_DOMAINS, would decide it.",
    "case.reason.unconfigured": "OWN_NETWORKS, OWN_ASNS and OWN_DOMAINS are not set, so the bot cannot tell "
                                "your servers from others.",
    "value.unknown": "unknown",
    # Fix steps
    "fix.receiver_open_resolver": "The receiving server's DNS resolver ({resolver}) is refused by Spamhaus, so it "
                                  "rejects mail for its own misconfiguration. Tell the receiver's postmaster to use "
                                  "their own resolver or a Spamhaus DQS key. You probably have nothing to delist.",
    "fix.own.find_cause": "Find the cause before delisting ({lists}): a compromised mail account or password, an "
                          "infected machine behind the same public IP (NAT), an open relay or proxy, or a form or "
                          "script sending spam. Check the mail logs for sudden volume.",
    "fix.own.find_cause_unlisted": "The IP is not listed now, but the receiver rejected it: check your outgoing "
                                   "mail logs for spam or a compromised account and watch for new listings.",
    # A domain the bounce blames (bot/diagnosis/domain_advice.py)
    "fix.domain.own": "{domain} is on the Spamhaus {list}: the receiver blocked the mail for your own domain, not "
                      "for the server. Find why (a compromised site or account, a sending service spamming with it, "
                      "links to it in spam), stop it, then ask for removal on Spamhaus's domain lookup page.",
    "fix.domain.abused": "{domain} is on the Spamhaus {list} as a legitimate domain that was abused: its website is "
                         "probably compromised. Clean the site (and change its passwords) first, then ask for removal "
                         "on Spamhaus's domain lookup page.",
    "fix.domain.in_message": "{domain} is on the Spamhaus {list} and is not your sender domain: it is a domain in "
                             "the message (a link, a tracking or link-shortening domain). Take it out of the message "
                             "and send again; only its owner can have it removed.",
    "fix.domain.zrd": "{domain} is on the Spamhaus ZRD: it was first seen in the last 24 hours (newly registered or "
                      "long dormant). The listing lapses by itself within 24 hours of first sighting; there is "
                      "nothing to request. Send from an established domain meanwhile.",
    "fix.domain.not_listed": "{domain} is not on the Spamhaus domain lists now: the listing may have lapsed or "
                             "been removed since the bounce. Send again; if it bounces again, the receiver may use "
                             "another domain list (SURBL, URIBL).",
    "fix.domain.unknown": "{domain} could not be checked now (see above): look it up on Spamhaus's domain page.",
    "fix.list.sbl": "SBL {ticket}: only the ISP or owner of the IP can get it removed, through the SBL record. "
                    "Send your ISP the ticket number; while an SBL listing stands, other removals are blocked.",
    "fix.list.sbl_owner": "SBL {ticket}: the owner of the IP (its ISP) must resolve it with Spamhaus through the "
                          "SBL record.",
    "fix.list.css": "CSS: after fixing the cause, request removal yourself at check.spamhaus.org.",
    "fix.list.css_rdns": "CSS removal needs a PTR record, a HELO name matching it and forward-confirmed reverse "
                         "DNS. Now: {rdns}. Fix that first.",
    "fix.list.xbl": "XBL: clean every machine behind this IP (it is often NAT shared by many), then request "
                    "removal yourself at check.spamhaus.org.",
    "fix.list.xbl_owner": "XBL: a machine behind this IP is infected. Its owner must clean it and request removal "
                          "at check.spamhaus.org.",
    "fix.list.pbl_isp": "PBL, marked by the ISP: not a spam listing. Only the ISP that holds this range can change "
                        "it: ask your provider for a static IP outside its PBL ranges, or send through its "
                        "smarthost with SMTP AUTH.",
    "fix.list.css_owner": "CSS: the owner of the IP must find the cause (often a compromised account or bulk "
                          "mail without consent) and then request removal at check.spamhaus.org.",
    "fix.list.spamcop_expires": "{list}: nothing to request. SpamCop listings expire by themselves about 24 hours "
                                "after the reports stop: stop the spam and wait.",
    "fix.list.uceprotect_expires": "{list}: nothing to request. UCEPROTECT level 1 listings expire by themselves "
                                   "7 days after the last spam trap hit: stop the spam and wait (paid express "
                                   "removal is not needed).",
    "fix.list.reputation": "{list}: a reputation score, not a listing to remove. It improves by itself as the IP "
                           "sends only wanted mail.",
    "fix.list.named_unchecked": "The bounce names {list}, which could not be checked just now: look the IP up "
                                "on its own page.",
    "fix.list.nixspam_dead": "NiX Spam has published no listings since January 2025: a receiver still using it "
                             "rejects on stale data. Ask the receiver's postmaster to remove it from their "
                             "configuration.",
    "fix.named.gmail": "Gmail keeps no list to be removed from. If it says the IP is not authorised or dynamic, send "
                       "through your provider's smarthost or a relay with SPF and DKIM; Postmaster Tools only "
                       "shows your reputation.",
    "fix.named.mimecast": "Mimecast rejects by its customers' own policies and lists: only the recipient's Mimecast "
                          "administrator can allow you. Ask the recipient to have their IT permit your address or "
                          "domain; the page below explains the code.",
    "fix.named.att": "AT&T's own block list: forward the bounce to abuse_rbl@abuse-att.net and ask for the IP to be "
                     "unblocked, after fixing the cause.",
    "fix.named.yahoo": "Yahoo's TSS codes are temporary deferrals for complaints, not a listing: your server "
                       "retries. Lower the volume, send only wanted mail, and see the Yahoo Sender Hub.",
    "fix.list.pbl": "PBL: this is not a penalty. Send through your provider's smarthost with SMTP AUTH; remove the "
                    "IP from the PBL only if it is a static IP with proper reverse DNS that runs a mail server.",
    "fix.list.pbl_owner": "PBL: the owner must send through their provider's smarthost, or have a static IP with "
                          "reverse DNS assigned and remove it from the PBL (ISP-marked ranges: only the ISP can).",
    "fix.list.drop": "DROP: the whole netblock is hijacked or criminal. There is no delisting for an end user: "
                     "move to a different provider's addresses.",
    "fix.list.other": "{list}: request removal at the list's own page after fixing the cause.",
    "fix.list.named_not_queried": "The bounce names {list}, which the bot does not query: check and delist there.",
    "fix.list.sorbs_dead": "SORBS shut down in June 2024: a receiver still using it rejects on stale data. Ask the "
                           "receiver's postmaster to remove SORBS from their configuration.",
    "fix.third.owner_must_delist": "The IP {ip} belongs to {owner}: only they can get it delisted. Abuse contact: "
                                   "{abuse}. Forward them the bounce and the listing.",
    "fix.third.owner_must_delist_no_abuse": "The IP {ip} belongs to {owner}: only they can get it delisted. The "
                                            "registry names no abuse contact for it: find one on their website "
                                            "and forward them the bounce and the listing.",
    "fix.third.owner_unknown": "Only the holder of {ip} can get it delisted, and the registry did not say who "
                               "that is: ask the network that routes it, or look the IP up at a regional "
                               "registry's whois.",
    "fix.third.allowlist": "Meanwhile, if you trust this sender, allow-list {ip} in your own mail filter.",
    "fix.relay.contact_service": "Your mail left through {service} ({ip}). Open a ticket with them (abuse contact: "
                                 "{abuse}) with the bounce: they must fix or delist their IP.",
    "fix.relay.contact_service_no_abuse": "Your mail left through {service} ({ip}). Open a ticket with their "
                                          "support, with the bounce: they must fix or delist their IP.",
    "fix.relay.change_route": "Or change the route: send through a different relay or IP pool until it is delisted.",
    "fix.undetermined.if_yours": "If {ip} is your server: find the cause (compromised account, infected machine, "
                                 "open relay), then follow the removal route below.",
    "fix.undetermined.if_not_yours": "If it is not yours: the owner ({owner}, abuse contact {abuse}) must delist it; "
                                     "if your mail was relayed through them, contact them or change the route.",
    "fix.undetermined.if_not_yours_no_abuse": "If it is not yours: its owner, {owner}, must delist it (the registry "
                                              "names no abuse contact); if your mail was relayed through them, "
                                              "contact them or change the route.",
    "fix.undetermined.if_not_yours_unknown": "If it is not yours: its holder must delist it (the registry did not "
                                             "say who that is); if your mail was relayed through them, contact "
                                             "them or change the route.",
    "fix.undetermined.configure": "Set OWN_NETWORKS, OWN_ASNS or OWN_DOMAINS so the bot can tell your servers "
                                  "from others next time.",
    "fix.ms.delist_portal": "Microsoft's own block list, not Spamhaus: request delisting of {ip} at the Microsoft "
                            "delist portal (one IP per request; confirm the e-mail it sends).",
    "fix.ms.delist_wait": "Delisting takes up to 24 hours. If the IP is blocked again, find the cause first.",
    "fix.ms.banned_sender": "Banned sender (5.7.511): the delist portal cannot help. Mail the bounce to {mail} "
                            "and ask for the sender to be unblocked.",
    "fix.ms.customer_block": "The recipient's organisation blocks you in its own list (5.7.513): contact the "
                             "recipient; Microsoft cannot remove it.",
    "fix.ms.tenant": "Microsoft stopped the tenant's outbound mail ({code}): look for a compromised account or "
                     "open relay, then contact Microsoft 365 support.",
    "fix.ms.account_banned": "Microsoft banned the sending account ({code}) for sending spam: secure the account "
                             "(password, MFA, forwarding rules), then ask Microsoft 365 support to unblock it.",
    "fix.ms.ip_restricted": "Microsoft is restricting mail from this tenant's IPs for now ({code}): it lifts by "
                            "itself. Look for a compromised account or a sudden volume; if it lasts, contact "
                            "Microsoft 365 support.",
    "fix.ms.unregistered_domain": "Add and verify every domain you send from in Microsoft 365 (5.7.750).",
    "fix.ms.throttled": "Temporary throttling by Microsoft (4.7.5xx/6xx): it lifts by itself and your server "
                        "retries; nothing to delist. Lower the sending rate.",
    "fix.ms.outlook_form": "Outlook.com block list: ask Outlook.com sender support to unblock {ip}.",
    "fix.ms.their_ip": "{ip} is Microsoft's own server: you cannot delist it. Open a ticket with Microsoft 365 support "
                       "with the bounce; Microsoft must delist or re-route it.",
    "fix.could_not_check": "Some lists could not be checked, so this is not a clean bill of health: see \"Could not "
                           "check\" and retry, or run `python -m bot doctor`.",
    "fix.not_listed_now": "{list} does not list the IP now: the listing has expired or was removed, and the "
                          "receiver may still have the old answer cached. Ask the receiver to retry later.",
    "fix.not_listed": "Nothing to delist: {ip} is on none of the lists checked ({lists}) now. The block may have "
                      "expired since the bounce (receivers cache answers for a few hours), or come from a list the "
                      "bot does not check.",
    "fix.wait_ttl": "Removal is not instant: receivers' DNS caches keep the old answer for up to a few hours.",
    "fix.problem.no_ip": "Paste the full bounce (the line with the 5xx code and the IP), or type just the IP.",
    "fix.problem.private": "Find the public IP your mail leaves from (the bounce's Client host, or your NAT or "
                           "firewall) and check that.",
    "fix.problem.reserved": "Check the public IP your mail server sends from instead.",
    "fix.problem.malformed": "Check the address: an IPv4 address is four numbers 0-255 separated by dots.",
    "fix.problem.too_large": "Paste only the rejection part of the bounce (the lines with the 5xx code), not the "
                             "whole message.",
    "fix.problem.binary": "Paste the bounce as text (open the .eml or NDR and copy the error lines).",
    "fix.problem.empty": "Paste a bounce message or type an IP address.",
    "fix.problem.redacted_ip": "Ask for the original bounce with the address, or type the sending server's public IP.",
    "fix.problem.domain_listed": "The domain {domain} is listed (Spamhaus DBL), not an IP: the domain owner must "
                                 "check it at Spamhaus, find why (spam links, compromised site) and request removal.",
    "fix.problem.not_blocklist": "This bounce is not about a blocklist ({kind}): fix that cause instead.",
    # Context line
    "context.checked": "Checked {when} via {via} in {ms} ms",
    "context.dqs": "Spamhaus DQS",
    "context.resolver": "resolver {resolver}",
    "context.system": "the system's resolver",
    "context.parsed_only": "Read {chars} characters; no lookups made",
    # Command line
    "cli.no_slack": "Slack is not connected. To connect it, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP "
                    "mode, `python -m bot serve`) or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode, "
                    "`python -m bot socket`): see README.md, \"Connect Slack\".",
    "cli.demo": "Diagnosing a sample bounce (pass your own: python -m bot check \"<bounce text or IP>\"):",
    "cli.watch.one_ip": "--watch follows one IP address: python -m bot check --watch 192.0.2.1",
    "cli.watch.waiting": "Watching {ip}: no change yet; next check at {when} (Ctrl-C to stop)",
    "cli.watch.changed": "The listings changed:",
    "list.separator": ", ",
    "sentences": "{first} {second}",
    "case.line": "{title}. {reason}",
    "doctor.resolver_system": "DNS lookups go to the system's resolver (/etc/resolv.conf).",
    "doctor.tag.ok": "[OK]",
    "doctor.tag.warn": "[WARNING]",
    "doctor.tag.fail": "[PROBLEM]",
    "doctor.resolver": "DNS lookups go to {resolver}.",
    "doctor.dqs_set": "SPAMHAUS_DQS_KEY is set: Spamhaus is queried through DQS.",
    "doctor.dqs_shape": "SPAMHAUS_DQS_KEY does not look like a DQS key (26 lower-case letters and digits).",
    "doctor.dqs_missing": "SPAMHAUS_DQS_KEY is not set: the free public mirror is used, which refuses public and "
                          "cloud resolvers. Get a free DQS key for production.",
    "doctor.self_test_ok": "{zone}: test point 127.0.0.2 is listed and 127.0.0.1 is not, so its answers can be "
                           "trusted.",
    "doctor.self_test_failed": "{zone}: the self-test failed: {reason}",
    "doctor.rdap_ok": "RDAP answers: {detail}.",
    "doctor.rdap_failed": "RDAP did not answer ({detail}): owners show as unknown until it does.",
    "doctor.store_ok": ("The state store works: {kind} at {where} (watches, the one-reply window, shared "
                         "lookups)."),
    "doctor.store_failed": ("The state store at {where} does not work ({detail}): the Slack bot runs without watches, "
                             "and a retry after a restart may be answered twice."),
    "doctor.slack_http": "Slack HTTP mode is configured: run `python -m bot serve`.",
    "doctor.slack_socket": "Slack Socket Mode is configured: run `python -m bot socket`.",
    "doctor.slack_half": "SLACK_BOT_TOKEN is set, but {missing} (HTTP mode) or {or_missing} (Socket Mode) is missing.",
    "doctor.slack_no_bot": "{missing} is missing: both Slack modes need the Bot User OAuth Token (xoxb-).",
    "doctor.slack_none": "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode) or "
                         "SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode).",
    "doctor.slack_user_token": "SLACK_BOT_TOKEN holds a user token (xoxp-): use the app's Bot User OAuth Token "
                               "(xoxb-) instead.",
    "doctor.slack_app_token_as_bot": "SLACK_BOT_TOKEN holds an app-level token (xapp-): that one belongs in "
                                     "SLACK_APP_TOKEN, and SLACK_BOT_TOKEN takes the Bot User OAuth Token (xoxb-).",
    "doctor.slack_bot_shape": "SLACK_BOT_TOKEN does not look like a Bot User OAuth Token (xoxb-).",
    "doctor.slack_app_shape": "SLACK_APP_TOKEN does not look like an app-level token (xapp-).",
    "tag.listed": "[LISTED]",
    "tag.blocked": "[BLOCKED]",
    "tag.not_listed": "[NOT LISTED]",
    "tag.unknown": "[COULD NOT CHECK]",
    "tag.problem": "[!]",
    "extract.blocklist": "Blocklist: {name}",
    "extract.candidates": "Addresses in the text:",
}
