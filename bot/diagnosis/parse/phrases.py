"""Bounce phrasing as data: where an IP sits, how unnamed lists are named, why else mail bounces,
and where the other fields of a bounce are. What is known about each named service lives in the
provider table (``bot.diagnosis.providers``); the parser's engine reads both.

Sisimai-style: the knowledge about the world lives in these tables and the engine knows no phrasing
of its own. Adding a new phrasing means adding a row.

Conventions shared by every table:
- Patterns are matched against LOWER-CASED text.
- Context rules (``BEFORE_IP`` / ``AFTER_IP``) see a short window next to an IP with whitespace
  collapsed to single spaces and the bracket around the IP removed: a ``BEFORE_IP`` pattern must
  match at the very end of the text before the IP, an ``AFTER_IP`` pattern at the very start of
  the text after it.
- Whole-text patterns (unnamed lists, rejection kinds) are written with single spaces between
  words; ``words()`` turns each space into ``\\s+`` so that wrapped lines still match.
- Every pattern has bounded repetition only (no nested quantifiers): the engine must stay linear.

Sources: docs/sources.md, "Bounce formats".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.diagnosis.model import Role
from bot.diagnosis.providers.base import Phrase, phrase

# --------------------------------------------------------------------------------------------
# Where an IP sits: context rules
# --------------------------------------------------------------------------------------------

BLOCKED, MX, RELAY, RESOLVER = Role.BLOCKED, Role.MX, Role.RELAY, Role.RESOLVER


@dataclass(frozen=True)
class ContextRule:
    """Text next to an IP that says what the IP is. Scores add up over every matching rule."""

    name: str
    pattern: re.Pattern[str]
    score: int
    role: Role = BLOCKED
    blames: bool = False  # on its own, the phrase says the receiver blocked this IP
    reach: int = 60  # how many characters next to the IP the phrase can span
    # Before-rules: plain words one of which every match contains, looked up within the reach
    # before the pattern runs (a substring search is far cheaper than a regex search). Empty:
    # always run the pattern.
    needles: tuple[str, ...] = ()


def _before(name: str, pattern: str, score: int, role: Role = BLOCKED, *, blames: bool = False,
            reach: int = 60, needles: tuple[str, ...] = ()) -> ContextRule:
    return ContextRule(name, re.compile(rf"(?:{pattern})$"), score, role, blames, reach, needles)


def _after(name: str, pattern: str, score: int, role: Role = BLOCKED, *, blames: bool = False) -> ContextRule:
    return ContextRule(name, re.compile(rf"(?:{pattern})"), score, role, blames)


# Text that ends right before the IP (the "[" or "(" in front of it already removed).
BEFORE_IP: tuple[ContextRule, ...] = (
    # Blamed positions.
    # postfix / EOP "Client host [IP] blocked using"; postscreen "client [IP] blocked using"
    _before("client_host", r"\bclient host", 50, blames=True, needles=("client host",)),
    _before("client", r"(?<!mismatches )\bclient", 30, needles=("client",)),
    # also SPF "mismatches client ip": not blaming
    _before("client_ip", r"\bclient ip(?: address)?:?", 25, needles=("client ip",)),
    # Microsoft 5.7.606-649, 5.7.511
    _before("banned_sending_ip", r"banned sending ip|banned sender", 60, blames=True, needles=("banned",)),
    # QQ "Blocked IP 192.0.2.22"
    _before("blocked_ip", r"\b(?:blocked|banned|blacklisted|blocklisted|listed|rejected) ip(?: address)?:?", 50,
            blames=True, needles=(" ip",)),
    # mail.ru "Access from ip address X blocked"; ORBS "no access from mail server [X]"
    _before("access_from", r"\baccess (?:from|for) (?:the )?(?:ip address|ip|mail server|server|host|client)",
            50, blames=True, needles=("access ",)),
    # Gmail "(sent through X) blocked" (the window ends without a blank: "through " never matched)
    _before("sent_through", r"\bsent (?:through|via)(?: ip)?", 45, blames=True, needles=("sent ",)),
    # Outlook.com, Yahoo
    _before("messages_from", r"\b(?:messages?|e-?mails?|mail|connections?) from(?: ip)?", 35, needles=(" from",)),
    # Yahoo "[TSS07] Connections will not be accepted from 203.0.113.5, because the ip is in ..."
    _before("not_accepted_from", r"\b(?:will not be|won'?t be|are not|is not|not) accepted from(?: ip)?", 45,
            blames=True, needles=("accepted",)),
    _before("your_ip", r"\byour (?:sending |mail |mail server )?(?:ip|server|host|address)(?: address)?:?(?: is)?",
            40, blames=True, needles=("your ",)),
    # T-Online "554 IP=X"
    _before("ip_equals", r"(?<![\w?&])ip ?=|\bip addr(?:ess)? ?=", 40, blames=True, needles=("=",)),
    _before("ip_word", r"\b(?:sending |source |remote |connecting |offending |sender )?ip(?: address)?:?", 25,
            needles=("ip",)),
    # Gmail "550-5.7.1 [IP 18]"; Exim "550-IP blocked by ..." (no needle: reach is the longest match)
    _before("status_code_bracket", r"\b[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}", 30, reach=16),
    _before("smtp_code_prefix", r"(?:^|[^\w.])[245]\d\d[ -]?", 15, reach=6),
    # Outlook.com 4.7.650 "The mail server [IP] has been ..."
    _before("the_mail_server", r"\bthe mail server", 15, needles=("the mail server",)),
    # IP inside a lookup / removal link: ?ip=  /bl?ip=  lookup.cgi?ip=  rblcheck.php?ipr=
    # check.spamhaus.org/query/ip/IP  spamcop.net/bl.shtml?IP
    _before("url_query_ip", r"[?&;](?:ip|ipr|ipaddr|ip_?address|addr|address|query|q|host|lookup|ip_lookup|search)=",
            45, blames=True, needles=("=",)),
    _before("url_path_ip", r"/(?:query/)?ip/|/(?:ip-?)?lookup/|/listing/|/check/|/search/|/ip_?address/", 45,
            blames=True, needles=("/",)),
    _before("url_spamcop", r"/bl\.shtml\?", 45, blames=True, needles=("/bl.shtml?",)),
    # Not the blocked IP.
    # Spamhaus returnc: the receiver's resolver
    _before("open_resolver_link", r"/returnc/[a-z]+/", -200, RESOLVER, needles=("/returnc/",)),
    # "host mx.example[IP] said:"
    _before("mx_host", r"(?<!client )\bhost [a-z0-9][\w.-]*", -80, MX, needles=("host ",)),
    # Exchange "Remote Server at mx.example.org (10.0.0.5) returned": the rejecting server
    _before("remote_server_at", r"\bremote server at [a-z0-9][\w.-]{0,253}", -80, MX, reach=140,
            needles=("remote server at",)),
    _before("mx_phrase", r"\b(?:giving up on|connected to|remote host|while talking to|remote server|mx host|"
            r"mail exchanger|remote-mta: ?(?:dns|ip|x-[\w-]+)?;?|other mxes tried:?)", -80, MX,
            needles=("giving", "connected", "remote", "talking", "mx", "exchanger")),
    # Gmail "by mx.example.jp. [IP]"
    _before("mx_by_host", r"\bby [a-z0-9][\w-]*(?:\.[\w-]+)+\.?", -60, MX, needles=("by ",)),
    # sendmail / courier "The original message was received at <date> from host [IP]"
    _before("received_at_from", r"\bwas received (?:at|on) .{0,120}", -60, RELAY, reach=140,
            needles=("was received",)),
)

# Text that starts right after the IP (closing bracket, ": port" and a trailing score removed).
AFTER_IP: tuple[ContextRule, ...] = (
    _after("ip_then_blocked", r":? ?(?:is |was |has been |have been |are |got |appears |appear )?"
           r"(?:currently |temporarily |permanently |now )?(?:been )?"
           r"(?:blocked|blacklisted|blocklisted|block listed|black listed|banned|rate limited|throttled|"
           r"deferred|listed|found on|found in)\b", 40, blames=True),
    _after("ip_in_list", r":? ?(?:is |was |appears )?(?:in|on) (?:a |an |the |our |one or more )?[\w.-]{0,40} ?"
           r"(?:black ?list|block ?list|dnsbls?|rbls?|spam ?list|deny ?list|reputation list)", 40, blames=True),
    _after("because_ip_listed", r",? ?because (?:the |this |your )?ip(?: address)? (?:is|was) (?:in|on|listed)", 40,
           blames=True),
    _after("ip_then_rejected", r":? ?(?:is |was |has been )?(?:rejected|refused|denied)\b", 25),
    _after("not_sent", r"weren'?t sent|were not sent|was not sent", 20),  # Outlook.com S3150 / SC-xxx
    _after("client_host_rejected_blocked", r": ?client host rejected: ?(?:blocked|listed|access denied)", 40,
           blames=True),  # postfix "<host[IP]>: Client host rejected: blocked using"
    _after("open_relay", r",? ?which is an open relay", 30),  # ORBS-style
    _after("mx_said", r"said\b|refused to talk to me|does not like recipient|: (?:>>>|<<<)", -80, MX),
)

# Dotted numbers that are not addresses at all: version strings, build ids, status suffixes.
NOT_AN_ADDRESS_BEFORE = re.compile(
    r"(?:\brv:|\bv|\bversion[:=]?|\bver\.?|\brelease:?|\bbuild:?|\bserver id|smtpsvc\(|"
    r"(?:thunderbird|firefox|mozilla|gecko|seamonkey|outlook|chrome|safari|exim|postfix|sendmail|"
    r"x-mailer:|user-agent:) ?/?)$"
)
NOT_AN_ADDRESS_REACH = 16  # its longest match, "user-agent: /", is 13 characters
# Yahoo appends "- 4.16.55.1;" to TSS04 replies: an internal code shaped like an address.
STATUS_SUFFIX_BEFORE = re.compile(r"(?:^|\s)- ?$")
STATUS_SUFFIX_REACH = 3
STATUS_SUFFIX_SHAPE = re.compile(r"[245]\.\d{1,2}\.\d{1,3}\.\d{1,3}")

# Header fields whose IPs are relay hops or authentication details, never the blocked address.
HEADER_FIELDS = re.compile(
    r"\n(?:received|received-spf|received-from-mta|reporting-mta|x-[\w-]+|(?:arc-)?authentication-results|"
    r"arc-[\w-]+|dkim-signature|domainkey-signature|message-id|user-agent|resent-[\w-]+|x-mailer)"
    r":[^\n]*(?:\n[ \t][^\n]*)*"
)

# Where the returned copy of the original message starts: IPs after it are relay hops.
RETURNED_MESSAGE_MARKERS: tuple[str, ...] = (
    "this is a copy of the message",  # exim
    "below this line is a copy of the message",  # qmail
    "content-type: message/rfc822",  # DSN part 3
    "content-type: text/rfc822-headers",
    "content-description: undelivered message",  # postfix
    "----- original message -----",  # gmail
    "original message headers:",  # exchange
    "unsent message follows",  # sendmail
    "below is a copy of the original message",  # opensmtpd
)

# Scores of positions the engine knows without a phrase.
SCORE_HEADER_RECEIVED = -60
SCORE_HEADER_OTHER = -40
SCORE_RETURNED_MESSAGE = -40
SCORE_NEAR_MENTION = 15  # within NEAR_MENTION_CHARS of a blocklist name
NEAR_MENTION_CHARS = 250
CHOSEN_MIN_SCORE = 30
IMPLIED_MIN_SCORE = 50  # a blaming phrase plus a little more: "Unnamed blocklist" without a list name
LONE_CANDIDATE_MIN_SCORE = 15  # when it is the only plausible address next to a named list


# --------------------------------------------------------------------------------------------
# Lists the bounce names without naming a known service
# --------------------------------------------------------------------------------------------

_DOMAIN_NAME = r"[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}"


# A phrase that names some blocklist. Group "zone" (when present) is its DNS zone, group "name" its name.
GENERIC_LISTS: tuple[Phrase, ...] = (
    phrase(rf"blocked using (?P<zone>{_DOMAIN_NAME})", "using"),
    phrase(rf"(?<!not\s)\blisted (?:in|at|on|by) (?:the )?(?P<zone>{_DOMAIN_NAME})", "listed"),
    phrase(rf"black ?list at (?P<zone>{_DOMAIN_NAME})", "black"),
    phrase(r"(?P<name>\b[a-z][\w-]{1,20} )?\b(?:dnsbl|rbl)\b", "dnsbl", "rbl"),
    phrase(r"\b(?:ip|ip address|client host|client|host|server|network|your ip|sending ip) "
           r"(?:is |has been |was |are )?(?:currently )?(?:blacklisted|blocklisted|black listed|"
           r"block listed|blocked for|banned)", "listed", "blocked", "banned"),
    phrase(r"(?:blacklisted|blocklisted|blocked|banned|listed) (?:ip|ip address|client ip)\b",
           "listed", "blocked", "banned"),
    phrase(r"\b(?:ip|sender) reputation\b|poor reputation|bad reputation|low reputation", "reputation"),
    phrase(r"黑名單|黑名单", "黑名"),
)
GENERIC_NAME = "Unnamed blocklist"

# Near a list name, these say the list blames a domain (postfix reject_rhsbl_*, Spamhaus DBL).
DOMAIN_LISTING_HINTS = phrase(
    r"(?:mailfrom|mail from|sender|envelope|from|helo) domain (?:is )?listed|domain (?:is )?listed in|"
    r"(?:sender address|helo command|recipient address|reverse client hostname) rejected: blocked using|"
    r"blacklisted (?:url|link|domain)|domain (?:is )?(?:black|block)listed",
    "listed", "rejected",
)


# --------------------------------------------------------------------------------------------
# Why else mail bounces (not a blocklist)
# --------------------------------------------------------------------------------------------

# Ordered: the first kind that matches wins. Keys are catalogue keys ("kind.<key>").
REJECTION_KINDS: tuple[tuple[str, Phrase], ...] = (
    ("ptr", phrase(r"reverse dns|\bptr\b|\brdns\b|reverse (?:lookup|hostname)|cannot find your hostname|"
                   r"ip name lookup failed|hostname does not resolve",
                   "reverse", "ptr", "rdns", "hostname", "lookup")),
    ("spf", phrase(r"\bspf\b|mismatches client ip|does not designate .{0,40}permitted sender",
                   "spf", "mismatches", "designate")),
    ("dmarc", phrase(r"\bdmarc\b", "dmarc")),
    ("dkim", phrase(r"\bdkim\b", "dkim")),
    ("not_mx", phrase(r"may not be mail exchanger|relay(?:ing)? (?:access )?denied|not permitted to relay|"
                      r"relay not permitted|unable to relay", "exchanger", "relay")),
    ("address_blacklisted", phrase(r"(?<!ip\s)\b(?:address|sender|recipient|e-?mail) (?:that )?(?:has been |is )?"
                                   r"(?:black|block)listed|address (?:is )?on (?:our|the|a) (?:black|block) ?list",
                                   "listed", "list")),
    ("mailbox_full", phrase(r"mailbox (?:is )?full|over ?quota|quota exceeded|insufficient (?:disk )?space|"
                            r"mailbox size limit", "mailbox", "quota", "insufficient")),
    ("message_too_big", phrase(r"message (?:is )?too (?:big|large)|message size exceeds|exceeds (?:the )?"
                               r"(?:maximum )?(?:allowed )?(?:message )?size|line limit exceeded|size limit",
                               "too", "exceeds", "limit")),
    ("mailbox_disabled", phrase(r"account (?:has been )?disabled|disabled or discontinued|mailbox (?:is )?"
                                r"(?:disabled|inactive|suspended)|account (?:is )?(?:inactive|suspended)",
                                "disabled", "inactive", "suspended")),
    ("host_unknown", phrase(r"host unknown|host not found|domain not found|domain (?:does|may) not exist|"
                            r"no such domain|unrouteable|name service error|no mx record",
                            "host", "domain", "unrouteable", "service", "mx")),
    ("user_unknown", phrase(r"user unknown|unknown user|no such user|user not found|recipient not found|"
                            r"recipnotfound|unknown recipient|not listed in (?:domino directory|public name & address "
                            r"book)|invalid (?:recipient|address|mailbox)|no mailbox|mailbox unavailable|"
                            r"(?:address|user|mailbox|account) does not exist",
                            "user", "recipient", "recipnotfound", "listed", "invalid", "mailbox", "exist")),
    # Connection and rate limits are not block lists (Exchange Online 4.7.652 "exceeded the maximum
    # number of connections"): the receiver only asks the sender to slow down.
    ("rate_limit", phrase(r"maximum number of (?:connections|concurrent connections|messages)|too many connections|"
                          r"too many concurrent|connection (?:rate )?limit (?:exceeded|reached)|rate limit exceeded|"
                          r"sending rate (?:limit )?exceeded|exceeded the (?:connection|message|sending) rate",
                          "maximum", "many", "limit", "rate")),
    ("expired", phrase(r"still undelivered|in the queue too long|could not be delivered for \d+|"
                       r"delivery time expired|retry timeout exceeded|too long in queue|message expired",
                       "undelivered", "queue", "delivered", "expired", "timeout")),
)
# When no phrase matches, the enhanced status code alone (RFC 3463).
KIND_BY_STATUS: dict[str, str] = {
    "5.1.1": "user_unknown", "5.1.0": "user_unknown", "5.1.2": "host_unknown", "5.2.2": "mailbox_full",
    "5.2.3": "message_too_big", "5.3.4": "message_too_big", "4.4.7": "expired", "5.4.7": "expired",
    "5.7.25": "ptr", "5.7.23": "spf", "5.7.26": "dmarc", "5.7.27": "null_mx", "5.7.509": "dmarc",
}
# Kinds that contradict an unnamed "blocked": the receiver checked something else about the sender.
AUTHENTICATION_KINDS = frozenset({"ptr", "spf", "dmarc", "dkim", "not_mx", "rate_limit"})


# --------------------------------------------------------------------------------------------
# Other fields of the bounce. Patterns start with a literal (often the "\n" before a header
# field: the engine puts one in front of the text) so that scanning a long paste stays fast.
# --------------------------------------------------------------------------------------------

# Redacted addresses: "x.x.x.x", "#.#.#.#", "[****]", "1.2.3.xxx" (the engine checks that at
# least one part is masked).
REDACTED_IP = re.compile(r"(?<![\w.])(?:[\dx*#]{1,3}\.){3}[\dx*#]{1,3}(?![\w.])|\[[*x]{2,}\]")
REDACTED_MASK = re.compile(r"[x*#]")

# SMTP reply code with an optional enhanced status code (RFC 5321 / RFC 3463), with no word
# character, dot or slash right before it (checked after the first digit, so that the regex engine
# can skip ahead to a 4 or 5; a check in Python would run for every "x550" of a long paste).
SMTP_CODE = re.compile(r"([45](?<![a-z0-9_.+/-][45])\d\d)(?:-|[ \t]+)(?:([45]\.\d{1,3}\.\d{1,3})(?![\w.]))?")
ENHANCED_CODE = re.compile(r"[ \t]{0,3}([45]\.\d{1,3}\.\d{1,3})(?![\w.])")
STATUS_FIELD = re.compile(r"\nstatus: ?([245]\.\d{1,3}\.\d{1,3})")

# Who rejected: group 1 is a host name or an address. The nearest one before the rejection wins.
_HOST = r"([a-z0-9][\w-]{0,62}(?:\.[\w-]{1,63}){1,8})"
REJECTING_HOST: tuple[re.Pattern[str], ...] = (
    re.compile(rf"host {_HOST}\.? ?\["),  # postfix "host mx[IP] said" / exim "host mx [IP]"
    re.compile(r"\nremote-mta: ?dns; ?\[?([a-z0-9][\w.:-]{0,252}[a-z0-9])"),  # RFC 3464
    re.compile(rf"while talking to {_HOST}\.?:"),  # sendmail
    re.compile(r"connected to (\d{1,3}(?:\.\d{1,3}){3})\b"),  # qmail
    re.compile(r"giving up on (\d{1,3}(?:\.\d{1,3}){3})\b"),
    re.compile(r"remote host (\d{1,3}(?:\.\d{1,3}){3})\b"),
    re.compile(rf"generating server: {_HOST}"),  # exchange
)

_ADDRESS = r"<?([\w.+=/-]{1,64}@([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}))>?"
RECIPIENT_FIELDS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\nfinal-recipient: ?rfc822; ?{_ADDRESS}"),
    re.compile(rf"\noriginal-recipient: ?rfc822; ?{_ADDRESS}"),
    re.compile(rf"\nx-failed-recipients: ?{_ADDRESS}"),
    re.compile(rf"rcpt to: ?{_ADDRESS}"),
    re.compile(r"\n[ \t]{0,8}<([\w.+=/-]{1,64}@([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}))>:"),  # postfix / qmail
)
SENDER_FIELDS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\nx-postfix-sender: ?rfc822; ?{_ADDRESS}"),
    re.compile(rf"mail from: ?{_ADDRESS}"),
    re.compile(rf"envelope-from {_ADDRESS}"),
)
# After a display name of up to 200 characters. The local part must start where one can start
# (not inside a word): otherwise every position of a long name is tried with up to 64 characters
# each, and a paste of "From:" lines without an address took a second per megabyte.
_ADDRESS_AFTER_NAME = r"[^\n<]{0,200}<?(?<![\w.+=/-])" + _ADDRESS.removeprefix("<?")
FROM_FIELD = re.compile(rf"\nfrom: ?{_ADDRESS_AFTER_NAME}")
TO_FIELD = re.compile(rf"\nto: ?{_ADDRESS_AFTER_NAME}")
MAILER_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery|mail administrator")
