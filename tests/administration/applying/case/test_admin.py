"""The minimal staff side in the back office: a clerk sees their team's applications
with the case, writes, asks for a document and delivers a PDF through the service
layer; a clerk of another team reaches none of it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from smartcity.administration.models import DocumentRequest, MailboxItem, Message
from tests.administration.applying.factories import PDF, PNG
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])

BASE = "/admin/administration/application"


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return verified_login(Client(), user)


def test_a_clerk_works_the_case_from_the_back_office(application, clerk):
    office = _staff(clerk)
    listing = office.get(f"{BASE}/").content.decode()
    assert application.reference in listing
    page = office.get(f"{BASE}/{application.pk}/change/").content.decode()
    assert "Unterlagen nachfordern" in page and "PDF zustellen" in page
    sent = office.post(f"{BASE}/{application.pk}/nachricht/", {"text": "Guten Tag"})
    assert sent.status_code == 302
    assert Message.objects.get(application=application).author == clerk
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    asked = office.post(
        f"{BASE}/{application.pk}/nachforderung/", {"what": "Foto", "deadline": deadline}
    )
    assert asked.status_code == 302 and DocumentRequest.objects.get().what == "Foto"
    pdf = io.BytesIO(PDF)
    pdf.name = "bescheid.pdf"
    delivered = office.post(
        f"{BASE}/{application.pk}/zustellen/", {"title": "Bescheid", "kind": "notice", "pdf": pdf}
    )
    assert delivered.status_code == 302 and MailboxItem.objects.get().kind == "notice"
    kinds = {e.kind for e in application.events.all()}
    assert kinds == {"message_office", "documents_requested", "delivered"}
    # the clerk, who holds a role of the team and no per-model permissions, sees the case
    page = office.get(f"{BASE}/{application.pk}/change/").content.decode()
    assert "Guten Tag" in page and "Foto" in page and "Bescheid" in page
    assert "admin-case.css" in page


def test_the_service_layer_refusals_show_in_the_form(application, clerk):
    office = _staff(clerk)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = office.post(f"{BASE}/{application.pk}/nachforderung/", {"what": "x", "deadline": past})
    assert answer.status_code == 400 and "Vergangenheit" in answer.content.decode()
    image = io.BytesIO(PNG)
    image.name = "bild.pdf"
    answer = office.post(
        f"{BASE}/{application.pk}/zustellen/", {"title": "Bild", "kind": "letter", "pdf": image}
    )
    assert answer.status_code == 400 and not MailboxItem.objects.exists()


def test_a_clerk_of_another_team_reaches_nothing(application, stranger_clerk):
    office = _staff(stranger_clerk)
    assert application.reference not in office.get(f"{BASE}/").content.decode()
    assert office.get(f"{BASE}/{application.pk}/nachricht/").status_code == 404
    answer = office.post(f"{BASE}/{application.pk}/nachricht/", {"text": "fremd"})
    assert answer.status_code == 404 and not Message.objects.exists()
    assert office.get(f"{BASE}/{application.pk}/change/").status_code in (302, 404)


def test_a_citizen_is_sent_to_the_login(application, parent):
    client = Client()
    client.force_login(parent)
    answer = client.post(f"{BASE}/{application.pk}/nachricht/", {"text": "ich"})
    assert answer.status_code == 302 and not Message.objects.exists()


def test_a_clerk_withdraws_an_open_request(application, clerk):
    from smartcity.administration.applying.case import services

    asked = services.request_documents(application, clerk, "Foto", timezone.localdate())
    office = _staff(clerk)
    form = office.get(f"{BASE}/{application.pk}/zurueckziehen/").content.decode()
    assert asked.public_id in form
    answer = office.post(f"{BASE}/{application.pk}/zurueckziehen/", {"request": asked.public_id})
    assert answer.status_code == 302
    asked.refresh_from_db()
    assert asked.status == DocumentRequest.WITHDRAWN
    again = office.post(f"{BASE}/{application.pk}/zurueckziehen/", {"request": asked.public_id})
    assert again.status_code == 400  # no longer a choice
