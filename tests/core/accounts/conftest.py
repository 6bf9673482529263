"""Fixtures of the account tests: a real SMTP server (aiosmtpd) the real task consumer
delivers the account mails to, and a cheap password hasher (the hasher is not under test)."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

PASSWORD = "ein-langes-passwort-fuer-hamm-2026"


@pytest.fixture(autouse=True)
def quick_hashes(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def wait(self, count: int, seconds: float = 15) -> list[Any]:
        """The first ``count`` messages, once they have arrived, parsed."""
        deadline = time.monotonic() + seconds
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.envelopes) >= count, f"{len(self.envelopes)} of {count} mails came"
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def link_path(message: Any) -> str:
    """The path of the platform's link in a mail (on SMARTCITY_PUBLIC_URL)."""
    body = message.get_body(("plain",)).get_content()
    found = re.search(r"http://127\.0\.0\.1:8000(/konto/\S+)", body)
    assert found, body
    return found.group(1)


@pytest.fixture
def inbox(settings: Any, consumer: Any) -> Iterator[Inbox]:
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=_free_port())
    controller.start()
    # Django's test set-up swaps in the in-memory backend; these tests use real SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield received
    controller.stop()
