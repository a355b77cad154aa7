"""Mail relays and sending services. When the blocked IP belongs to one of these, the mail was
relayed through a third party (ownership case 3: the service must delist it, or you change route).

Matched case-insensitively against the RDAP organisation, network and AS names and the reverse DNS
name: (word, service name). Sources: docs/sources.md, "Relay services".
"""

from __future__ import annotations

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


def relay_service(*names: str | None) -> str | None:
    """The service whose word appears in any of ``names`` (organisation, network, AS name, rDNS)."""
    haystack = " ".join(filter(None, names)).lower()
    return next((service for word, service in RELAY_SERVICES if word in haystack), None)
