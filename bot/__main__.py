"""Entry point: ``python -m bot [serve | socket | check | extract | doctor]``.

Without a command: serve Slack when credentials are configured, otherwise diagnose a sample bounce
in the terminal and explain how to connect Slack.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from dotenv import load_dotenv

from bot import cli
from bot.config import SUPPORTED_LANGS, ConfigError, Settings
from bot.logs import setup_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Diagnose e-mail bounces caused by blocklists.")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the Slack app in HTTP mode on $PORT (/slack/events, /healthz)")
    commands.add_parser("socket", help="run the Slack app in Socket Mode")
    check = commands.add_parser("check", help="full diagnosis of a bounce or an IP")
    shown = check.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print JSON instead of text")
    shown.add_argument("--blocks", action="store_true",
                       help="print the Slack reply's Block Kit JSON and a Block Kit Builder link")
    shown.add_argument("--watch", action="store_true",
                       help="follow one IP on WATCH_SCHEDULE until its listings change, then print the new report")
    check.add_argument("--lang", choices=SUPPORTED_LANGS, help="language of the text (default: DEFAULT_LANG)")
    check.add_argument("text", nargs="+", metavar="TEXT|IP|FILE|-",
                       help="bounce text, one or more IPs or files (.eml or text), or - to read stdin")
    extract = commands.add_parser("extract", help="parse only, no network: the blocked IP and the list named")
    extract.add_argument("--json", action="store_true", help="print JSON instead of text")
    extract.add_argument("--lang", choices=SUPPORTED_LANGS, help="language of the text (default: DEFAULT_LANG)")
    extract.add_argument("text", nargs="+", metavar="TEXT|FILE|-", help="bounce text, a file, or - to read stdin")
    doctor = commands.add_parser("doctor", help="check the resolver path, the DQS key, RDAP and the Slack set-up")
    doctor.add_argument("--lang", choices=SUPPORTED_LANGS, help="language of the text (default: DEFAULT_LANG)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    load_dotenv(".env", override=False)  # ./.env for local runs; real environment variables win
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"error: configuration: {error}", file=sys.stderr)
        return cli.EXIT_CONFIG
    # Serving Slack, the log is the operator's window. In the terminal the report is: only errors go
    # to stderr, unless LOG_LEVEL asks for more.
    serving = args.command in ("serve", "socket") or (args.command is None and settings.slack_bot_token)
    setup_logging(settings.log_level or ("INFO" if serving else "ERROR"), settings.secrets)

    try:
        return _dispatch(args, settings)
    except ConfigError as error:
        print(f"error: configuration: {error}", file=sys.stderr)
        return cli.EXIT_CONFIG


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "check" and args.watch:
        return cli.watch(settings, args.text, lang=args.lang or settings.default_lang)
    if args.command == "check":
        return cli.check(settings, args.text, as_json=args.json, as_blocks=args.blocks,
                         lang=args.lang or settings.default_lang)
    if args.command == "extract":
        return cli.extract(args.text, as_json=args.json, lang=args.lang or settings.default_lang)
    if args.command == "doctor":
        return cli.doctor(settings, lang=args.lang or settings.default_lang)
    if args.command == "serve" or (args.command is None and settings.slack_bot_token and settings.slack_signing_secret):
        from bot.slack.server import serve

        asyncio.run(serve(settings))
        return 0
    if args.command == "socket" or (args.command is None and settings.slack_bot_token and settings.slack_app_token):
        from bot.slack.socket import run_socket

        asyncio.run(run_socket(settings))
        return 0
    return cli.demo(settings, settings.default_lang)


if __name__ == "__main__":
    sys.exit(main())
