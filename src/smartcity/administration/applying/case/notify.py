"""The e-mail that something new is in Meine Anträge: it says only that, with a link,
never what is new (no message text, no document, no service, no reference), since an
e-mail is not a safe way for personal data. A guest gets it at their guest address with
their own signed link. Written after the commit of what it announces, sent by the task
queue (huey retries a mail server that is down)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.administration.applying import links
from smartcity.administration.models import Application
from smartcity.core import config
from smartcity.core.tasks import queue

log = logging.getLogger("smartcity.administration.case")


def link_for(application: Application) -> str:
    """Where the applicant opens their case: the page (an account signs in), or for a
    guest their signed link, which opens it in their session."""
    base = str(config.get("PUBLIC_URL")).rstrip("/")
    if application.applicant_id is not None:
        return base + reverse("applying-mine-detail", args=[application.public_id])
    return base + reverse("applying-resume", args=[links.guest_token(application.public_id)])


def address_of(application: Application) -> str:
    if application.applicant is not None:
        return str(application.applicant.email or "")
    return application.guest_email


def something_new(application: Application) -> None:
    """Queues the e-mail once the current transaction commits (none without address)."""
    to = address_of(application)
    if not to:
        return
    subject = _("Neues in Meine Anträge")
    body = render_to_string(
        "administration/applying/mail/case_news.txt", {"link": link_for(application)}
    )
    transaction.on_commit(lambda: send_news(to, subject, body))


@queue.task(retries=5, retry_delay=60)  # type: ignore[misc]
def send_news(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])
