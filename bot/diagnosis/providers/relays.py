"""Mail relays and sending services. When your mail left through one of these (your sender domain in
the bounce), the service must get its IP delisted, or you change route (ownership case 3).

A service is recognised by the reverse DNS of its sending servers (forward-confirmed, so it cannot
be claimed by a PTR record alone), or by its registry organisation where the company runs nothing
but mail. Never by a word in a larger company's name: a Google Cloud VM's owner is "Google LLC",
and it is not Gmail. Sources: each service's documentation of its sending domains (docs/sources.md,
"Relay services").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelayService:
    name: str
    rdns: tuple[str, ...] = ()  # domains its sending servers' reverse DNS names end in
    organisations: tuple[str, ...] = ()  # words of its registry organisation name (mail-only companies)


RELAY_SERVICES: tuple[RelayService, ...] = (
    RelayService("SendGrid (Twilio)", ("sendgrid.net",), ("sendgrid",)),
    RelayService("Mailgun", ("mailgun.net", "mailgun.org"), ("mailgun",)),
    RelayService("Amazon SES", ("amazonses.com",)),
    RelayService("Mailchimp / Mandrill", ("mcsv.net", "rsgsv.net", "mcdlv.net", "mandrillapp.com"),
                 ("rocket science group", "mailchimp")),
    RelayService("SparkPost", ("sparkpostmail.com",), ("sparkpost",)),
    RelayService("Postmark", ("mtasv.net",), ("postmark", "wildbit")),
    RelayService("Mimecast", ("mimecast.com",), ("mimecast",)),
    RelayService("Proofpoint", ("pphosted.com", "ppe-hosted.com"), ("proofpoint",)),
    RelayService("Barracuda Email Security", ("barracudanetworks.com", "cudamail.com")),
    RelayService("Brevo (Sendinblue)", ("sendinblue.com", "brevo.com", "sender-sib.com"), ("sendinblue", "brevo")),
    RelayService("Zoho Mail", ("zoho.com", "zohomail.com", "zoho.eu")),
    RelayService("Google Workspace / Gmail", ("google.com",)),
    RelayService("Microsoft 365", ("outbound.protection.outlook.com",)),
    RelayService("Constant Contact", ("ctct.net", "constantcontact.com"), ("constant contact",)),
    RelayService("Salesforce / Marketing Cloud", ("exacttarget.com",), ("exacttarget",)),
    RelayService("HubSpot", ("hubspotemail.net",)),
    RelayService("Mailjet", ("mailjet.com",), ("mailjet",)),
    RelayService("SocketLabs", ("socketlabs.com",), ("socketlabs",)),
    RelayService("SMTP2GO", ("smtp2go.com",), ("smtp2go",)),
)


def relay_service(organisation: str | None, confirmed_rdns: str | None) -> str | None:
    """The service whose sending domain ends ``confirmed_rdns`` (a forward-confirmed reverse DNS
    name) or whose mail-only company is ``organisation``."""
    name = (confirmed_rdns or "").lower().rstrip(".")
    org = (organisation or "").lower()
    for service in RELAY_SERVICES:
        if name and any(name == domain or name.endswith("." + domain) for domain in service.rdns):
            return service.name
        if org and any(word in org for word in service.organisations):
            return service.name
    return None
