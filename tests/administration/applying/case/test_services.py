"""The case's service layer: what the office may do (and a clerk of another team may
not), what the applicant may do, each with its history entry, the limits, and the
e-mail that says only that something is new."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from smartcity.administration.applying.case import history, services
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.models import CaseEvent, DocumentRequest, MailboxItem, Message
from smartcity.core.uploads import UploadRefused
from tests.administration.applying.factories import PDF, PNG

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def _file(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_the_office_writes_and_the_history_says_so(application, clerk):
    message = services.post_message(application, clerk, "  Bitte rufen Sie uns an.  ")
    assert message.body == "Bitte rufen Sie uns an." and message.sender == Message.OFFICE
    (event,) = application.events.all()
    assert event.kind == "message_office" and event.actor == CaseEvent.STAFF
    assert event.staff == clerk and event.visible_to_applicant
    assert event.text == "Das Amt hat Ihnen eine Nachricht geschrieben."


def test_a_clerk_of_another_team_is_refused_everything(application, stranger_clerk):
    for attempt in (
        lambda: services.post_message(application, stranger_clerk, "Hallo"),
        lambda: services.request_documents(
            application, stranger_clerk, "Geburtsurkunde", timezone.localdate()
        ),
        lambda: services.deliver(application, "Bescheid", PDF, "notice", by=stranger_clerk),
        lambda: history.record(application, "status_changed", by=stranger_clerk),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.status == 403
    assert not application.events.exists() and not application.messages.exists()
    assert not application.document_requests.exists() and not application.mailbox.exists()


def test_a_citizen_account_is_no_clerk(application, parent):
    with pytest.raises(Refused) as refused:
        services.post_message(application, parent, "Ich bin das Amt")
    assert refused.value.status == 403


def test_a_message_over_the_limit_is_a_400_and_writes_nothing(application, clerk, monkeypatch):
    monkeypatch.setenv("SMARTCITY_CASE_MESSAGE_MAX_CHARS", "10")
    with pytest.raises(Refused) as refused:
        services.reply(application, "x" * 11)
    assert refused.value.status == 400 and "10 Zeichen" in refused.value.message
    with pytest.raises(Refused):
        services.post_message(application, clerk, "y" * 11)
    with pytest.raises(Refused) as empty:
        services.reply(application, "   ")
    assert empty.value.status == 400
    assert not application.messages.exists() and not application.events.exists()


def test_replies_are_rate_limited(application, monkeypatch):
    monkeypatch.setenv("SMARTCITY_CASE_MESSAGES_PER_HOUR", "2")
    services.reply(application, "eins")
    services.reply(application, "zwei")
    with pytest.raises(Refused) as refused:
        services.reply(application, "drei")
    assert refused.value.status == 429
    assert application.messages.count() == 2
    assert [e.kind for e in application.events.all()] == ["message_applicant"] * 2


def test_a_draft_has_no_case_yet(application, clerk):
    application.status = application.DRAFT
    application.save()
    with pytest.raises(Refused) as refused:
        services.post_message(application, clerk, "Hallo")
    assert refused.value.status == 409


def test_a_request_is_answered_by_an_upload_checked_like_every_upload(application, clerk):
    deadline = timezone.localdate() + timedelta(days=14)
    request = services.request_documents(application, clerk, "Geburtsurkunde", deadline)
    with pytest.raises(UploadRefused):  # a disguised file: the content decides
        services.answer_request(
            application, request.public_id, _file(b"MZ\x90\0" * 50, "a.pdf"), "a.pdf"
        )
    request.refresh_from_db()
    assert request.is_open and not application.uploads.exists()
    answered = services.answer_request(
        application, request.public_id, _file(PNG, "urkunde.png"), "urkunde.png"
    )
    assert answered.status == DocumentRequest.ANSWERED and answered.answered
    (upload,) = answered.uploads.all()
    assert upload.media_type == "image/png" and upload.application == application
    assert store().open(upload.stored).read() == PNG
    kinds = [e.kind for e in application.events.all()]
    assert kinds == ["documents_received", "documents_requested"]  # newest first
    requested = application.events.get(kind="documents_requested")
    assert "Geburtsurkunde" in requested.text and deadline.strftime("%d.%m.%Y") in requested.text


def test_uploads_to_a_closed_request_are_refused(application, clerk):
    deadline = timezone.localdate() + timedelta(days=3)
    answered = services.request_documents(application, clerk, "Meldebescheinigung", deadline)
    services.answer_request(application, answered.public_id, _file(PDF, "m.pdf"), "m.pdf")
    withdrawn = services.request_documents(application, clerk, "Foto", deadline)
    services.withdraw_request(withdrawn, clerk)
    for closed in (answered, withdrawn):
        with pytest.raises(Refused) as refused:
            services.answer_request(application, closed.public_id, _file(PDF, "x.pdf"), "x.pdf")
        assert refused.value.status == 409
    assert application.uploads.count() == 1
    with pytest.raises(Refused) as refused:
        services.withdraw_request(withdrawn, clerk)
    assert refused.value.status == 409


def test_another_applications_request_is_not_found(application, clerk, service, parent):
    from smartcity.administration.models import Application

    other = Application.objects.create(service=service, applicant=parent, status="submitted")
    request = services.request_documents(other, clerk, "Foto", timezone.localdate())
    with pytest.raises(Refused) as refused:
        services.answer_request(application, request.public_id, _file(PDF, "x.pdf"), "x.pdf")
    assert refused.value.status == 404


def test_a_deadline_in_the_past_is_refused(application, clerk):
    with pytest.raises(Refused) as refused:
        services.request_documents(
            application, clerk, "Foto", timezone.localdate() - timedelta(days=1)
        )
    assert refused.value.status == 400 and not application.document_requests.exists()


def test_a_delivered_notice_is_kept_in_the_store(application, clerk):
    item = services.deliver(application, "Bescheid über den Kita-Platz", PDF, "notice", by=clerk)
    assert item.kind == MailboxItem.NOTICE and item.size == len(PDF)
    assert store().open(item.stored).read() == PDF
    assert application.events.get().text == (
        "In Ihrem Postfach liegt ein neues Schreiben: Bescheid über den Kita-Platz."
    )
    assert history.status_of(application).startswith("Entschieden")


def test_only_a_pdf_can_be_delivered(application, clerk):
    with pytest.raises(Refused) as refused:
        services.deliver(application, "Bild", PNG, "letter", by=clerk)
    assert refused.value.status == 400
    with pytest.raises(Refused):
        services.deliver(application, "Bescheid", PDF, "unbekannt", by=clerk)
    assert not application.mailbox.exists() and not application.events.exists()


def test_the_email_says_only_that_something_is_new(
    application, clerk, queue_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(application, clerk, "Ihr Bescheid ist fertig, geheim-123")
        services.deliver(application, "Bescheid Kita", PDF, "notice", by=clerk)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.to == ["mutter@example.org"]
        assert message.subject == "Neues in Meine Anträge"
        assert f"/service/meine-antraege/{application.public_id}/" in message.body
        for secret in ("geheim-123", "Bescheid", "Kita", application.reference, "Mia"):
            assert secret not in message.body and secret not in message.subject
        assert not message.attachments


def test_a_guest_gets_the_email_at_their_address_with_their_link(
    application, clerk, queue_now, django_capture_on_commit_callbacks, client
):
    application.applicant, application.guest_email = None, "gast@example.org"
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(application, clerk, "Hallo")
    (message,) = mail.outbox
    assert message.to == ["gast@example.org"]
    path = message.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    assert path.startswith("/service/antrag/weiter/")
    opened = client.get(path, follow=True)
    assert opened.status_code == 200 and "Hallo" in opened.content.decode()


def test_the_applicant_writing_sends_no_email(
    application, queue_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(application, "Danke")
    assert mail.outbox == []


def test_unread_counts(application, clerk):
    services.post_message(application, clerk, "eins")
    services.deliver(application, "Schreiben", PDF, "letter", by=clerk)
    services.request_documents(application, clerk, "Foto", timezone.localdate())
    assert services.unread(application) == 3
    services.seen_messages(application)
    services.seen_item(application.mailbox.get())
    assert services.unread(application) == 1


def test_a_hand_written_event_needs_the_record_action(application, clerk):
    event = history.record(
        application, "status_changed", by=clerk, data={"status": "in Bearbeitung"}
    )
    assert event.actor == CaseEvent.STAFF
    assert event.text == "Ihr Antrag hat einen neuen Stand: in Bearbeitung."
    assert history.status_of(application) == "in Bearbeitung"
    with pytest.raises(ValueError):
        history.record(application, "erfunden")


def test_a_supervisor_of_the_team_may_and_the_request_names_who_asked(application):
    from smartcity.core import roles
    from tests.administration.applying.factories import make_user

    lead = make_user("teamleitung", "lead@stadt.example")
    roles.grant(lead, "supervisor", "familienbuero")
    request = services.request_documents(application, lead, "Foto", timezone.localdate())
    assert request.requested_by == lead
    assert application.events.get().staff == lead
