"""Pasted text -> Bounce: one behaviour per test, on small synthetic bounces (TEST-NET addresses)."""

from __future__ import annotations

import re._parser as re_parser  # private, but the one way to read a pattern's longest match

import pytest

from bot.diagnosis.parse import MAX_INPUT_CHARS, extract_ip_literal, is_plausible_ip_text, normalise, parse_bounce
from bot.diagnosis.parse import phrases as formats
from bot.diagnosis.parse.occurrences import before_rules

POSTFIX_SPAMHAUS = (
    "<kijitora@example.org>: host mx.example.org[198.51.100.25] said: 554 5.7.1 Service unavailable;\n"
    "    Client host [192.0.2.10] blocked using zen.spamhaus.org;\n"
    "    https://www.spamhaus.org/query/ip/192.0.2.10 (in reply to RCPT TO command)\n"
)


def _ips(bounce):
    return [candidate.ip for candidate in bounce.candidates]


# --- input that cannot be read ------------------------------------------------------------------


def test_input_over_the_limit_is_too_large_without_scanning():
    bounce = parse_bounce("x" * (MAX_INPUT_CHARS + 1))
    assert (bounce.blocked_ip, bounce.problem, bounce.input_chars) == (None, "too_large", MAX_INPUT_CHARS + 1)


def test_limit_leaves_room_for_a_one_megabyte_paste():
    assert MAX_INPUT_CHARS >= 1_200_000


def test_blank_input_is_empty():
    assert parse_bounce(" \n\t ").problem == "empty"


def test_nul_bytes_are_binary():
    assert parse_bounce("PK\x03\x04\x00\x00\x00\x00\x00\x08\x00binary").problem == "binary"


def test_iso_2022_jp_escape_codes_are_not_binary():
    text = "\x1b$B<!$N$\"$F\x1b(B\n" + POSTFIX_SPAMHAUS
    assert parse_bounce(text).blocked_ip == "192.0.2.10"


def test_input_chars_counts_the_original_text():
    assert parse_bounce(POSTFIX_SPAMHAUS).input_chars == len(POSTFIX_SPAMHAUS)


# --- a bare address -----------------------------------------------------------------------------


def test_bare_ip_is_the_blocked_ip_with_rule_bare_ip():
    bounce = parse_bounce("  192.0.2.44\n")
    assert (bounce.blocked_ip, bounce.candidates[0].rule, bounce.blocklist) == ("192.0.2.44", "bare_ip", None)


def test_bare_ip_in_brackets_is_accepted():
    assert parse_bounce("[192.0.2.44]").blocked_ip == "192.0.2.44"


def test_bare_ipv6_is_normalised():
    assert parse_bounce("2001:DB8:0:0::1").blocked_ip == "2001:db8::1"


def test_extract_ip_literal_returns_none_for_text_around_the_ip():
    assert extract_ip_literal("see 192.0.2.1") is None


def test_extract_ip_literal_accepts_full_width_digits():
    assert extract_ip_literal("１９２．０．２．１") == "192.0.2.1"


def test_plausible_ip_text_includes_invalid_addresses():
    assert is_plausible_ip_text("300.1.2.3") and not is_plausible_ip_text("hello 1.2.3.4")


def test_lone_ip_in_a_short_question_is_taken():
    assert parse_bounce("is 192.0.2.45 on a list?").blocked_ip == "192.0.2.45"


# --- where the blocked IP sits -------------------------------------------------------------------


def test_client_host_in_brackets_is_blocked():
    bounce = parse_bounce("554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org")
    assert (bounce.blocked_ip, bounce.candidates[0].rule, bounce.candidates[0].role) == (
        "192.0.2.10", "client_host", "blocked")


def test_postscreen_client_is_blocked():
    assert parse_bounce("550 5.7.1 Service unavailable; client [192.0.2.11] blocked using zen.spamhaus.org"
                        ).blocked_ip == "192.0.2.11"


def test_microsoft_banned_sending_ip_is_blocked():
    bounce = parse_bounce("550 5.7.606 Access denied, banned sending IP [192.0.2.12]. To request removal from this "
                          "list please visit https://sender.office.com/")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.code) == ("192.0.2.12", "microsoft", "5.7.606")


def test_qq_blocked_ip_is_blocked():
    text = "550 Ip frequency limited [V2VkIEFwciAgMyAxNjozNjo1OSBKU1QgMjAxOQo=/RkNGMjlF Blocked\n  IP 192.0.2.22]."
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.22", "tencent")


