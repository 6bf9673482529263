"""The account mails (confirm an address, set a new password, a second registration):
written in the request, in its language, from templates/accounts/mail/, and sent by the
task queue, so that the answer takes as long whether or not a mail goes out, and an SMTP
server that is slow or down delays no page (huey retries it)."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string

from smartcity.core.tasks import queue

KINDS = ("confirm", "reset", "already_registered")


def send(kind: str, to: str, context: dict[str, Any]) -> None:
    if kind not in KINDS:
        raise ValueError(f"no account mail {kind!r}")
    subject = render_to_string(f"accounts/mail/{kind}_subject.txt", context).strip()
    body = render_to_string(f"accounts/mail/{kind}.txt", context)
    deliver(to, " ".join(subject.split()), body)


@queue.task(retries=5, retry_delay=60)  # type: ignore[misc]
def deliver(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])
