"""Where a listing is fixed, per service: removal and lookup pages, and who the big relays are.

Data only. Sources: Spamhaus (docs.spamhaus.com, check.spamhaus.org), Microsoft 365 admin help
("Email non-delivery reports and SMTP errors", "Use the delist portal"), each provider's own
removal page. See ../shared/reference/dnsbl.md. ``{ip}`` is filled with the blocked address.
"""

from __future__ import annotations

SPAMHAUS_LOOKUP = "https://check.spamhaus.org/query/ip/{ip}"
SPAMHAUS_DOMAIN_LOOKUP = "https://check.spamhaus.org/query/domain/{domain}"
SPAMHAUS_DQS = "https://www.spamhaus.com/free-trials/data-query-service/"
SPAMHAUS_PBL_REMOVAL = "https://check.spamhaus.org/query/ip/{ip}"
SPAMHAUS_SBL_RECORD = "https://check.spamhaus.org/sbl/query/{ticket}"

MICROSOFT_DELIST_PORTAL = "https://sender.office.com"
MICROSOFT_DELIST_MAIL = "delist@microsoft.com"
OUTLOOK_SENDER_SUPPORT = "https://olcsupport.office.com/"
MICROSOFT_NDR_HELP = "https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"
MICROSOFT_ASNS = ("8075", "8068", "8069", "3598", "12076")  # Microsoft's own networks (AS8075 is EOP's)

# Removal / lookup pages of lists and reputation services that bounces name.
# Key = BlocklistMention.key / Listing.provider.
PROVIDER_PAGES: dict[str, str] = {
    "spamhaus": SPAMHAUS_LOOKUP,
    "cbl": SPAMHAUS_LOOKUP,  # the CBL became part of Spamhaus XBL
    "spamcop": "https://www.spamcop.net/bl.shtml?{ip}",
    "barracuda": "https://www.barracudacentral.org/rbl/removal-request",
    "uceprotect": "https://www.uceprotect.net/en/rblcheck.php?ipr={ip}",
    "psbl": "https://psbl.org/listing?ip={ip}",
    "mailspike": "https://mailspike.org/iplookup.html",
    "abusix": "https://lookup.abusix.com/search?q={ip}",
    "proofpoint": "https://ipcheck.proofpoint.com/?ip={ip}",
    "cloudmark": "https://csi.cloudmark.com/en/reset/",
    "trendmicro": "https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/",
    "yahoo": "https://senders.yahooinc.com/",
    "gmail": "https://postmaster.google.com/",
    "microsoft": MICROSOFT_DELIST_PORTAL,
    "outlook": OUTLOOK_SENDER_SUPPORT,
    "nixspam": "https://www.nixspam.net/",
    "sorbs": "",  # shut down in June 2024: nothing to delist from; see advice
}

# Mail relays and sending services: when the blocked IP belongs to one of these, the mail was
# relayed through a third party (ownership case 3). Matched case-insensitively against the RDAP
# organisation, network and AS names, and against the reverse DNS name.
RELAY_SERVICES: tuple[tuple[str, str], ...] = (
    ("sendgrid", "SendGrid (Twilio)"),
    ("mailgun", "Mailgun"),
    ("amazonses", "Amazon SES"),
    ("mailchimp", "Mailchimp / Mandrill"),
    ("mandrill", "Mailchimp / Mandrill"),
    ("rocket science group", "Mailchimp / Mandrill"),
    ("sparkpost", "SparkPost"),
    ("messagebird", "SparkPost (MessageBird)"),
    ("postmark", "Postmark"),
    ("mimecast", "Mimecast"),
    ("proofpoint", "Proofpoint"),
    ("pphosted", "Proofpoint"),
    ("barracuda", "Barracuda Email Security"),
    ("brevo", "Brevo (Sendinblue)"),
    ("sendinblue", "Brevo (Sendinblue)"),
    ("zoho", "Zoho Mail"),
    ("google", "Google Workspace / Gmail"),
    ("outbound.protection.outlook.com", "Microsoft 365"),
    ("constant contact", "Constant Contact"),
    ("salesforce", "Salesforce / Marketing Cloud"),
    ("exacttarget", "Salesforce / Marketing Cloud"),
    ("hubspot", "HubSpot"),
    ("mailjet", "Mailjet"),
    ("socketlabs", "SocketLabs"),
    ("smtp2go", "SMTP2GO"),
)

# Microsoft enhanced status codes that name Microsoft's own lists and policies, not Spamhaus.
# (first code, last code) -> advice key. Source: Microsoft's NDR reference (see dnsbl.md table).
MICROSOFT_CODES: tuple[tuple[str, str, str], ...] = (
    ("5.7.606", "5.7.649", "ms_banned_ip"),
    ("5.7.511", "5.7.511", "ms_banned_sender"),
    ("5.7.513", "5.7.513", "ms_customer_block"),
    ("5.7.705", "5.7.705", "ms_tenant"),
    ("5.7.708", "5.7.708", "ms_tenant"),
    ("5.7.750", "5.7.750", "ms_unregistered_domain"),
    ("4.7.500", "4.7.699", "ms_throttled"),
)
