"""The command line as a user runs it: ``python -m bot`` in a subprocess, guarded to loopback, with
DNS_NAMESERVERS and RDAP_RELAY pointing at the loopback DNS and recorded-RDAP servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loopback.dnsbl_zones import list_ip, serve_healthy_lists
from loopback.serve_process import GUARD

ROOT = Path(__file__).resolve().parents[1]
assert (GUARD / "sitecustomize.py").is_file(), "the subprocesses would run without the loopback guard"
LISTED = "45.61.150.7"  # the "hostile" ownership fixture: its WHOIS name is full of Slack markup
BOUNCE = (f"host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; Client host [{LISTED}] "
          "blocked using zen.spamhaus.org (in reply to RCPT TO command)")


@pytest.fixture
def run(run_cli):
    return run_cli


def test_check_json_has_the_documented_keys_and_the_listing(run, dns):
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.2", txt="Listed by SBL, see https://check.spamhaus.org/sbl/query/SBL77")
    result = run("check", "--json", BOUNCE)
    assert result.returncode == 1, result.stderr  # 1 = listed
    out = json.loads(result.stdout)
    assert out["ip"] == LISTED and out["dnsbl_status"] == "listed"
    assert {"ip", "candidates", "blocklist", "listings", "dnsbl_status", "owner", "case", "fix"} <= set(out)
    (sbl,) = [item for item in out["listings"] if item["list"] == "SBL"]
    assert {"list", "zone", "code", "reason", "url"} <= set(sbl) and sbl["code"] == "127.0.0.2"
    assert sbl["zone"] == "zen.spamhaus.org" and "SBL77" in sbl["reason"]
    assert out["owner"]["asn"] == "64500" and {"name", "asn", "cidr", "country", "abuse"} <= set(out["owner"])
    assert out["case"] == "undetermined" and out["fix"]
    assert "198.51.100.7" in [c["ip"] for c in out["candidates"]]


def test_check_text_reads_stdin_and_speaks_zh_tw(run, dns):
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.4")
    result = run("check", "--lang", "zh-TW", "-", stdin=BOUNCE)
    assert result.returncode == 1, result.stderr
    assert "已被列入" in result.stdout and "Spamhaus XBL" in result.stdout
    assert "\x1b[" not in result.stdout  # not a TTY: plain text


def test_not_listed_exits_zero_with_a_verified_resolver(run):
    result = run("check", "88.198.20.10")
    assert result.returncode == 0, result.stderr
    assert "[NOT LISTED]" in result.stdout


def test_a_refused_spamhaus_path_is_could_not_check_not_clean(run, dns):
    dns.refuse("zen.spamhaus.org")
    result = run("check", "--json", "88.198.20.10")
    assert result.returncode == 3
    assert json.loads(result.stdout)["dnsbl_status"] == "unknown"


def test_dqs_key_never_appears_in_output_or_logs(run, dns):
    key = "abcdefghijklmnopqrstuvwxyz"
    dns.refuse(f"{key}.zen.dq.spamhaus.net")
    result = run("check", "--json", "88.198.20.10", SPAMHAUS_DQS_KEY=key, LOG_LEVEL="DEBUG")
    assert result.returncode == 3
    assert key not in result.stdout + result.stderr
    assert json.loads(result.stdout)["dqs"] is True


@pytest.mark.parametrize(("text", "problem"), [("hello there", "No blocked IP"), ("300.1.2.3", "not look like a valid"),
                                               ("10.1.2.3", "private address")])
def test_bad_input_is_one_line_on_stderr_and_exit_4(run, text, problem):
    result = run("check", text)
    assert result.returncode == 4
    assert problem in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_extract_makes_no_lookups_and_names_the_list(run, dns):
    result = run("extract", "--json", BOUNCE)
    assert result.returncode == 0
    out = json.loads(result.stdout)
    assert out["ip"] == LISTED and out["blocklist"]["key"] == "spamhaus"
    assert dns.query_count == 0


def test_without_slack_credentials_the_bare_command_demonstrates_in_the_terminal(run):
    result = run()
    assert result.returncode == 0, result.stderr
    assert "Slack is not connected" in result.stdout and "203.0.113.5" in result.stdout


def test_doctor_reports_a_passing_self_test(run):
    result = run("doctor")
    assert result.returncode == 0, result.stdout
    assert "[OK] zen.spamhaus.org: test point 127.0.0.2 is listed" in result.stdout


def test_doctor_fails_when_the_resolver_hides_listings(run, dns):
    dns.table.records.pop(("2.0.0.127.zen.spamhaus.org", "A"), None)
    result = run("doctor")
    assert result.returncode == 1
    assert "[PROBLEM] zen.spamhaus.org: the self-test failed: the list answered with no record" in result.stdout
    assert "no_answer" not in result.stdout  # our codes never reach a person


@pytest.mark.parametrize(("env", "says"), [
    ({"SLACK_BOT_TOKEN": "xoxp-1-user-token"}, "holds a user token (xoxp-)"),
    ({"SLACK_BOT_TOKEN": "xapp-1-app-token"}, "holds an app-level token (xapp-)"),
    ({"SLACK_BOT_TOKEN": "xoxb-1-bot", "SLACK_APP_TOKEN": "xoxb-2-bot"}, "SLACK_APP_TOKEN does not look like"),
    ({"SLACK_BOT_TOKEN": "xoxb-1-bot"}, "but SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)"),
    ({"SLACK_SIGNING_SECRET": "s3cret"}, "SLACK_BOT_TOKEN is missing"),
])
def test_doctor_tells_token_kinds_apart_and_names_what_is_missing(run, env, says):
    result = run("doctor", **env)
    assert says in result.stdout
    assert all(value not in result.stdout for value in env.values())


def test_doctor_and_extract_speak_zh_tw(run):
    assert "［正常］" in run("doctor", "--lang", "zh-TW").stdout
    extracted = run("extract", "--lang", "zh-TW", BOUNCE).stdout
    assert "封鎖清單：Spamhaus (zen.spamhaus.org)" in extracted and "收件伺服器" in extracted


def test_a_terminal_check_prints_the_report_not_log_lines(run, dns):
    dns.refuse("zen.spamhaus.org")  # failures the report explains: no WARNING lines before it
    result = run("check", BOUNCE)
    assert "WARNING" not in result.stderr and "could not check" in result.stdout.lower()
    assert "WARNING" in run("check", BOUNCE, LOG_LEVEL="WARNING").stderr


def test_serve_without_credentials_is_a_configuration_error_not_a_traceback(run):
    result = run("serve")
    assert result.returncode == 5
    assert "SLACK_SIGNING_SECRET" in result.stderr and "Traceback" not in result.stderr


def test_dotenv_is_read_with_export_and_comments_and_the_environment_wins(run, dns, tmp_path):
    (tmp_path / ".env").write_text("export DEFAULT_LANG=zh-TW  # the team in Taipei\nLOG_LEVEL='WARNING'\n")
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.4")
    assert "已被列入" in run("check", "-", stdin=BOUNCE).stdout
    assert "is listed" in run("check", "-", stdin=BOUNCE, DEFAULT_LANG="en").stdout


def test_a_microsoft_block_exits_one_even_when_no_dnsbl_lists_the_ip(run):
    bounce = ("550 5.7.606 Access denied, banned sending IP [192.0.2.61]. To request removal from this list please "
              "visit https://sender.office.com/ and follow the directions.")
    result = run("check", "--json", bounce)
    out = json.loads(result.stdout)
    assert result.returncode == 1, result.stderr  # blocked: the bounce is the evidence
    assert (out["dnsbl_status"], out["blocked_by"]) == ("not_listed", "microsoft")
    assert "blocked by Microsoft" in out["headline"]


def test_check_checks_each_ip_argument(run, dns):
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.2")
    result = run("check", "--json", LISTED, "192.0.2.61")
    out = json.loads(result.stdout)
    assert result.returncode == 1, result.stderr  # the most urgent verdict wins: one is listed
    assert [(item["ip"], item["dnsbl_status"]) for item in out] == [(LISTED, "listed"), ("192.0.2.61", "not_listed")]


def test_check_reads_an_eml_file_and_diagnoses_every_blocked_ip_of_a_bounce(run, dns, tmp_path):
    fixture = ROOT / "tests" / "fixtures" / "bounces" / "c17-postfix-dsn-base64.eml"
    result = run("check", "--json", str(fixture))
    out = json.loads(result.stdout)
    assert (out["ip"], out["blocklist"]["key"], out["sender_domain"]) == ("203.0.113.33", "spamhaus", "example.com")
    two = ROOT / "tests" / "fixtures" / "bounces" / "c08-two-recipients.txt"
    out = json.loads(run("check", "--json", str(two)).stdout)
    assert [item["ip"] for item in out] == ["203.0.113.21", "203.0.113.22"]


def test_check_blocks_prints_the_slack_reply_and_a_block_kit_builder_link(run, dns):
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.2")
    result = run("check", "--blocks", BOUNCE)
    message, _, link = result.stdout.rpartition("Block Kit Builder: ")
    blocks = json.loads(message)["blocks"]
    assert blocks[0]["type"] == "header" and len(blocks) <= 50
    assert link.startswith("https://app.slack.com/block-kit-builder/#") and "%22blocks%22" in link


def test_make_demo_shows_a_listed_result_its_owner_and_the_fix_offline(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "SPAMHAUS_"))}
    environment["PYTHONPATH"] = f"{GUARD}{os.pathsep}{ROOT}"
    result = subprocess.run([sys.executable, "-m", "loopback.demo"], capture_output=True, text=True, cwd=ROOT,
                            env=environment, timeout=60)
    assert result.returncode == 1, result.stderr  # 1: listed
    assert "is listed: Spamhaus CSS, Spamhaus PBL" in result.stdout and "Hetzner Online GmbH" in result.stdout
    assert "How to fix it" in result.stdout


def test_check_watch_follows_an_ip_until_its_listing_clears(dns, rdap, owner_ips, tmp_path):
    serve_healthy_lists(dns)
    list_ip(dns, LISTED, "zen.spamhaus.org", "127.0.0.2")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "SPAMHAUS_"))}
    environment.update(PYTHONPATH=f"{GUARD}{os.pathsep}{ROOT}", DNS_NAMESERVERS=f"127.0.0.1:{dns.port}",
                       RDAP_RELAY=rdap.url, DNS_TIMEOUT="0.5", DIAGNOSIS_TIMEOUT="3", WATCH_SCHEDULE="1s")
    process = subprocess.Popen([sys.executable, "-m", "bot", "check", "--watch", LISTED], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=environment)
    try:
        first = process.stdout.readline()
        assert "is listed" in first
        progress = ""
        while "no change yet" not in progress:  # a round that found no change says so (after the report)
            progress = process.stdout.readline()
            assert progress, "the watch ended before its first round"
        assert "Watching 45.61.150.7: no change yet" in progress
        dns.remove(f"{'.'.join(reversed(LISTED.split('.')))}.zen.spamhaus.org", "A")  # delisted
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, err  # not listed any more
    assert "The listings changed:" in out
    assert "is not listed on any list checked" in out


def test_doctor_says_whether_the_slack_bots_state_store_works_and_never_shows_a_password(run, tmp_path):
    slack = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}
    good = run("doctor", DATABASE_PATH=str(tmp_path / "state.db"), **slack)
    assert "[OK] The state store works: sqlite at" in good.stdout, good.stdout
    bad = run("doctor", REDIS_URL="redis://:hunter2pass@127.0.0.1:9/0", **slack)
    assert "[PROBLEM] The state store at redis://127.0.0.1:9/0 does not work" in bad.stdout, bad.stdout
    assert "hunter2pass" not in bad.stdout + bad.stderr and bad.returncode == 1
    assert "state store" not in run("doctor").stdout  # the terminal alone keeps no state
