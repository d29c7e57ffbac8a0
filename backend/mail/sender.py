"""Outgoing email over SMTP (a local sink in development and tests)."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from backend.settings import Settings


async def send_email(settings: Settings, *, to: str, subject: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=password,
        start_tls=settings.smtp_starttls,
        timeout=15,
    )