def test_t_online_ip_equals_is_blocked():
    bounce = parse_bounce("554 IP=192.0.2.254 - A problem occurred. (Ask your postmaster for help.) (BL)")
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.254", "t-online")


def test_access_from_ip_address_is_blocked():
    bounce = parse_bounce("550 Access from ip address 203.0.113.24 blocked. Visit http://example.net/support")
    assert bounce.blocked_ip == "203.0.113.24" and bounce.blocklist is not None


def test_sent_through_is_blocked():
    bounce = parse_bounce("550 5.7.1 Your message (sent through 203.0.113.44) was blocked by ROTA DNSBL.")
    assert (bounce.blocked_ip, bounce.blocklist.name) == ("203.0.113.44", "ROTA DNSBL")


def test_outlook_messages_from_ip_are_blocked_with_the_s_code():
    bounce = parse_bounce("550 5.7.1 Unfortunately, messages from [192.0.2.61] weren't sent. Please contact your "
                          "Internet service provider since part of their network is on our block list (S3150).")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.code) == ("192.0.2.61", "microsoft", "S3150")


def test_yahoo_messages_from_ip_are_blocked_with_the_tss_code():
    bounce = parse_bounce("421 4.7.0 [TSS04] Messages from 192.0.2.60 temporarily deferred due to user complaints - "
                          "4.16.55.1; see https://postmaster.yahooinc.com/error-codes")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.code) == ("192.0.2.60", "yahoo", "TSS04")


def test_ip_followed_by_listed_at_zone_is_blocked():
    bounce = parse_bounce("550 5.7.1 Rejected: 192.0.2.98 listed at bl.spamcop.net")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.zone) == ("192.0.2.98", "spamcop",
                                                                                "bl.spamcop.net")


def test_exim_in_a_black_list_at_zone_is_blocked():
    assert parse_bounce("rejected because 192.0.2.99 is in a black list at zen.spamhaus.org").blocked_ip == "192.0.2.99"


def test_gmail_bracket_with_score_yields_the_ip():
    text = ("550-5.7.1 [192.0.2.22      18] Our system has detected that this message is likely suspicious due "
            "to the very low reputation of the sending IP address.")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.22", "gmail")


def test_ip_with_score_inside_brackets_yields_the_ip():
    assert parse_bounce("550 5.7.1 Client host [192.0.2.66 12] blocked using zen.spamhaus.org").blocked_ip == (
        "192.0.2.66")


def test_ip_with_port_yields_the_ip():
    assert parse_bounce("554 Client host [192.0.2.48]:25 blocked using zen.spamhaus.org").blocked_ip == "192.0.2.48"


def test_ipv6_client_host_is_blocked():
    assert parse_bounce("550 5.7.1 Client host [IPv6:2001:db8::25] blocked using zen.spamhaus.org").blocked_ip == (
        "2001:db8::25")


def test_private_ip_named_in_a_removal_link_is_an_answer():
    text = "550 Client host blocked for spamming issues. OFR006_102 Ref http://csi.cloudmark.com/reset-request/?ip=10.0.0.1"
    assert parse_bounce(text).blocked_ip == "10.0.0.1"


# --- an IP that only appears in a link ----------------------------------------------------------


def test_ip_only_in_query_string_is_found():
    bounce = parse_bounce("<<< 553 http://www.spamhaus.org/query/bl?ip=192.0.2.222")
    assert (bounce.blocked_ip, bounce.candidates[0].rule, bounce.blocklist.key) == ("192.0.2.222", "url_query_ip",
                                                                                    "spamhaus")


def test_ip_only_in_url_path_is_found():
    assert parse_bounce("554 see https://check.spamhaus.org/query/ip/192.0.2.30 for details").blocked_ip == (
        "192.0.2.30")


def test_ip_only_in_lookup_cgi_is_found():
    bounce = parse_bounce("554 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.225")
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.225", "proofpoint")


def test_ip_only_in_spamcop_link_is_found():
    assert parse_bounce("554 5.7.1 Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.46").blocked_ip == (
        "192.0.2.46")


# --- addresses that are never the answer -------------------------------------------------------


def test_rejecting_mx_in_host_said_is_not_chosen():
    bounce = parse_bounce(POSTFIX_SPAMHAUS)
    mx = next(c for c in bounce.candidates if c.ip == "198.51.100.25")
    assert (bounce.blocked_ip, mx.role) == ("192.0.2.10", "mx")


