"""A case through its workflow: four eyes (the approver is not the processor, a clerk
alone cannot approve), another team's clerk reaches nothing, the due date comes from the
service's processing time, a document request goes out and its answer brings the case
back to the check, the citizen reads the state in plain language, and the demo services
run the default workflow."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from smartcity.administration.applying.case import history
from smartcity.administration.applying.case import services as case
from smartcity.administration.applying.limits import Refused
from smartcity.administration.demo import load_demo
from smartcity.administration.models import Application, DocumentRequest, Service, Workflow
from smartcity.administration.workflow import services
from smartcity.administration.workflow.definition import DEFAULT, parse
from tests.administration.applying.factories import PDF

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def _to_approval(application: Any, by: Any) -> None:
    for name in ("start_check", "complete", "submit_for_approval"):
        services.fire(application, name, by)


def _refused(status: int, application: Any, name: str, by: Any) -> None:
    before = services.state_of(application).state
    with pytest.raises(Refused) as refused:
        services.fire(application, name, by)
    assert refused.value.status == status
    assert services.state_of(application).state == before


def test_four_eyes_the_processor_does_not_approve(application, supervisor, other_supervisor):
    _to_approval(application, supervisor)  # the supervisor processed it herself
    _refused(403, application, "grant", supervisor)
    done = services.fire(application, "grant", other_supervisor)
    assert done.state == "granted"
    assert done.processor == supervisor and done.approver == other_supervisor


def test_a_clerk_alone_cannot_approve(application, clerk, colleague):
    _to_approval(application, clerk)
    _refused(403, application, "grant", clerk)
    _refused(403, application, "refuse", colleague)  # another clerk: not their role


def test_the_approver_sends_it_back_and_the_clerk_resubmits(application, clerk, supervisor):
    _to_approval(application, clerk)
    assert services.fire(application, "send_back", supervisor).state == "processing"
    services.fire(application, "submit_for_approval", clerk)
    assert services.fire(application, "refuse", supervisor).state == "refused"
    for name in ("refusal_notice", "close"):
        services.fire(application, name, clerk)
    assert services.state_of(application).state == "closed"


def test_another_teams_clerk_reaches_nothing(application, stranger_clerk):
    _refused(403, application, "start_check", stranger_clerk)
    assert services.choices(application, stranger_clerk) == []
    assert not application.events.exists()


def test_a_draft_has_no_case_state(service, parent):
    draft = Application.objects.create(service=service, applicant=parent)
    with pytest.raises(Refused) as refused:
        services.state_of(draft)
    assert refused.value.status == 409


def test_the_due_date_is_the_services_processing_time(application, settings, service):
    started = timezone.localdate(application.submitted)
    assert services.state_of(application).due == started + timedelta(days=30)
    state = services.state_of(application)
    state.delete()
    Workflow.objects.create(service=service, definition=DEFAULT, due_days=5)
    fresh = Application.objects.get(pk=application.pk)
    current = services.state_of(fresh)
    assert current.due == started + timedelta(days=5)
    assert current.team == service.team and current.state == "received"


def test_documents_are_requested_and_the_answer_brings_it_back(application, clerk):
    services.fire(application, "start_check", clerk)
    deadline = timezone.localdate() + timedelta(days=10)
    with pytest.raises(Refused) as refused:  # the case layer's own check, nothing written
        services.fire(application, "request_documents", clerk, what=" ", deadline=deadline)
    assert refused.value.status == 400 and not DocumentRequest.objects.exists()
    assert services.state_of(application).state == "check"
    moved = services.fire(
        application, "request_documents", clerk, what="Geburtsurkunde", deadline=deadline
    )
    assert moved.state == "documents"
    (request,) = application.document_requests.all()
    file = io.BytesIO(PDF)
    case.answer_request(application, request.public_id, file, "urkunde.pdf")
    assert services.state_of(application).state == "check"
    latest = application.events.filter(kind="status_changed").first()
    assert latest.actor == "system" and latest.data["state"] == "check"


def test_the_citizen_reads_the_state_in_plain_language(application, clerk, parent):
    services.fire(application, "start_check", clerk)
    services.fire(application, "complete", clerk)
    assert history.status_of(application) == "Ihr Antrag wird bearbeitet."
    client = Client()
    client.force_login(parent)
    page = client.get(f"/service/meine-antraege/{application.public_id}/").content.decode()
    assert "Ihr Antrag hat einen neuen Stand: Ihr Antrag wird bearbeitet." in page
    assert "Wir prüfen, ob Ihr Antrag vollständig ist." in page


def test_the_demo_services_run_the_default_workflow(db):
    load_demo()
    default = parse(DEFAULT)
    services_ = list(Service.objects.all())
    assert len(services_) == 6
    for found in services_:
        application = Application(service=found, status=Application.SUBMITTED)
        assert services.machine_for(application) == default


def test_the_state_is_kept_in_german_and_read_in_the_readers_language(application, clerk, parent):
    with translation.override("en"):
        services.fire(application, "start_check", clerk)  # a clerk on the English page
    event = application.events.get(kind="status_changed")
    assert event.data["status"] == "Wir prüfen, ob Ihr Antrag vollständig ist."
    with translation.override("en"):
        assert (
            history.status_of(application)
            == "We are checking whether your application is complete."
        )
        assert "We are checking whether your application is complete." in event.text
    client = Client(headers={"accept-language": "en"})
    client.force_login(parent)
    page = client.get(f"/service/meine-antraege/{application.public_id}/").content.decode()
    assert "We are checking whether your application is complete." in page
