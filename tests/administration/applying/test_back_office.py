"""Submitted applications in the back office: only the service team's clerks see them,
read-only; opening one and downloading its file are in the audit log, which keeps them
even when the request's transaction is rolled back; drafts and other teams' applications
are not reached (404), and a co-signer's read is recorded too."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from smartcity.administration.applying import access
from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application, Upload
from smartcity.core import roles
from smartcity.core.audit import AuditEvent
from smartcity.core.models import Team
from tests.administration.applying.factories import PDF, make_service, make_user
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


@pytest.fixture
def case() -> dict[str, Any]:
    kita = Team.objects.create(key="kita", name="Kita-Team")
    Team.objects.create(key="standesamt", name="Standesamt")
    service = make_service()
    service.team = kita
    service.save()
    applicant = make_user()
    submitted = Application.objects.create(
        service=service,
        applicant=applicant,
        status=Application.SUBMITTED,
        reference="KITA-2026-000007",
        submitted=timezone.now(),
        data={"kind": {"vorname": "Mia"}},
    )
    stored = store().save(io.BytesIO(PDF))
    upload = Upload.objects.create(
        application=submitted,
        field="nachweis",
        original_name="bescheinigung.pdf",
        media_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        stored=stored.name,
    )
    draft = Application.objects.create(service=service, applicant=applicant)
    return {"submitted": submitted, "upload": upload, "draft": draft}


def _staff(name: str, team: str) -> Client:
    person = User.objects.create_user(name, is_staff=True)
    roles.grant(person, "clerk", team=team)
    return verified_login(Client(), person)


def test_a_clerk_of_the_team_reads_it_and_the_read_is_recorded(case: dict[str, Any]) -> None:
    clerk = _staff("clerk.kita", "kita")
    listing = clerk.get("/admin/administration/application/")
    text = listing.content.decode()
    assert listing.status_code == 200 and "KITA-2026-000007" in text
    assert "Mia" not in text  # the list holds no personal data
    assert not AuditEvent.objects.exists()  # and reading it is not a read of any
    pk = case["submitted"].pk
    detail = clerk.get(f"/admin/administration/application/{pk}/change/")
    assert detail.status_code == 200 and "Mia" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()  # read-only
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.object_id, event.purpose) == (
        "read",
        "administration.application",
        case["submitted"].public_id,
        "case",
    )
    assert event.actor_name == "clerk.kita" and event.actor_roles == "clerk"


def test_downloading_a_file_is_recorded(case: dict[str, Any]) -> None:
    clerk = _staff("clerk.kita", "kita")
    path = (
        f"/admin/administration/application/{case['submitted'].pk}/datei/"
        f"{case['upload'].public_id}/"
    )
    answer = clerk.get(path)
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF")
    assert "no-store" in answer["Cache-Control"]
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.object_id) == (
        "download",
        "administration.upload",
        case["upload"].public_id,
    )


def test_other_teams_drafts_and_guessed_files_are_not_reached(case: dict[str, Any]) -> None:
    other = _staff("clerk.standesamt", "standesamt")
    pk, upload = case["submitted"].pk, case["upload"].public_id
    assert "KITA-2026" not in other.get("/admin/administration/application/").content.decode()
    assert other.get(f"/admin/administration/application/{pk}/change/").status_code in (302, 403)
    assert other.get(f"/admin/administration/application/{pk}/datei/{upload}/").status_code == 404
    clerk = _staff("clerk.kita", "kita")
    draft = case["draft"].pk
    assert (
        clerk.get(f"/admin/administration/application/{draft}/datei/{upload}/").status_code == 404
    )
    assert (
        clerk.get(f"/admin/administration/application/{pk}/datei/x{upload[1:]}/").status_code == 404
    )
    assert clerk.post(f"/admin/administration/application/{pk}/delete/").status_code == 403
    citizen = Client()
    citizen.force_login(case["submitted"].applicant)
    assert citizen.get(f"/admin/administration/application/{pk}/datei/{upload}/").status_code == 302
    assert not AuditEvent.objects.exists()


def test_a_read_stays_recorded_when_the_request_rolls_back(case: dict[str, Any]) -> None:
    request = RequestFactory().get("/")
    reader = User.objects.create_user("clerk.kita")
    with pytest.raises(RuntimeError), transaction.atomic():
        found = access.read_as(case["submitted"], reader, "case", request)
        Application.objects.filter(pk=found.pk).update(data={})
        raise RuntimeError("the request fails after the read")
    assert Application.objects.get(pk=case["submitted"].pk).data == {"kind": {"vorname": "Mia"}}
    assert AuditEvent.objects.filter(object_id=case["submitted"].public_id).count() == 1