def test_qmail_giving_up_on_mx_is_not_chosen():
    text = ("<neko@example.co.jp>:\n203.0.113.225 does not like recipient.\nRemote host said: 550 5.7.606 Access "
            "denied, banned sending IP [192.0.2.225].\nGiving up on 203.0.113.225.\n")
    assert parse_bounce(text).blocked_ip == "192.0.2.225"


def test_qmail_connected_to_mx_is_not_chosen():
    text = ("Connected to 98.136.96.74 but sender was rejected.\nRemote host said: 421 4.7.0 [TSS04] Messages from "
            "192.0.2.25 temporarily deferred")
    assert parse_bounce(text).blocked_ip == "192.0.2.25"


def test_received_header_hop_is_not_chosen():
    text = ("Received: from relay.example.net (relay.example.net [203.0.113.80])\n\tby mx.example.org\n\n"
            "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org\n")
    bounce = parse_bounce(text)
    hop = next(c for c in bounce.candidates if c.ip == "203.0.113.80")
    assert (bounce.blocked_ip, hop.role) == ("192.0.2.10", "relay")


def test_ip_only_in_received_headers_of_a_user_unknown_is_not_chosen():
    text = ("Received: from mail.example.com (mail.example.com [192.0.2.200])\n by mx.example.net\n\n"
            "550 5.1.1 <x@example.net>: Recipient address rejected: User unknown")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist, bounce.rejection_kind) == (None, None, "user_unknown")


def test_ip_in_the_returned_message_is_not_chosen():
    text = ("550 5.7.1 IP address blacklisted by recipient\n\n------ This is a copy of the message, including all "
            "the headers. ------\nX-Originating-IP: 192.0.2.77\nhello from 192.0.2.78\n")
    bounce = parse_bounce(text)
    assert bounce.blocked_ip is None and bounce.blocklist is not None


def test_sendmail_received_from_client_is_not_chosen():
    text = ("The original message was received at Fri, 2 Oct 2015 04:39:57 +0900\nfrom c2254.example.ne.jp "
            "[192.0.2.222]\n\n(reason: 550 5.7.1 IP address blacklisted by recipient)\n")
    assert parse_bounce(text).blocked_ip is None


def test_open_resolver_address_is_never_chosen():
    text = ("554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org; Error: open "
            "resolver; https://www.spamhaus.org/returnc/pub/203.0.113.53")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.receiver_misconfigured, bounce.resolver_ip) == (
        "198.51.100.7", True, "203.0.113.53")


def test_open_resolver_error_without_client_ip_has_no_blocked_ip():
    bounce = parse_bounce("554 5.7.1 blocked using zen.spamhaus.org; Error: open resolver; "
                          "https://www.spamhaus.org/returnc/pub/203.0.113.53")
    assert (bounce.blocked_ip, bounce.resolver_ip, bounce.receiver_misconfigured) == (None, "203.0.113.53", True)


def test_version_strings_are_not_addresses():
    text = "User-Agent: Mozilla/5.0 (Windows; rv:1.8.1.4) Gecko/20070604 Thunderbird/2.0.0.4\n"
    assert _ips(parse_bounce(text)) == []


def test_exchange_build_id_is_not_an_address():
    assert _ips(parse_bounce("with Microsoft SMTP Server id 8.2.234.1; Thu, 22 Feb 2011")) == []


def test_yahoo_status_suffix_is_not_an_address():
    bounce = parse_bounce("421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred - 4.16.55.1; see")
    assert "4.16.55.1" not in _ips(bounce)


def test_dnsbl_return_codes_are_not_candidates():
    bounce = parse_bounce("554 Client host [192.0.2.63] blocked using zen.spamhaus.org (127.0.0.4 127.0.0.11)")
    assert _ips(bounce) == ["192.0.2.63"]


def test_enhanced_status_codes_are_not_addresses():
    assert _ips(parse_bounce("550 5.7.1 Message rejected; 4.7.0 later")) == []


def test_loopback_is_never_the_answer():
    assert parse_bounce("554 Client host [127.0.0.1] blocked using zen.spamhaus.org").blocked_ip is None


# --- pasted text is mangled -------------------------------------------------------------------------


