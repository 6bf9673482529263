"""The back office: "Bescheid erstellen" on an application's page previews the PDF and
delivers it through the service layer; the print jobs list the notices on paper of the
clerk's teams; templates with unknown placeholders are refused by the admin's form; a
clerk of another team reaches none of it."""

from __future__ import annotations

import pytest
from django.test import Client

from smartcity.administration.models import Application, MailboxItem, NoticeTemplate, PrintJob
from smartcity.core import roles
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])

BASE = "/admin/administration/application"


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return verified_login(Client(), user)


def test_a_clerk_previews_and_delivers_a_notice(application, granted, clerk):
    office = _staff(clerk)
    page = office.get(f"{BASE}/{application.pk}/change/").content.decode()
    assert f"{BASE}/{application.pk}/bescheid/" in page and "Bescheid erstellen" in page
    form = office.get(f"{BASE}/{application.pk}/bescheid/")
    assert form.status_code == 200 and "$kassenzeichen" in form.content.decode()
    chosen = {"template": granted.pk, "decision": "Bewilligt."}
    preview = office.post(f"{BASE}/{application.pk}/bescheid/", {**chosen, "preview": "1"})
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF-") and not MailboxItem.objects.exists()
    sent = office.post(f"{BASE}/{application.pk}/bescheid/", {**chosen, "deliver": "1"})
    assert sent.status_code == 302 and MailboxItem.objects.get().kind == "notice"


def test_bad_input_is_a_400_with_a_message(application, granted, clerk, monkeypatch):
    office = _staff(clerk)
    answer = office.post(f"{BASE}/{application.pk}/bescheid/", {"template": "999"})
    assert answer.status_code == 400 and not MailboxItem.objects.exists()
    assert "Diese Vorlage gibt es für diese Leistung nicht." in answer.content.decode()
    monkeypatch.setenv("SMARTCITY_NOTICE_DECISION_MAX_CHARS", "3")
    answer = office.post(
        f"{BASE}/{application.pk}/bescheid/", {"template": granted.pk, "decision": "lang"}
    )
    assert answer.status_code == 400 and "zu lang" in answer.content.decode()


def test_a_clerk_of_another_team_reaches_nothing(application, granted, stranger_clerk):
    office = _staff(stranger_clerk)
    assert office.get(f"{BASE}/{application.pk}/bescheid/").status_code == 404
    answer = office.post(
        f"{BASE}/{application.pk}/bescheid/", {"template": granted.pk, "deliver": "1"}
    )
    assert answer.status_code == 404 and not MailboxItem.objects.exists()


def test_print_jobs_are_listed_opened_and_marked_printed(
    application, refused, clerk, stranger_clerk
):
    from smartcity.administration.notices import services

    Application.objects.filter(pk=application.pk).update(paper_mail=True)
    application.refresh_from_db()
    services.issue(application, refused, "Kein Platz.", by=clerk)
    job = PrintJob.objects.get()
    office = _staff(clerk)
    listing = office.get("/admin/administration/printjob/").content.decode()
    assert application.reference in listing
    document = office.get(f"/admin/administration/printjob/{job.pk}/pdf/")
    assert document.status_code == 200 and document.content.startswith(b"%PDF-")
    stranger = _staff(stranger_clerk)
    assert stranger.get(f"/admin/administration/printjob/{job.pk}/pdf/").status_code in (403, 404)
    marked = office.post(
        "/admin/administration/printjob/",
        {"action": "mark_printed", "_selected_action": [job.pk]},
    )
    assert marked.status_code == 302
    job.refresh_from_db()
    assert job.printed is not None and job.printed_by == clerk


def test_the_template_form_refuses_unknown_placeholders(service, clerk):
    editor = clerk
    roles.grant(editor, "admin")
    office = _staff(editor)
    answer = office.post(
        "/admin/administration/noticetemplate/add/",
        {"service": service.pk, "kind": "granted", "title": "Bescheid", "body": "Hallo $geheim",
         "remedy": "", "with_fees": "on", "recipient_field": "", "address_field": ""},
    )  # fmt: skip
    assert answer.status_code == 200 and "$geheim" in answer.content.decode()
    assert not NoticeTemplate.objects.exists()
