"""Parser scaling: time of ``parse_bounce`` on pastes of 1 KB, 100 KB and 1 MB.

Normal input is real bounce text: a short postfix rejection first (the part a user pastes into
Slack), then bounces from ../shared/corpus (``CORPUS_FILES``; an embedded sample when the corpus is
absent) repeated with realistic noise between them: relay headers, mail log lines and prose that
name other addresses. Two mixes are timed: ``bounces`` (mostly bounce text) and ``log`` (mostly
noise, one rejection at the top).

Adversarial input aims at the parser's patterns (``bot/diagnosis/bounce.py``, ``formats.py``):
long runs of digits and dots, a flood of distinct addresses in blaming words, brackets that never
close, thousands of ``>`` quote marks, one huge line, IPv6-like colon runs, header lines with no
address, SMTP codes and list words that never complete a phrase, and all of them mixed. The
postfix rejection is appended to each, so the result shows whether the blocked IP is still found.

Targets (issue "Parser scaling"): 1 MB under 250 ms; ten times the input at most twelve times the
time; adversarial input at most 3x the normal input of the same size.
"""

from __future__ import annotations

import csv
import itertools
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass

from bench.common import ROOT, Stats, line, machine, quick, stats, time_ms, title, verdict
from bot.diagnosis.parse import parse_bounce

KB = 1024
SIZES = (("1 KB", KB), ("100 KB", 100 * KB), ("1 MB", 1024 * KB))
REPEATS = {KB: 300, 100 * KB: 15, 1024 * KB: 7}
QUICK_REPEATS = {KB: 50, 100 * KB: 3, 1024 * KB: 2}
TARGET_1MB_MS = 250.0
TARGET_PER_10X = 12.0
TARGET_ADVERSARIAL = 3.0

CORPUS = ROOT.parent / "shared" / "corpus"
# Spamhaus via sendmail, Exchange Online 5.7.606, private RBL via SES, SORBS, Proofpoint via
# postfix, a postfix DNSBL: different MTAs and list phrasings.
CORPUS_FILES = ("001.txt", "002.txt", "008.txt", "010.txt", "012.txt", "027.txt")

LEAD_IP = "192.0.2.10"
LEAD = (
    "<kijitora@example.org>: host mx.example.org[198.51.100.25] said: 554 5.7.1 Service unavailable;\n"
    f"    Client host [{LEAD_IP}] blocked using zen.spamhaus.org;\n"
    f"    https://www.spamhaus.org/query/ip/{LEAD_IP} (in reply to RCPT TO command)\n"
)

# Used only when ../shared/corpus is absent: a postfix DSN written for this benchmark.
EMBEDDED_BOUNCE = """\
Return-Path: <>
Received: by mail.example.net (Postfix)
\tid 4F2A1C0123; Tue, 14 Jan 2025 09:12:44 +0100 (CET)
Date: Tue, 14 Jan 2025 09:12:44 +0100 (CET)
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: sales@example.net
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F2A1C0123.1736842364/mail.example.net"

--4F2A1C0123.1736842364/mail.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<buyer@example.com>: host mx1.example.com[203.0.113.40] said: 550 5.7.1
    Service unavailable; Client host [198.51.100.77] blocked using
    bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?198.51.100.77
    (in reply to RCPT TO command)

--4F2A1C0123.1736842364/mail.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
X-Postfix-Queue-ID: 4F2A1C0123
X-Postfix-Sender: rfc822; sales@example.net

Final-Recipient: rfc822; buyer@example.com
Action: failed
Status: 5.7.1
Remote-MTA: dns; mx1.example.com
Diagnostic-Code: smtp; 550 5.7.1 Service unavailable; Client host [198.51.100.77]
    blocked using bl.spamcop.net

--4F2A1C0123.1736842364/mail.example.net
Content-Description: Undelivered Message
Content-Type: message/rfc822

Received: from laptop.example.net (unknown [10.1.2.3])
\tby mail.example.net (Postfix) with ESMTPSA id 4F2A1C0123
\tfor <buyer@example.com>; Tue, 14 Jan 2025 09:12:43 +0100 (CET)
From: Sales <sales@example.net>
To: buyer@example.com
Subject: Quote 2025-017

Please find the quote attached.
"""


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def _bounces() -> list[str]:
    manifest = CORPUS / "manifest.tsv"
    if not manifest.is_file():
        return [EMBEDDED_BOUNCE]
    with manifest.open(encoding="utf-8", newline="") as handle:
        listed = {row["file"] for row in csv.DictReader(handle, delimiter="\t")}
    return [(CORPUS / "raw" / name).read_text(encoding="utf-8", errors="replace")
            for name in CORPUS_FILES if name in listed] or [EMBEDDED_BOUNCE]


