"""What the office and the applicant do in a case, as plain functions (no HTTP): the
back office (the Django admin now, issue 13's pages later) calls :func:`post_message`,
:func:`request_documents`, :func:`withdraw_request` and :func:`deliver`; Meine Anträge
calls :func:`reply`, :func:`answer_request` and the ``seen_*`` ones. Each writes its
history entry in the same transaction and checks the staff member's permission
(core.roles.may, the actions in administration/platform.py); what is new for the
applicant queues the e-mail (notify.py). Refused says what is not possible, and why."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.applying import services as applying
from smartcity.administration.applying.case import history, notify
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.models import (
    Application,
    CaseEvent,
    DocumentRequest,
    MailboxItem,
    Message,
)
from smartcity.core import config, uploads

MESSAGE = "administration.case.message"
REQUEST = "administration.case.request"
DELIVER = "administration.case.deliver"


def _submitted(application: Application) -> None:
    if application.is_draft:
        raise Refused(_("Dieser Antrag ist noch nicht abgeschickt."), 409)


def _text(text: str, limit_setting: str, empty: str) -> str:
    cleaned = str(text).replace("\r\n", "\n").strip()
    if not cleaned:
        raise Refused(empty, 400)
    limit = config.get(limit_setting)
    if len(cleaned) > limit:
        raise Refused(
            _("Der Text ist zu lang: höchstens %(limit)s Zeichen sind möglich.") % {"limit": limit},
            400,
        )
    return cleaned


def post_message(application: Application, by: Any, text: str) -> Message:
    """The office writes to the applicant."""
    history.require(by, MESSAGE, application)
    _submitted(application)
    body = _text(text, "CASE_MESSAGE_MAX_CHARS", _("Bitte schreiben Sie eine Nachricht."))
    with transaction.atomic():
        message = Message.objects.create(
            application=application, sender=Message.OFFICE, author=by, body=body
        )
        history.write(application, "message_office", staff=by, actor=CaseEvent.STAFF)
        notify.something_new(application)
    return message


def reply(application: Application, text: str) -> Message:
    """The applicant writes to the office (the caller has made sure it is theirs)."""
    _submitted(application)
    body = _text(text, "CASE_MESSAGE_MAX_CHARS", _("Bitte schreiben Sie eine Nachricht."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        hour_ago = timezone.now() - timedelta(hours=1)
        recent = locked.messages.filter(sender=Message.APPLICANT, created__gte=hour_ago)
        if recent.count() >= config.get("CASE_MESSAGES_PER_HOUR"):
            raise Refused(
                _(
                    "Sie haben in der letzten Stunde schon viele Nachrichten geschrieben. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
                429,
            )
        message = Message.objects.create(
            application=locked,
            sender=Message.APPLICANT,
            author=locked.applicant,
            body=body,
        )
        history.write(locked, "message_applicant", actor=CaseEvent.APPLICANT)
    return message


def request_documents(
    application: Application, by: Any, what: str, deadline: date
) -> DocumentRequest:
    """The office asks for a missing document by ``deadline`` (today or later)."""
    history.require(by, REQUEST, application)
    _submitted(application)
    described = _text(what, "CASE_REQUEST_MAX_CHARS", _("Bitte schreiben Sie, was fehlt."))
    if deadline < timezone.localdate():
        raise Refused(_("Die Frist darf nicht in der Vergangenheit liegen."), 400)
    with transaction.atomic():
        found = DocumentRequest.objects.create(
            application=application, what=described, deadline=deadline, requested_by=by
        )
        history.write(
            application,
            "documents_requested",
            staff=by,
            actor=CaseEvent.STAFF,
            data={"what": described, "deadline": deadline.isoformat()},
        )
        notify.something_new(application)
    return found


def withdraw_request(request: DocumentRequest, by: Any) -> DocumentRequest:
    """The office no longer needs it (only an open request)."""
    application = request.application
    history.require(by, REQUEST, application)
    with transaction.atomic():
        locked = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise Refused(_("Diese Nachforderung ist schon erledigt."), 409)
        locked.status = DocumentRequest.WITHDRAWN
        locked.save(update_fields=["status"])
        history.write(
            application, "request_withdrawn", staff=by, actor=CaseEvent.STAFF,
            data={"what": locked.what},
        )  # fmt: skip
        notify.something_new(application)
    return locked


def answer_request(
    application: Application, request_id: str, file: IO[bytes], name: str
) -> DocumentRequest:
    """The applicant uploads the missing document: checked as every upload of applying
    is (applying.services.add_upload: the size, the type by content, the scanner), kept
    with the application's uploads; the request is then answered."""
    with transaction.atomic():
        locked = (
            DocumentRequest.objects.select_for_update()
            .filter(application=application, public_id=str(request_id)[:32])
            .first()
        )
        if locked is None:
            raise Refused(_("Diese Nachforderung gibt es nicht."), 404)
        if not locked.is_open:
            raise Refused(
                _("Diese Nachforderung ist schon erledigt. Sie brauchen nichts mehr hochzuladen."),
                409,
            )
        accept = [t.strip() for t in str(config.get("CASE_DOCUMENT_TYPES")).split(",") if t]
        upload = applying.add_upload(
            application, f"nachforderung.{locked.public_id}", file, name, {"accept": accept}
        )
        locked.uploads.add(upload)
        locked.status, locked.answered = DocumentRequest.ANSWERED, timezone.now()
        locked.save(update_fields=["status", "answered"])
        history.write(
            application, "documents_received", actor=CaseEvent.APPLICANT,
            data={"what": locked.what},
        )  # fmt: skip
    return locked


