"""The terminal face of the core: ``check``, ``extract``, ``doctor``, and the no-Slack demo.

Exit codes (documented in README.md):
  0  check: not listed anywhere checked / extract: an IP was found / doctor: all OK
  1  check: listed on at least one list, or blocked by the receiver's own list (Microsoft) /
     doctor: a problem was found
  2  usage error (argparse)
  3  check: could not check every list (the verdict is incomplete)
  4  bad input: no IP found, private or reserved IP, malformed, too large, binary
  5  configuration error (an environment variable has an unusable value)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from urllib.parse import quote, urlsplit

from bot.config import Settings
from bot.diagnosis.diagnose import Diagnoser
from bot.diagnosis.doctor import Check, run_doctor
from bot.diagnosis.model import Diagnosis
from bot.diagnosis.parse import MAX_INPUT_CHARS, extract_ip_literal, parse_bounce
from bot.diagnosis.parse.mail import file_text
from bot.diagnosis.parse.phrases import GENERIC_NAME
from bot.diagnosis.providers.spamhaus import LOOKUP, ZEN
from bot.i18n import t
from bot.render.blocks import full_message, present_for_slack
from bot.render.json_out import bounce_json, diagnosis_json
from bot.render.text import display_width, render_text
from bot.state import open_store
from bot.watching import listing_state

EXIT_OK, EXIT_LISTED, EXIT_UNKNOWN, EXIT_BAD_INPUT, EXIT_CONFIG = 0, 1, 3, 4, 5

SAMPLE_BOUNCE = (
    f"550 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using {ZEN}; "
    f"{LOOKUP.format(ip='203.0.113.5')} (in reply to RCPT TO command)"
)


def watch(settings: Settings, words: list[str], *, lang: str) -> int:
    """``check --watch IP``: look again on WATCH_SCHEDULE until the lists change (or WATCH_DAYS pass),
    with one progress line, then print the new report."""
    ip = extract_ip_literal(" ".join(words)) if len(words) == 1 else None
    if ip is None:
        _bad_input_line(t(lang, "headline.problem.malformed"), t(lang, "cli.watch.one_ip"))
        return EXIT_BAD_INPUT
    diagnoser = _diagnoser(settings)

    async def follow() -> Diagnosis:
        diagnosis = await diagnoser.diagnose(ip, fresh=True)
        first, ends, round_ = listing_state(diagnosis), time.monotonic() + settings.watch_days * 86400, 0
        print(render_text(diagnosis, lang, color=sys.stdout.isatty()))
        while time.monotonic() < ends:
            step = settings.watch_schedule[min(round_, len(settings.watch_schedule) - 1)]
            _progress(t(lang, "cli.watch.waiting", ip=ip, when=time.strftime("%H:%M:%S",
                                                                            time.localtime(time.time() + step))))
            await asyncio.sleep(step)
            diagnosis, round_ = await diagnoser.diagnose(ip, fresh=True), round_ + 1
            if listing_state(diagnosis) not in ("unknown", first):
                break
        _progress("")
        return diagnosis

    try:
        diagnosis = asyncio.run(follow())
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        diagnoser.close()
    print(t(lang, "cli.watch.changed"))
    print(render_text(diagnosis, lang, color=sys.stdout.isatty()))
    return _exit_code(diagnosis)


def _progress(line: str) -> None:
    """One line that rewrites itself on a terminal; plain lines elsewhere."""
    if sys.stdout.isatty():
        print(f"\r\033[K{line}", end="", flush=True)
    elif line:
        print(line, flush=True)


def read_input(words: list[str]) -> str:
    """The words of the command line joined, standard input for ``-``, or the file the one word
    names. Reading stops just past the size limit so an enormous paste is refused unread."""
    if words == ["-"]:
        return _text_of(sys.stdin.buffer.read(MAX_INPUT_CHARS * 4 + 1))
    if len(words) == 1 and _is_file(words[0]):
        return read_file(words[0])
    return " ".join(words)


def read_file(path: str) -> str:
    """A bounce from a file: an e-mail message (``.eml``, or any file that starts with header fields)
    through the ``email`` package, anything else as text."""
    with open(path, "rb") as handle:
        return _text_of(handle.read(MAX_INPUT_CHARS * 4 + 1), name=path)


def _text_of(data: bytes, *, name: str = "") -> str:
    if len(data) > MAX_INPUT_CHARS * 4:  # too large to read: the parser refuses it with a clear answer
        return data.decode("utf-8", errors="replace")
    return file_text(data, name=name)


def _is_file(word: str) -> bool:
    return len(word) < 4096 and "\n" not in word and os.path.isfile(word)


def inputs(words: list[str]) -> list[str]:
    """What to check: each argument when every one is an IP address or a file (``check 192.0.2.1
    198.51.100.7``, ``check a.eml b.eml``), else the words as one bounce (or standard input)."""
    if len(words) > 1 and all(_is_file(word) or extract_ip_literal(word) for word in words):
        return [read_file(word) if _is_file(word) else word for word in words]
    return [read_input(words)]


def _diagnoser(settings: Settings) -> Diagnoser:
    return Diagnoser.create(settings.lookups, settings.own)


def _diagnose(settings: Settings, texts: list[str]) -> list[Diagnosis]:
    """Every blocked address of every input, one diagnosis each, on one event loop."""
    diagnoser = _diagnoser(settings)

    async def run() -> list[Diagnosis]:
        results = await asyncio.gather(*(diagnoser.diagnose_all(diagnoser.parse(text)) for text in texts))
        return [diagnosis for found in results for diagnosis in found]

    try:
        return asyncio.run(run())
    finally:
        diagnoser.close()


def _bad_input_line(view_headline: str, hint: str) -> None:
    print(f"error: {view_headline}. {hint}", file=sys.stderr)


def _exit_code(diagnosis: Diagnosis) -> int:
    if diagnosis.ip_problem:
        return EXIT_BAD_INPUT
    if diagnosis.blocked_by:  # the bounce itself proves the block (Microsoft's own list)
        return EXIT_LISTED
    statuses = {diagnosis.dnsbl.status if diagnosis.dnsbl else None, diagnosis.domain_status} - {None}
    if not statuses:
        statuses = {diagnosis.dnsbl_status}  # nothing was checked: "could not check"
    return next((code for status, code in (("listed", EXIT_LISTED), ("unknown", EXIT_UNKNOWN)) if status in statuses),
                EXIT_OK)


def check(settings: Settings, words: list[str], *, as_json: bool, lang: str, as_blocks: bool = False) -> int:
    diagnoses = _diagnose(settings, inputs(words))
    if as_blocks:
        for diagnosis in diagnoses:
            print(block_kit(diagnosis, lang))
    elif as_json:
        documents = [diagnosis_json(diagnosis, lang) for diagnosis in diagnoses]
        print(json.dumps(documents[0] if len(documents) == 1 else documents, ensure_ascii=False, indent=2))
    for diagnosis in diagnoses:
        if diagnosis.ip_problem:
            hint = t(lang, diagnosis.fix[0].key, **diagnosis.fix[0].params) if diagnosis.fix else ""
            _bad_input_line(t(lang, f"headline.problem.{diagnosis.ip_problem}", ip=diagnosis.ip or ""), hint)
    if not as_json and not as_blocks:
        reports = [render_text(diagnosis, lang, color=sys.stdout.isatty())
                   for diagnosis in diagnoses if not diagnosis.ip_problem]
        if reports:
            print(("\n\n" + "=" * 72 + "\n\n").join(reports))
    codes = [_exit_code(diagnosis) for diagnosis in diagnoses]
    # The most urgent wins: listed or blocked, then could not check, then bad input, then clean.
    return next((code for code in (EXIT_LISTED, EXIT_UNKNOWN) if code in codes),
                EXIT_BAD_INPUT if all(code == EXIT_BAD_INPUT for code in codes) else EXIT_OK)


BLOCK_KIT_BUILDER = "https://app.slack.com/block-kit-builder/#"


def block_kit(diagnosis: Diagnosis, lang: str) -> str:
    """The Slack reply as Block Kit JSON, then a Block Kit Builder link that shows it as Slack would."""
    message = full_message(present_for_slack(diagnosis, lang))
    link = BLOCK_KIT_BUILDER + quote(json.dumps({"blocks": message["blocks"]}, separators=(",", ":")), safe="")
    return f"{json.dumps(message, ensure_ascii=False, indent=2)}\nBlock Kit Builder: {link}"


def extract(words: list[str], *, as_json: bool, lang: str) -> int:
    bounce = parse_bounce(read_input(words))
    if as_json:
        print(json.dumps(bounce_json(bounce), ensure_ascii=False, indent=2))
    elif bounce.blocked_ip:
        print("\n".join(bounce.blocked_ips or (bounce.blocked_ip,)))
        print(t(lang, "extract.candidates"))
        for candidate in bounce.candidates:
            role = t(lang, f"role.{candidate.role}")
            pad = " " * max(0, 16 - display_width(role))
            print(f"  {candidate.ip:<39} {role}{pad} {candidate.score:>4}  {candidate.snippet}")
        if bounce.blocklist:
            zone = f" ({bounce.blocklist.zone})" if bounce.blocklist.zone else ""
            name = t(lang, "list.unnamed") if bounce.blocklist.name == GENERIC_NAME else bounce.blocklist.name
            print(t(lang, "extract.blocklist", name=name + zone))
    if not bounce.blocked_ip:
        reason = bounce.problem or "no_ip"
        _bad_input_line(t(lang, f"headline.problem.{reason}", ip=""), t(lang, f"fix.problem.{reason}"))
        return EXIT_BAD_INPUT
    return EXIT_OK


def slack_checks(settings: Settings) -> list[Check]:
    """Which Slack mode the settings configure, the kind of each token, and what a half-done set-up
    is missing. Tokens are told apart by their prefixes, never shown."""
    checks = []
    bot, app, secret = settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret
    if bot and not bot.startswith("xoxb-"):
        key = {"xoxp-": "doctor.slack_user_token", "xapp-": "doctor.slack_app_token_as_bot"}.get(bot[:5],
                                                                                             "doctor.slack_bot_shape")
        checks.append(Check("slack_bot_token", "fail", key))
    if app and not app.startswith("xapp-"):
        checks.append(Check("slack_app_token", "fail", "doctor.slack_app_shape"))
    if bot and secret:
        checks.append(Check("slack", "ok", "doctor.slack_http"))
    elif bot and app:
        checks.append(Check("slack", "ok", "doctor.slack_socket"))
    elif bot:
        checks.append(Check("slack", "warn", "doctor.slack_half", {"missing": "SLACK_SIGNING_SECRET",
                                                                   "or_missing": "SLACK_APP_TOKEN"}))
    elif secret or app:
        checks.append(Check("slack", "warn", "doctor.slack_no_bot", {"missing": "SLACK_BOT_TOKEN"}))
    else:
        checks.append(Check("slack", "warn", "doctor.slack_none"))
    return checks


async def store_check(settings: Settings) -> Check:
    """Whether the state store the Slack bot would use works (watches, the one-reply window). The
    Redis URL is shown without its password."""
    if settings.redis_url:
        where = urlsplit(settings.redis_url)
        shown = f"redis://{where.hostname}:{where.port or 6379}{where.path}"
    else:
        shown = settings.database_path
    try:
        store = open_store(database_path=settings.database_path, redis_url=settings.redis_url)
    except Exception as error:
        return Check("state_store", "fail", "doctor.store_failed", {"where": shown, "detail": type(error).__name__})
    try:
        healthy = await asyncio.wait_for(store.healthy(), 5.0)
    except Exception:
        healthy = False
    finally:
        await store.close()
    if healthy:
        return Check("state_store", "ok", "doctor.store_ok", {"kind": store.kind, "where": shown})
    return Check("state_store", "fail", "doctor.store_failed", {"where": shown, "detail": "not reachable"})


def doctor(settings: Settings, *, lang: str) -> int:
    diagnoser = _diagnoser(settings)
    try:
        checks = [*asyncio.run(run_doctor(diagnoser)), *slack_checks(settings)]
        if settings.slack_bot_token or settings.redis_url:  # only the Slack bot keeps state
            checks.append(asyncio.run(store_check(settings)))
    finally:
        diagnoser.close()
    for item in checks:
        params = dict(item.params)
        if "error" in params:
            params["reason"] = t(lang, f"error.{params['error']}")
        if params.get("resolver") == "system":
            params["resolver"] = t(lang, "context.system")
            item = Check(item.name, item.status, "doctor.resolver_system", params)
        print(f"{t(lang, f'doctor.tag.{item.status}')} {t(lang, item.key, **params)}")
    return EXIT_LISTED if any(item.status == "fail" for item in checks) else EXIT_OK


def demo(settings: Settings, lang: str) -> int:
    """``python -m bot`` without Slack credentials: show the product working in the terminal."""
    print(t(lang, "cli.no_slack"))
    print()
    print(t(lang, "cli.demo"))
    print(f"  {SAMPLE_BOUNCE}")
    print()
    (diagnosis,) = _diagnose(settings, [SAMPLE_BOUNCE])
    print(render_text(diagnosis, lang, color=sys.stdout.isatty()))
    return EXIT_OK
