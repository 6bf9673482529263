"""The case file's page in the back office: a clerk of the team opens it from the
application (audited), adds a document, a new version and a note, downloads a version
(audited); bad input is a 400 with a German message; another team gets a 404."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from smartcity.administration.models import CaseNote, DocumentVersion
from smartcity.core.audit import AuditEvent
from tests.administration.applying.factories import PDF, PNG
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])

BASE = "/admin/administration/application"


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return verified_login(Client(), user)


def _file(data: bytes, name: str) -> io.BytesIO:
    found = io.BytesIO(data)
    found.name = name
    return found


def test_a_clerk_keeps_the_case_file(backend, application, clerk):
    office = _staff(clerk)
    change = office.get(f"{BASE}/{application.pk}/change/").content.decode()
    assert f"{BASE}/{application.pk}/akte/" in change
    page = f"{BASE}/{application.pk}/akte/"
    assert "Noch keine Dokumente" in office.get(page).content.decode()
    added = office.post(
        page,
        {"form": "document", "title": "Geburtsurkunde", "kind": "evidence",
         "file": _file(PDF, "urkunde.pdf")},
    )  # fmt: skip
    assert added.status_code == 302
    document = DocumentVersion.objects.get().document
    again = office.post(
        page, {"form": "version", "document": document.public_id, "file": _file(PNG, "s.png")}
    )
    assert again.status_code == 302
    noted = office.post(page, {"form": "note", "text": "Urkunde im Original gesehen"})
    assert noted.status_code == 302 and CaseNote.objects.get().author == clerk
    shown = office.get(page).content.decode()
    assert "Geburtsurkunde" in shown and "s.png" in shown and "im Original gesehen" in shown
    version = DocumentVersion.objects.get(number=2)
    answer = office.get(f"{page}version/{version.public_id}/")
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PNG
    assert "no-store" in answer["Cache-Control"]
    downloads = AuditEvent.objects.filter(action="download", object_id=version.public_id)
    assert downloads.count() == 1
    assert AuditEvent.objects.filter(object_type="administration.casefile").count() >= 4


def test_bad_input_is_a_400_with_a_message(application, clerk, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_STORAGE_LOCAL_DIR", str(tmp_path))
    office = _staff(clerk)
    page = f"{BASE}/{application.pk}/akte/"
    answer = office.post(
        page, {"form": "document", "title": "Bild", "kind": "other", "file": _file(PNG, "b.pdf")}
    )
    assert answer.status_code == 400 and "errornote" in answer.content.decode()
    assert office.post(page, {"form": "note", "text": ""}).status_code == 400
    assert office.post(page, {"form": "nonsense"}).status_code == 400
    missing = office.post(page, {"form": "version", "document": "nope", "file": _file(PDF, "a")})
    assert missing.status_code == 400
    assert not DocumentVersion.objects.exists() and not CaseNote.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_another_team_reaches_nothing(application, clerk, stranger_clerk, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_STORAGE_LOCAL_DIR", str(tmp_path))
    from smartcity.administration.casefile import services

    version = services.add_document(
        application, title="A", kind="other", file=_file(PDF, "a.pdf"), name="a.pdf", by=clerk
    )
    office = _staff(stranger_clerk)
    page = f"{BASE}/{application.pk}/akte/"
    assert office.get(page).status_code == 404
    assert office.post(page, {"form": "note", "text": "fremd"}).status_code == 404
    assert office.get(f"{page}version/{version.public_id}/").status_code == 404
    assert not CaseNote.objects.exists()
    assert not AuditEvent.objects.filter(actor_id=stranger_clerk.pk).exists()