def test_html_entities_and_quoting_are_read():
    text = ("&gt; 550 5.7.1 Client host [192.0.2.5] blocked using b.barracudacentral.org; "
            "http://www.barracudanetworks.com/reputation/?pr=1&amp;ip=192.0.2.5")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.5", "barracuda")


def test_only_whole_entities_are_decoded():
    assert normalise("a&#64;b &lt;x&gt; ?ip=1&times=2&amp;q") == "a@b <x> ?ip=1&times=2&q"


def test_deep_quoting_is_stripped():
    assert parse_bounce("> > > >> 554 Client host [192.0.2.9] blocked using zen.spamhaus.org").blocked_ip == (
        "192.0.2.9")


def test_quote_marks_go_with_one_blank_after_the_last_mark():
    assert normalise("> > a\n>>b\n>\tc\n>  d\n \t> > >") == "a\nb\nc\n d\n"


def test_rejection_quoted_thousands_deep_is_read():
    text = ">" * 5000 + " 554 5.7.1 Client host [192.0.2.9] blocked using zen.spamhaus.org\n" + ">\n" * 50_000
    assert parse_bounce(text).blocked_ip == "192.0.2.9"


def test_markdown_code_and_bold_are_stripped():
    text = "```\n550 5.7.1 *Client host* [192.0.2.47] blocked using `zen.spamhaus.org`\n```"
    assert parse_bounce(text).blocked_ip == "192.0.2.47"


def test_ip_wrapped_across_lines_is_joined():
    assert parse_bounce("550 5.7.1 Client host [192.0.2.\n    6] blocked using dnsbl-1.uceprotect.net").blocked_ip == (
        "192.0.2.6")


def test_ip_wrapped_inside_an_octet_within_brackets_is_joined():
    assert parse_bounce("550 5.7.1 Client host [192.0.2.2\n2] blocked using bl.spamcop.net").blocked_ip == (
        "192.0.2.22")


def test_phrase_wrapped_across_lines_is_read():
    assert parse_bounce("554 5.7.1 Client host [192.0.2.8]\n    blocked\n    using\n    bl.spamcop.net"
                        ).blocklist.key == "spamcop"


def test_terminal_hard_wrap_inside_a_word_is_joined():
    line = "554 5.7.1 Service unavailable; Client host [192.0.2.71] blocked using zen.spamhaus.org; see the " * 3
    wrapped = "\n".join(line[i:i + 64] for i in range(0, len(line), 64))
    bounce = parse_bounce(wrapped)
    assert (bounce.blocked_ip, bounce.blocklist.zone) == ("192.0.2.71", "zen.spamhaus.org")


def test_quoted_printable_soft_break_inside_a_word_is_joined():
    text = "Client host [192.0.2.49] bloc=\nked using cbl.abuseat.org (state 13).=20\nmore"
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.49", "cbl")


def test_quoted_printable_equals_sign_is_decoded():
    assert parse_bounce("554 Blocked, see http://example.net/lookup?ip=3D192.0.2.91").blocked_ip == "192.0.2.91"


@pytest.mark.parametrize("line_end", ["\r\n", "\r", "\n"])
def test_any_line_ending_is_read(line_end):
    assert parse_bounce(POSTFIX_SPAMHAUS.replace("\n", line_end)).blocked_ip == "192.0.2.10"


def test_full_width_address_and_brackets_are_read():
    assert parse_bounce("550 5.7.1 Client host ［１９２．０．２．７］ blocked using psbl.surriel.com").blocked_ip == (
        "192.0.2.7")


def test_chinese_surrounding_text_is_ignored():
    bounce = parse_bounce("客戶回報退信：550 5.7.1 Client host [192.0.2.8] blocked using bl.mailspike.net，請幫忙看")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.smtp_code) == ("192.0.2.8", "mailspike", "550")


# --- which list --------------------------------------------------------------------------------------


def test_spamhaus_zone_names_the_list():
    bounce = parse_bounce("554 Client host [192.0.2.10] blocked using sbl.spamhaus.org")
    assert (bounce.blocklist.zone, bounce.blocklist.list_name) == ("sbl.spamhaus.org", "SBL")


def test_spamhaus_return_code_names_the_list():
    bounce = parse_bounce("554 Client host [192.0.2.63] blocked using zen.spamhaus.org; 127.0.0.11")
    assert bounce.blocklist.list_name == "PBL"