def _address(rng: random.Random) -> str:
    net = rng.choice(("198.51.100.", "203.0.113.", "10.20.30.", "172.16.5."))  # never the lead's 192.0.2.10
    return f"{net}{rng.randrange(1, 255)}"


def _noise_block(rng: random.Random) -> str:
    """One piece of what surrounds a bounce in a real paste."""
    ip, other, queue = _address(rng), _address(rng), f"{rng.randrange(16**10):010X}"
    stamp = f"Jan 14 09:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    return rng.choice((
        f"{stamp} mail postfix/smtpd[{rng.randrange(9999)}]: connect from unknown[{ip}]\n"
        f"{stamp} mail postfix/smtpd[{rng.randrange(9999)}]: {queue}: client=unknown[{ip}]\n",
        f"{stamp} mail postfix/smtp[{rng.randrange(9999)}]: {queue}: to=<ops@example.com>, "
        f"relay=mx.example.com[{other}]:25, delay=0.{rng.randrange(99)}, dsn=2.0.0, status=sent "
        f"(250 2.0.0 Ok: queued as {queue})\n",
        f"Received: from relay{rng.randrange(9)}.example.net (relay.example.net [{ip}])\n"
        f"\tby mx.example.com (Postfix) with ESMTPS id {queue}\n"
        f"\tfor <ops@example.com>; Tue, 14 Jan 2025 {stamp[7:]} +0000 (UTC)\n",
        f"X-Originating-IP: [{ip}]\nX-Mailer: Microsoft Outlook 16.0\nMessage-ID: <{queue}@example.net>\n",
        f"Hi team, since Monday the customer's mail to their supplier bounces. Their server is {ip}, "
        f"behind a firewall at {other}; they run Exchange 2019 CU14 (version 15.2.1544.4). Could "
        f"someone check whether the address is on a list? Ticket #{rng.randrange(99999)}.\n\n",
        f"> On Tue, 14 Jan 2025 at {stamp[7:]}, Ops <ops@example.com> wrote:\n"
        f"> We changed the smarthost to {other} last week, see change {queue}.\n",
    ))


def _fill(size: int, pieces: Callable[[], str], lead: str = LEAD, tail: str = "") -> str:
    """``lead``, then pieces until ``size`` characters, then ``tail``: exactly ``size`` long."""
    room = size - len(lead) - len(tail)
    parts, length = [], 0
    while length < room:
        piece = pieces()
        parts.append(piece)
        length += len(piece)
    return lead + "".join(parts)[:max(0, room)] + tail


def normal_bounces(size: int) -> str:
    """Bounce text from the corpus, about one character of noise to three of bounce."""
    rng, bounces = random.Random(1), _bounces()

    def piece() -> str:
        noise = "".join(_noise_block(rng) for _ in range(2))
        return rng.choice(bounces) + "\n" + noise
    return _fill(size, piece)


def normal_log(size: int) -> str:
    """One rejection at the top of a pasted mail log, headers and a support thread."""
    rng = random.Random(2)
    return _fill(size, lambda: _noise_block(rng))


NORMAL: dict[str, Callable[[int], str]] = {"bounces": normal_bounces, "log": normal_log}


