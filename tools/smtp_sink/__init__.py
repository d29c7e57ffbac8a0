"""A local SMTP sink: accepts every message and keeps it as an `.eml` file.

`make dev` runs it on 127.0.0.1:1025 writing to `.local/mail/`; the tests start their own.
"""

from __future__ import annotations

import email
import email.policy
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from loguru import logger


@dataclass(frozen=True)
class StoredMail:
    path: Path
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""


class _Handler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        name = f"{time.time_ns()}.eml"
        (self.directory / name).write_bytes(envelope.content)
        stored = read_mail(self.directory / name)
        logger.info("mail to {}: {}\n{}", stored.to, stored.subject, stored.text)
        return "250 Message accepted for delivery"


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def read_mail(path: Path) -> StoredMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return StoredMail(path, message)


class SmtpSink:
    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port = port or _free_port(host)
        self.controller = Controller(_Handler(directory), hostname=host, port=self.port)

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def messages(self) -> list[StoredMail]:
        return [read_mail(path) for path in sorted(self.directory.glob("*.eml"))]

    def messages_to(self, address: str) -> list[StoredMail]:
        return [mail for mail in self.messages() if address.lower() in mail.to.lower()]