def test_spamhaus_sbl_ticket_names_the_list():
    bounce = parse_bounce("554 Client host [192.0.2.48] blocked using zen.spamhaus.org; "
                          "https://www.spamhaus.org/sbl/query/SBL123456")
    assert bounce.blocklist.list_name == "SBL"


def test_spamhaus_dqs_key_is_dropped_from_the_zone():
    bounce = parse_bounce("554 Client host [192.0.2.67] blocked using abcdefghijklmnopqrstuvwxyz.zen.dq.spamhaus.net")
    assert bounce.blocklist.zone == "zen.dq.spamhaus.net"


def test_exchange_online_relay_of_spamhaus_keeps_spamhaus_and_the_as_code():
    bounce = parse_bounce("550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked using Spamhaus. To request "
                          "removal from this list see https://www.spamhaus.org/query/ip/203.0.113.9 AS(1450)")
    assert (bounce.blocklist.key, bounce.blocklist.code) == ("spamhaus", "AS(1450)")


def test_microsoft_customer_block_list_captures_the_code():
    bounce = parse_bounce("550 5.7.513 Service unavailable, Client host [192.0.2.10] blocked by contoso.com using "
                          "Customer Block list (AS16012607)")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.code) == ("192.0.2.10", "microsoft", "5.7.513")


def test_hotmail_sc_code_is_microsoft():
    bounce = parse_bounce("550 SC-004 (COL0-MC1-F1) Unfortunately, messages from 111.86.156.22 weren't sent.")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.code) == ("111.86.156.22", "microsoft",
                                                                                "SC-004")


def test_sorbs_is_named_with_its_zone():
    bounce = parse_bounce("521-5.7.1 Service unavailable; client [203.0.113.225] blocked using dnsbl.sorbs.net")
    assert (bounce.blocklist.key, bounce.blocklist.zone) == ("sorbs", "dnsbl.sorbs.net")


def test_unknown_zone_is_other_with_the_zone_as_name():
    bounce = parse_bounce("554 5.7.1 <a.example.com[203.0.113.22]>: Client host rejected: blocked using "
                          "rbl.example.org; Please see http://rbl.example.org/?ip=203.0.113.22")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.name) == ("203.0.113.22", "other",
                                                                                "rbl.example.org")


def test_ip_blocked_by_an_unnamed_list_implies_a_blocklist():
    bounce = parse_bounce("550-192.0.2.222 blocked by ldap:ou=nekochan,dc=example,dc=net\n550 Error - Blocked")
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.222", "other")


def test_open_relay_listing_is_a_blocklist():
    bounce = parse_bounce("<<< 501 <a@example.jp>... no access from mail server [192.0.2.55] which is an open relay.")
    assert (bounce.blocked_ip, bounce.blocklist.key) == ("192.0.2.55", "orbs")


def test_mention_snippet_is_one_short_line():
    snippet = parse_bounce(POSTFIX_SPAMHAUS).blocklist.snippet
    assert "\n" not in snippet and len(snippet) <= 160 and "spamhaus" in snippet.lower()


def test_candidate_snippet_shows_where_the_ip_was_found():
    candidate = parse_bounce(POSTFIX_SPAMHAUS).candidates[0]
    assert "Client host [192.0.2.10]" in candidate.snippet and len(candidate.snippet) <= 160


# --- a domain is blamed, not an IP ----------------------------------------------------------------


def test_spamhaus_dbl_mailfrom_domain_has_no_blocked_ip():
    text = ("Received: from x.example.net (x.example.net [203.0.113.5])\n\n<a@example.com>: host mx.example.com"
            "[198.51.100.9] said: 550-5.1.0 MXIN506 MailFrom domain is listed in Spamhaus.")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.blocklist.list_name) == (None, "spamhaus", "DBL")


def test_rhsbl_sender_address_rejection_has_no_blocked_ip():
    bounce = parse_bounce("554 5.7.1 <a@example.com>: Sender address rejected: blocked using dbl.spamhaus.org")
    assert (bounce.blocked_ip, bounce.blocklist.list_name) == (None, "DBL")


def test_uribl_link_listing_has_no_blocked_ip():
    text = ("550-REJECTED - Blacklisted URL in message. (example.com) in [black].\n550-See http://lookup.uribl.com.\n"
            "550-H=mail.example.com [192.0.2.11] HELO=[mail.example.com]")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key) == (None, "uribl")


def test_cox_domain_rbl_has_no_blocked_ip():
    text = ("<r@cox.net>: host cxr.mx.a.cloudfilter.net[34.212.80.54] said: 550 5.1.0 <b@example.com> sender "
            "rejected. AUP#CDRBL")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist.key) == (None, "cox")