def _blocks(*units: str, block: int = 8 * KB) -> Callable[[], str]:
    """Each unit repeated to about ``block`` characters, the units in turn: every pattern family
    gets long runs (thousands of matches in a row) of each of its worst cases."""
    chunks = [unit * max(1, block // len(unit)) for unit in units]
    state = {"next": 0}

    def piece() -> str:
        chunk = chunks[state["next"] % len(chunks)]
        state["next"] += 1
        return chunk
    return piece


def _digits_dots(size: int) -> str:
    """Dotted runs and near-addresses: the IPv4 finder, the redaction finder, the split-address joiner."""
    run = ".".join(str(n % 256) for n in range(600)) + " "
    return _fill(size, _blocks(run, "9" * 400 + "." + "9" * 400 + " ", "999999.999999.9999 ", "1.2.3.4567 ",
                               "1.2.3.x.5 4.16.55.1.2 ", "192.0.2.\n22.33\n.5.6\n"), lead="", tail=LEAD)


def _address_flood(size: int) -> str:
    """Thousands of distinct valid addresses, each in words that blame it: every one is scored."""
    rng = random.Random(3)
    return _fill(size, lambda: f"Client host [{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}."
                               f"{rng.randrange(1, 255)}] blocked using list; ", lead="", tail=LEAD)


def _brackets(size: int) -> str:
    """Openers that never close, and closed Slack links by the thousand."""
    return _fill(size, _blocks("[", "(", "<", "[1.2.3.4 ", "<https://" + "a" * 1990, "<https://x|" + "b" * 490,
                               "<https://a.example|b> ", "[" + "x" * 500, "[192.0.2.1" + " " * 200 + "18", "&lt;",
                               "*a* "), lead="", tail=LEAD)


def _deep_quoting(size: int) -> str:
    """Lines quoted thousands deep (some with the rejection after the marks), spaced "> > >" marks,
    and many short quoted lines."""
    return _fill(size, _blocks(">" * 3000 + f" 550 5.7.1 Client host [{LEAD_IP}] blocked\n",
                               "> " * 1500 + "said: 554 5.7.1\n", " \t>" * 1000 + "x\n", ">\n", "> > >\n"),
                 lead="", tail=LEAD)


def _huge_line(size: int) -> str:
    """One line with no line end, full of bounce fragments and addresses."""
    rng = random.Random(4)

    def piece() -> str:
        return (f"host mx{rng.randrange(99)}.example.org[{_address(rng)}] said: 550 5.7.1 Service unavailable; "
                f"Client host [{_address(rng)}] blocked using zen.spamhaus.org; Received: from x ({_address(rng)}) ")
    return _fill(size, piece, lead="", tail=LEAD.replace("\n", " "))


def _ipv6_colons(size: int) -> str:
    """Colon runs and hex, times and MAC addresses: the IPv6 finder reads from every colon."""
    return _fill(size, _blocks(":" * 500 + " ", "a:b:c:d:e:f:" * 40 + " ", "2001:db8:" + "::" * 100 + " ",
                               "12:34:56 ", "00:11:22:33:44:55 ", "x1::2 ", "fe80::1:"), lead="", tail=LEAD)


def _header_lines(size: int) -> str:
    """Header-like lines that never complete: From/To with no address, thousands of short fields."""
    word = "abcdefghij" * 20
    return _fill(size, _blocks(f"\nFrom: {word}", f"\nTo: {word}", "\nX-a: 1", "\nX-" + "a" * 300,
                               f"\nrcpt to: {word}", "\nFrom: mailer-daemon@example.org"),
                 lead="", tail="\n\n" + LEAD)


LEAD_UNNAMED = "<ops@example.com>: 550 5.7.1 Client host [192.0.2.10] blocked (in reply to RCPT TO command)\n"


def _phrase_bait(size: int) -> str:
    """Words the list and reason phrases look for, SMTP codes glued to words, host names without an
    address; the rejection names no list, so every whole-text scan runs to the end."""
    return _fill(size, _blocks("listed blocked reputation relay banned frequency network open ", "x550 ",
                               "550-5.7.1 ", "host mx.a.b.c.d.e.f.g.h ", "listed in the ", "giving up on 1.2.3 "),
                 lead="", tail="\n" + LEAD_UNNAMED)


def _mix(size: int) -> str:
    """Every adversarial kind in turn, 8 KB of each."""
    chunks = [make(8 * KB)[:-len(LEAD)] for make in (_digits_dots, _address_flood, _brackets, _deep_quoting,
                                                       _ipv6_colons, _header_lines)]
    return _fill(size, _blocks(*chunks), lead="", tail="\n" + LEAD)


# Their text blames thousands of other addresses in the same words: any of them is a fair answer.
BLAMES_OTHERS = ("address_flood", "huge_line", "mix")

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "digits_dots": _digits_dots, "address_flood": _address_flood, "brackets": _brackets,
    "deep_quoting": _deep_quoting, "huge_line": _huge_line, "ipv6_colons": _ipv6_colons,
    "header_lines": _header_lines, "phrase_bait": _phrase_bait, "mix": _mix,
}


# --------------------------------------------------------------------------------------------
# Measuring and reporting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    kind: str
    size_name: str
    size: int
    time: Stats
    found: str  # what the parser answered, for the sanity check


def _answer(text: str) -> str:
    try:
        bounce = parse_bounce(text)
    except Exception as error:  # the point of the check: report, do not stop the benchmark
        return f"CRASH {type(error).__name__}: {error}"
    listed = bounce.blocklist.key if bounce.blocklist else "no list"
    return (f"blocked_ip={bounce.blocked_ip}, {listed}, {len(bounce.candidates)} candidates"
            + (f", problem={bounce.problem}" if bounce.problem else ""))


def _measure(kinds: dict[str, Callable[[int], str]], repeats: dict[int, int]) -> dict[tuple[str, int], Run]:
    """Per size, the kinds take turns, repeat after repeat: drift in the machine (another process,
    the CPU's clock) then touches every kind alike, and the ratios between them stay fair."""
    runs = {}
    for size_name, size in SIZES:
        texts = {kind: make(size) for kind, make in kinds.items()}
        for kind, text in texts.items():
            assert len(text) == size, (kind, size, len(text))
            parse_bounce(text)  # warm-up
        samples: dict[str, list[float]] = {kind: [] for kind in texts}
        for _ in range(repeats[size]):
            for kind, text in texts.items():
                samples[kind].append(time_ms(lambda text=text: parse_bounce(text)))
        for kind, text in texts.items():
            runs[kind, size] = Run(kind, size_name, size, stats(samples[kind]), _answer(text))
    return runs


def _per_10x(ratio: float, size_ratio: float) -> float:
    return ratio ** (1 / math.log10(size_ratio))


def _report_times(runs: dict[tuple[str, int], Run]) -> None:
    for run in runs.values():
        line(f"{run.kind} {run.size_name}: {run.time.fmt()}")


def _report_scaling(runs: dict[tuple[str, int], Run], kinds: list[str]) -> bool:
    ok = True
    for kind in kinds:
        parts = []
        for (_, small), (_, large) in itertools.pairwise(SIZES):
            ratio = runs[kind, large].time.median / runs[kind, small].time.median
            step = _per_10x(ratio, large / small)
            ok = ok and step <= TARGET_PER_10X
            parts.append(f"{large // KB}/{small // KB}: {ratio:.1f}x ({step:.1f}x per 10x)")
        line(f"{kind}: " + "; ".join(parts))
    return ok


def _report_adversarial(runs: dict[tuple[str, int], Run], baseline: str) -> tuple[bool, float]:
    worst = 0.0
    for kind in ADVERSARIAL:
        ratios = [runs[kind, size].time.median / runs[baseline, size].time.median for _, size in SIZES]
        worst = max(worst, *ratios)
        line(f"{kind}: " + ", ".join(f"{name} {ratio:.2f}x" for (name, _), ratio in zip(SIZES, ratios, strict=True)))
    return worst <= TARGET_ADVERSARIAL, worst


def main(argv: list[str]) -> int:
    short = quick(argv)
    repeats = QUICK_REPEATS if short else REPEATS
    title("Parser scaling: parse_bounce on 1 KB, 100 KB and 1 MB pastes" + (" (--quick)" if short else ""))
    line(machine())
    line(f"normal input: {', '.join(CORPUS_FILES)} from {CORPUS}" if _bounces() != [EMBEDDED_BOUNCE]
         else "normal input: the embedded sample bounce (corpus not found)")
    line("repeats per size: " + ", ".join(f"{name} {repeats[size]}" for name, size in SIZES)
         + "; times are median (min–max, n)")
    runs = _measure({**NORMAL, **ADVERSARIAL}, repeats)

    title("Parse time per input and size")
    _report_times(runs)

    title("Scaling (target: ten times the input at most twelve times the time)")
    scaling_ok = _report_scaling(runs, [*NORMAL, *ADVERSARIAL])

    baseline = min(NORMAL, key=lambda kind: runs[kind, SIZES[-1][1]].time.median)
    title(f"Adversarial / normal at the same size (normal = '{baseline}', the faster normal mix at 1 MB)")
    adversarial_ok, worst = _report_adversarial(runs, baseline)

    title("Answers on 1 MB input (sanity: no crash, the appended rejection still found)")
    for kind in (*NORMAL, *ADVERSARIAL):
        line(f"{kind}: {runs[kind, SIZES[-1][1]].found}")

    slowest = max((run for run in runs.values() if run.size == SIZES[-1][1]), key=lambda run: run.time.median)
    crashed = [run.kind for run in runs.values() if run.found.startswith("CRASH")]
    title("Verdict")
    line(verdict("1 MB under 250 ms", slowest.time.median < TARGET_1MB_MS,
                 f"slowest: {slowest.kind} {slowest.time.median:.1f} ms median, {slowest.time.high:.1f} ms max"))
    line(verdict("10x input at most 12x time", scaling_ok, "every kind, every step; the 100x step per 10x"))
    line(verdict("adversarial at most 3x normal", adversarial_ok, f"worst {worst:.2f}x against '{baseline}'"))
    line(verdict("no crash on any input", not crashed, ", ".join(crashed) or "every input parsed"))
    missed = [kind for kind in ADVERSARIAL if kind not in BLAMES_OTHERS
              and f"blocked_ip={LEAD_IP}," not in runs[kind, SIZES[-1][1]].found]
    line(verdict("rejection after adversarial text found", not missed, ", ".join(missed) or
                 f"{LEAD_IP} in every 1 MB input but {', '.join(BLAMES_OTHERS)}, whose text blames other addresses"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
