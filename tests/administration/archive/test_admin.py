"""The back office: a supervisor of the team gets the zip from the applications list's
action and sees the transfer; a clerk of the team is told no, and nothing is recorded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from smartcity.administration.models import ArchiveTransfer
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])

BASE = "/admin/administration/application/"


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return verified_login(Client(), user)


def _act(office, application):
    return office.post(
        BASE,
        {"action": "export_to_archive", "_selected_action": [application.pk]},
        follow=False,
    )


def test_a_supervisor_gets_the_zip_and_sees_the_transfer(application, supervisor):
    office = _staff(supervisor)
    answer = _act(office, application)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    transfer = ArchiveTransfer.objects.get()
    assert str(transfer.process_id) in answer["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))).namelist()
    assert f"{transfer.process_id}_Aussonderung.Aussonderung.0503.xml" in names
    listing = office.get("/admin/administration/archivetransfer/").content.decode()
    assert "KITA-2026-000001" in listing


def test_a_clerk_is_told_no(application, clerk):
    office = _staff(clerk)
    answer = _act(office, application)
    assert answer.status_code == 302
    shown = office.get(BASE).content.decode()
    assert "Das dürfen Sie bei diesem Antrag nicht." in shown
    assert not ArchiveTransfer.objects.exists()
    assert office.get("/admin/administration/archivetransfer/").status_code == 403