# --- not a blocklist ---------------------------------------------------------------------------------


def test_missing_ptr_is_not_a_blocklist():
    text = "550-5.7.25 [192.0.2.202] The IP address sending this message does not have a PTR record setup"
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist, bounce.rejection_kind) == (None, None, "ptr")


def test_missing_reverse_dns_naming_an_ip_is_not_a_blocklist():
    bounce = parse_bounce("554 5.7.1 [C14] Missing reverse DNS for 203.0.113.2")
    assert (bounce.blocked_ip, bounce.blocklist, bounce.rejection_kind) == (None, None, "ptr")


def test_spf_fail_with_blocked_wording_is_not_a_blocklist():
    text = ("550-5.7.26 The MAIL FROM domain [email.example.jp] has an SPF record with a hard fail policy but it "
            "fails to pass SPF checks with the ip: [203.0.113.22]. To best protect our users from spam and "
            "phishing, the message has been blocked.")
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.blocklist, bounce.rejection_kind) == (None, None, "spf")


def test_mismatches_client_ip_is_spf():
    bounce = parse_bounce("550 domain [example.com] mismatches client ip 192.0.2.225.")
    assert (bounce.blocked_ip, bounce.blocklist, bounce.rejection_kind) == (None, None, "spf")


def test_dmarc_access_denied_is_not_microsofts_list():
    bounce = parse_bounce("550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification")
    assert (bounce.blocklist, bounce.rejection_kind) == (None, "dmarc")


def test_may_not_be_mail_exchanger_is_not_a_blocklist():
    bounce = parse_bounce("450 4.7.1 <c135.example.ne.jp[192.0.2.56]>: Client host rejected: may not be mail exchanger")
    assert (bounce.blocked_ip, bounce.blocklist, bounce.rejection_kind) == (None, None, "not_mx")


def test_mailbox_full_is_its_kind():
    assert parse_bounce("550 5.2.2 <k@example.jp>... Mailbox Full").rejection_kind == "mailbox_full"


def test_message_too_big_is_its_kind():
    assert parse_bounce("552 5.3.4 Message size exceeds fixed maximum message size").rejection_kind == (
        "message_too_big")


def test_expired_is_its_kind():
    assert parse_bounce("Warning: message still undelivered after 4 hours").rejection_kind == "expired"


def test_domino_not_listed_is_a_user_unknown_not_a_blocklist():
    bounce = parse_bounce("User some.name (k@example.jp) not listed in Domino Directory")
    assert (bounce.blocklist, bounce.rejection_kind) == (None, "user_unknown")


def test_lotus_name_and_address_book_is_not_a_blocklist():
    bounce = parse_bounce("User x (x@example.com) not listed in public Name & Address Book")
    assert (bounce.blocklist, bounce.rejection_kind) == (None, "user_unknown")


def test_generic_they_may_be_blacklisted_is_not_a_blocklist():
    bounce = parse_bounce("The account or domain may not exist, they may be blacklisted, or missing the proper dns "
                          "entries.")
    assert (bounce.blocklist, bounce.rejection_kind) == (None, "host_unknown")


def test_blacklisted_address_is_not_an_ip_blocklist():
    bounce = parse_bounce('"Sorry, you are sending to/from an address that has been blacklisted"')
    assert (bounce.blocklist, bounce.rejection_kind) == (None, "address_blacklisted")


def test_ip_address_blacklisted_without_an_ip_is_a_blocklist_without_ip():
    bounce = parse_bounce("<<< 550 5.7.1 IP address blacklisted by recipient")
    assert (bounce.blocked_ip, bounce.blocklist.key, bounce.problem) == (None, "other", None)


# --- redacted addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize("redacted", ["x.x.x.x", "[****]", "1.2.3.xxx"])
def test_redacted_address_in_a_blocklist_rejection_is_reported(redacted):
    bounce = parse_bounce(f"554 5.7.1 Service unavailable; Client host {redacted} blocked using zen.spamhaus.org")
    assert (bounce.blocked_ip, bounce.problem, bounce.blocklist.key) == (None, "redacted_ip", "spamhaus")


def test_redacted_address_outside_a_blocklist_rejection_is_no_problem():
    assert parse_bounce("550 5.1.1 user unknown, from x.x.x.x").problem is None


