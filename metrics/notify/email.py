"""E-mail over SMTP with STARTTLS: one message (HTML with a plain-text part), sent in one SMTP
transaction, so it arrives whole or not at all."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class SmtpConfig:
    """Where and as whom to send; the password comes from the environment (the CLI reads it)."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str = ""
    password: str = ""
    context: ssl.SSLContext | None = None  # None: the system's trusted certificates
    timeout: float = 30.0


def build_message(config: SmtpConfig, subject: str, text: str, html: str | None) -> EmailMessage:
    """The whole message, built before any connection is made."""
    message = EmailMessage()
    message["Subject"], message["From"] = subject, config.sender
    message["To"] = ", ".join(config.recipients)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send_email(config: SmtpConfig, message: EmailMessage) -> None:
    """Send ``message``: STARTTLS always (refused servers are an error), then AUTH when a user
    is set. Raises OSError (smtplib's errors are OSError) on failure."""
    context = config.context or ssl.create_default_context()
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise smtplib.SMTPException(f"{config.host}:{config.port} does not offer STARTTLS")
        smtp.starttls(context=context)
        smtp.ehlo()
        if config.user:
            smtp.login(config.user, config.password)
        smtp.send_message(message)