def deliver(
    application: Application, title: str, pdf_bytes: bytes, kind: str, *, by: Any
) -> MailboxItem:
    """The office puts a letter or notice (a PDF, checked as uploads are) into the
    applicant's mailbox."""
    history.require(by, DELIVER, application)
    _submitted(application)
    if kind not in dict(MailboxItem.KINDS):
        raise Refused(_("Diese Art von Schreiben gibt es nicht."), 400)
    heading = " ".join(str(title).split())[:200]
    if not heading:
        raise Refused(_("Bitte geben Sie dem Schreiben einen Titel."), 400)
    file = io.BytesIO(pdf_bytes)
    try:
        uploads.check(
            file, accept=[uploads.PDF], max_bytes=config.get("CASE_MAILBOX_MAX_BYTES"), name=""
        )
    except uploads.UploadRefused as refused:
        raise Refused(str(refused), 400) from None
    stored = store().save(file)
    try:
        with transaction.atomic():
            item = MailboxItem.objects.create(
                application=application, title=heading, kind=kind, stored=stored.name,
                size=stored.size, sha256=stored.sha256, delivered_by=by,
            )  # fmt: skip
            history.write(
                application, "delivered", staff=by, actor=CaseEvent.STAFF, data={"title": heading}
            )
            notify.something_new(application)
    except BaseException:
        store().delete(stored.name)  # nothing refers to it
        raise
    return item


def seen_messages(application: Application) -> int:
    """The applicant has seen the office's messages: marks them read."""
    return application.messages.filter(sender=Message.OFFICE, read__isnull=True).update(
        read=timezone.now()
    )


def seen_item(item: MailboxItem) -> None:
    if item.read is None:
        MailboxItem.objects.filter(pk=item.pk, read__isnull=True).update(read=timezone.now())


def unread(application: Application) -> int:
    """What is new for the applicant: unread messages of the office and mailbox items,
    and open document requests."""
    return (
        application.messages.filter(sender=Message.OFFICE, read__isnull=True).count()
        + application.mailbox.filter(read__isnull=True).count()
        + application.document_requests.filter(status=DocumentRequest.OPEN).count()
    )