# --- codes, hosts and domains -----------------------------------------------------------------------


def test_codes_and_host_come_from_the_blocklist_rejection_line():
    text = ("550 5.1.1 <other@example.org>... User unknown\n" + POSTFIX_SPAMHAUS)
    bounce = parse_bounce(text)
    assert (bounce.smtp_code, bounce.enhanced_code, bounce.rejecting_host) == ("554", "5.7.1", "mx.example.org")


def test_codes_of_the_first_rejection_without_a_blocklist():
    bounce = parse_bounce("host mx.example.jp [192.0.2.153]: 550 5.1.1 <k@example.jp>... User Unknown")
    assert (bounce.smtp_code, bounce.enhanced_code, bounce.rejecting_host) == ("550", "5.1.1", "mx.example.jp")


def test_remote_mta_names_the_rejecting_host():
    text = "Remote-MTA: dns; mx.example.net\nDiagnostic-Code: smtp; 554 5.7.1 Client host [192.0.2.3] blocked using x.y"
    assert parse_bounce(text).rejecting_host == "mx.example.net"


def test_domains_come_from_dsn_fields_and_headers():
    text = ("From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>\nTo: alice@sender.example\n\n"
            + POSTFIX_SPAMHAUS + "\nFinal-Recipient: rfc822; bob@receiver.example\n")
    bounce = parse_bounce(text)
    assert (bounce.sender_domain, bounce.recipient_domain) == ("sender.example", "receiver.example")


def test_postfix_recipient_line_gives_the_recipient_domain():
    assert parse_bounce(POSTFIX_SPAMHAUS).recipient_domain == "example.org"


# --- ranking ------------------------------------------------------------------------------------------


def test_chosen_candidate_comes_first_and_others_follow_by_score():
    bounce = parse_bounce(POSTFIX_SPAMHAUS)
    scores = [c.score for c in bounce.candidates]
    assert bounce.candidates[0].ip == bounce.blocked_ip and scores == sorted(scores, reverse=True)


def test_each_address_is_listed_once():
    bounce = parse_bounce(POSTFIX_SPAMHAUS)
    assert len(_ips(bounce)) == len(set(_ips(bounce)))


# --- time grows linearly -------------------------------------------------------------------------------


ADVERSARIAL_JUNK = ["1.2.3.4.5.6.7.8.9.0.", "[[[[<<<<]]]]((((", ">" * 40 + " x\n", "9", "a:b:c:d:", ">\n",
                    "1.2.3.4567 ", "12:34:56 ", "x1::2 ", "x550 ", "X-a: 1\n", "From: " + "a" * 200 + "\n",
                    "<https://a.example|b> ", "listed blocked reputation "]


