"""Deadlines of document requests (the periodic task): one reminder when the deadline
is near, one overdue mark after it, each in the history with the e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from smartcity.administration import tasks
from smartcity.administration.applying.case import reminders, services
from smartcity.administration.models import DocumentRequest

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def _asked(application, clerk, days_left: int, *, asked_days_ago: int = 10) -> DocumentRequest:
    today = timezone.localdate()
    request = services.request_documents(application, clerk, "Foto", today + timedelta(days=30))
    DocumentRequest.objects.filter(pk=request.pk).update(
        deadline=today + timedelta(days=days_left),
        created=timezone.now() - timedelta(days=asked_days_ago),
    )
    request.refresh_from_db()
    return request


def test_a_near_deadline_is_reminded_of_once(
    application, clerk, monkeypatch, queue_now, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("SMARTCITY_CASE_REMINDER_DAYS", "3")
    far, near = _asked(application, clerk, 10), _asked(application, clerk, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_document_requests.call_local() == {"reminded": 1, "overdue": 0}
    assert reminders.remind_due() == {"reminded": 0, "overdue": 0}  # once
    near.refresh_from_db()
    far.refresh_from_db()
    assert near.reminded is not None and far.reminded is None
    event = application.events.filter(kind="request_reminder").get()
    assert "Erinnerung" in event.text and "Foto" in event.text
    (message,) = mail.outbox
    assert "Foto" not in message.body and message.subject == "Neues in Meine Anträge"


def test_a_request_asked_for_inside_the_window_is_not_reminded(application, clerk, monkeypatch):
    monkeypatch.setenv("SMARTCITY_CASE_REMINDER_DAYS", "3")
    _asked(application, clerk, 2, asked_days_ago=0)
    assert reminders.remind_due() == {"reminded": 0, "overdue": 0}


def test_a_passed_deadline_is_marked_overdue_once_and_uploads_still_go(application, clerk):
    late = _asked(application, clerk, -1)
    answered = _asked(application, clerk, -1)
    DocumentRequest.objects.filter(pk=answered.pk).update(status=DocumentRequest.ANSWERED)
    assert reminders.remind_due() == {"reminded": 0, "overdue": 1}
    assert reminders.remind_due() == {"reminded": 0, "overdue": 0}
    late.refresh_from_db()
    assert late.overdue is not None and late.is_open
    assert application.events.filter(kind="request_overdue").count() == 1
