"""E-mail over SMTP with STARTTLS: one message (HTML with a plain-text part), sent in one SMTP
transaction, so it arrives whole or not at all."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from metrics.notify.retry import PermanentError


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
    password_env: str = ""  # where the password came from, named when the server refuses it


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
            _login(smtp, config)
        smtp.send_message(message)


PREFERRED_AUTH = ("PLAIN", "LOGIN", "CRAM-MD5")  # PLAIN is safe: the session is already TLS


def _login(smtp: smtplib.SMTP, config: SmtpConfig) -> None:
    """AUTH as ``config.user``, once, with the first mechanism of PREFERRED_AUTH the server
    offers (smtplib's login() would offer a wrong password again with every other mechanism,
    and servers count failed logins towards locking the account); a refused password is a
    PermanentError saying what to check."""
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    mechanism = next((m for m in PREFERRED_AUTH if m in offered), None)
    if mechanism is None:
        raise PermanentError(f"{config.host}:{config.port} offers no login method we know")
    smtp.user, smtp.password = config.user, config.password
    try:
        smtp.auth(mechanism, getattr(smtp, "auth_" + mechanism.lower().replace("-", "_")))
    except smtplib.SMTPAuthenticationError as err:
        answer = err.smtp_error
        answer = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
        where = f"${config.password_env}" if config.password_env else "the environment"
        raise PermanentError(
            f"{config.host}:{config.port} refused the login of {config.user!r} "
            f"({err.smtp_code} {answer}): check [delivery] smtp_user and the password in {where}"
        ) from None