# The timeouts below guard against a hang (catastrophic backtracking), not speed: bench/parser.py
# measures how fast these inputs parse.
@pytest.mark.timeout(10)
@pytest.mark.parametrize("junk", ADVERSARIAL_JUNK)
def test_bounce_after_adversarial_padding_is_found(junk):
    text = (junk * (300_000 // len(junk) + 1))[:300_000] + POSTFIX_SPAMHAUS
    assert parse_bounce(text).blocked_ip == "192.0.2.10"


@pytest.mark.timeout(10)
def test_address_at_the_end_of_one_huge_line_is_found():
    fragment = "host mx.example.org[198.51.100.7] said: 250 ok; relay 203.0.113.9 queued; "
    line = fragment * (1_000_000 // len(fragment)) + POSTFIX_SPAMHAUS.replace("\n", " ")
    assert parse_bounce(line).blocked_ip == "192.0.2.10"


def test_rejection_after_a_log_naming_many_addresses_is_found():
    log = "".join(f"postfix/smtpd[7]: connect from unknown[10.0.{n // 250}.{n % 250 + 1}]\n" for n in range(2_000))
    assert parse_bounce(log + POSTFIX_SPAMHAUS).blocked_ip == "192.0.2.10"


def test_times_and_mac_addresses_do_not_hide_an_ipv6_address():
    rejection = "550 5.7.1 Client host [IPv6:2001:db8::25] blocked using zen.spamhaus.org"
    text = "12:34:56 00:11:22:33:44:55 " * 20_000 + rejection
    assert parse_bounce(text).blocked_ip == "2001:db8::25"


def test_sender_domain_is_read_after_a_display_name_holding_an_address():
    text = POSTFIX_SPAMHAUS + "\n--\nContent-Type: message/rfc822\n\nFrom: \"a@example.net\" <ops@example.com>\n"
    assert parse_bounce(text).sender_domain == "example.com"


def test_address_sent_through_is_blamed():
    text = "Hello, our newsletter bounced again.\n" * 10 + "550 5.7.1 The message was blocked (sent through 192.0.2.1)"
    assert parse_bounce(text).candidates[0].rule == "sent_through"


def test_smtp_code_glued_to_a_word_is_not_a_code():
    bounce = parse_bounce("id=x550 5.7.1\n421 4.7.0 Client host [192.0.2.3] blocked using zen.spamhaus.org")
    assert bounce.smtp_code == "421"


# Every context rule is looked for only when one of its needles is in its reach: an example of
# each phrase (from the comments in formats.BEFORE_IP) must still be found.
BEFORE_IP_EXAMPLES = {
    "client_host": "554 5.7.1 client host", "client": "postscreen client", "client_ip": "mismatches client ip:",
    "banned_sending_ip": "access denied, banned sending ip", "blocked_ip": "blacklisted ip address:",
    "access_from": "no access from the mail server", "sent_through": "(sent through", "messages_from":
    "emails from ip", "your_ip": "your mail server ip address is", "ip_equals": "554 ip=", "ip_word": "sending ip:",
    "status_code_bracket": "550-5.7.1", "smtp_code_prefix": "550-", "the_mail_server": "the mail server",
    "url_query_ip": "lookup.cgi?ip=", "url_path_ip": "check.spamhaus.org/query/ip/", "url_spamcop":
    "spamcop.net/bl.shtml?", "open_resolver_link": "spamhaus.org/returnc/pub/", "mx_host": "host mx.example.org",
    "mx_phrase": "other mxes tried:", "mx_by_host": "by mx.example.jp.", "received_at_from":
    "the original message was received at mon, 1 jan 2024 10:00:00 +0000 from host",
    "not_accepted_from": "[tss07] connections will not be accepted from",
    "remote_server_at": "remote server at mx.example.org",
}


@pytest.mark.parametrize("rule", formats.BEFORE_IP, ids=lambda rule: rule.name)
def test_each_context_rule_finds_its_example(rule):
    window = "some text before " + BEFORE_IP_EXAMPLES[rule.name]
    assert rule in list(before_rules(window))


@pytest.mark.parametrize("rule", formats.BEFORE_IP, ids=lambda rule: rule.name)
def test_each_context_rule_reach_covers_its_longest_match(rule):
    longest = re_parser.parse(rule.pattern.pattern).getwidth()[1]
    assert rule.reach >= min(longest, 60)  # unbounded patterns read the default 60 characters


def test_not_an_address_reach_covers_its_longest_match():
    longest = re_parser.parse(formats.NOT_AN_ADDRESS_BEFORE.pattern).getwidth()[1]
    assert longest <= formats.NOT_AN_ADDRESS_REACH



def test_sbl_xbl_zone_names_both_lists():
    bounce = parse_bounce("554 5.7.1 Client host [192.0.2.9] blocked using sbl-xbl.spamhaus.org")
    assert (bounce.blocklist.zone, bounce.blocklist.list_name) == ("sbl-xbl.spamhaus.org", "SBL+XBL")


@pytest.mark.parametrize(("text", "domains"), [
    ("550 5.7.1 Service unavailable; Sender address [alice@spam-example.net] blocked using dbl.spamhaus.org; "
     "https://www.spamhaus.org/query/domain/spam-example.net", ("spam-example.net",)),
    ("554 5.7.1 <bob@example.org>: Recipient address rejected: Message contains a URI listed in multi.surbl.org "
     "(http://bad-example.com/x)", ("bad-example.com",)),
    ("550 5.7.1 MailFrom domain listed in Spamhaus\nFrom: Alice <alice@sender-example.com>", ("sender-example.com",)),
    ("550 5.7.1 Message rejected because the domain evil-shop.example is blacklisted at uribl.com",
     ("evil-shop.example",)),
])
def test_a_domain_listing_names_the_blamed_domains_never_the_lists_own_sites(text, domains):
    bounce = parse_bounce(text)
    assert (bounce.blocked_ip, bounce.listed_domains) == (None, domains)


def test_an_ip_listing_blames_no_domain():
    assert parse_bounce(POSTFIX_SPAMHAUS).listed_domains == ()
