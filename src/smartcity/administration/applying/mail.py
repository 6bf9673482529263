"""The e-mails of applying: a guest's link to resume, a second person's invitation to
co-sign, and the acknowledgement with the reference number. Plain text, German first;
a failure to send is logged, never lost silently, and never undoes a submission."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from smartcity.administration.models import Application

log = logging.getLogger("smartcity.administration.mail")


def _send(to: str, subject: str, template: str, context: dict[str, object]) -> bool:
    body = render_to_string(f"administration/applying/mail/{template}", context)
    try:
        send_mail(subject, body, None, [to])
    except OSError as error:  # smtplib's errors too
        log.warning("could not send %s to an applicant: %s", template, error)
        return False
    return True


def guest_link(application: Application, link: str) -> bool:
    return _send(
        application.guest_email,
        _("Ihr Antrag: Link zum Weitermachen"),
        "guest.txt",
        {"application": application, "link": link},
    )


def cosign_invitation(application: Application, link: str, applicant: str) -> bool:
    return _send(
        application.cosigner_email,
        _("Bitte zeichnen Sie einen Antrag mit"),
        "cosign.txt",
        {"application": application, "link": link, "applicant": applicant},
    )


def acknowledgement(application: Application, link: str) -> bool:
    to = application.applicant.email if application.applicant else application.guest_email
    to = to or application.citizen.get("email", "")  # entered at the counter or from paper
    if not to:
        return False
    subject = _("Eingangsbestätigung %(reference)s") % {"reference": application.reference}
    return _send(to, subject, "acknowledgement.txt", {"application": application, "link": link})
