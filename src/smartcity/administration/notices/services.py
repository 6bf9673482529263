"""Notices as plain functions (no HTTP): :func:`preview` renders one without keeping
anything, :func:`issue` makes it the office's act: the payment of its fees (once, with
its Kassenzeichen), the PDF into the applicant's mailbox through the case layer's
``deliver`` (its history entry, the e-mail that something new is there) and, when the
person asked for letters on paper, a print job, all in one transaction. The staff
member needs ``administration.case.notice`` (and ``.deliver``) for the team."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from smartcity.administration.applying.case import history
from smartcity.administration.applying.case import services as case
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application, MailboxItem, NoticeTemplate, PrintJob
from smartcity.administration.notices import letter
from smartcity.administration.payments import fees
from smartcity.administration.payments import services as payments
from smartcity.core import config

NOTICE = "administration.case.notice"


def _checked(application: Application, template: NoticeTemplate, decision: str, by: Any) -> str:
    history.require(by, NOTICE, application)
    if application.is_draft:
        raise Refused(_("Dieser Antrag ist noch nicht abgeschickt."), 409)
    if template.service_id != application.service_id:
        raise Refused(_("Diese Vorlage gehört zu einer anderen Leistung."), 400)
    text = str(decision).replace("\r\n", "\n").strip()
    limit = config.get("NOTICE_DECISION_MAX_CHARS")
    if len(text) > limit:
        raise Refused(
            _("Der Text ist zu lang: höchstens %(limit)s Zeichen sind möglich.") % {"limit": limit},
            400,
        )
    return text


def preview(application: Application, template: NoticeTemplate, decision: str, *, by: Any) -> bytes:
    """The notice as it would go out (without a new Kassenzeichen); nothing is kept."""
    text = _checked(application, template, decision, by)
    try:
        return letter.render(application, template, text, letter.open_payment(application))[1]
    except fees.FeeError as error:
        raise Refused(
            _("Die Gebühr lässt sich nicht berechnen: %(error)s") % {"error": error}, 400
        ) from None


def _payment(application: Application, template: NoticeTemplate, by: Any) -> Any:
    found = letter.open_payment(application)
    if found is not None or not template.with_fees:
        return found
    try:
        return payments.create_payment(
            application.service, application.reference or "", application.data,
            owner=application.applicant, actor=f"user:{by.pk} notice",
        )  # fmt: skip
    except fees.FeeError as error:
        raise Refused(
            _("Die Gebühr lässt sich nicht berechnen: %(error)s") % {"error": error}, 400
        ) from None


def issue(
    application: Application, template: NoticeTemplate, decision: str, *, by: Any
) -> MailboxItem:
    """Delivers the notice; returns its mailbox item."""
    text = _checked(application, template, decision, by)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        payment = _payment(locked, template, by)
        title, document = letter.render(locked, template, text, payment)
        item = case.deliver(locked, title, document, kind=MailboxItem.NOTICE, by=by)
        try:
            if locked.paper_mail:
                PrintJob.objects.create(application=locked, item=item)
        except BaseException:
            store().delete(item.stored)  # the transaction takes the item back with it
            raise
    return item
