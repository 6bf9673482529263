"""The case in Meine Anträge in a real browser (Chromium): the office (through the
service layer, as the back office will) asks for a missing document, writes and
delivers a notice; the parent sees it on the overview, uploads the document, reads the
message and downloads the notice. axe-core finds nothing at desktop and phone size, the
page does not scroll sideways at 360 px, and no request leaves the host."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from smartcity.administration.applying.case import services
from smartcity.administration.models import Application, DocumentRequest
from smartcity.core import roles
from smartcity.core.models import Team
from tests.administration.applying.factories import PDF, PNG, make_service, make_user
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _clean(page: RecordedPage, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], where + json.dumps(violations, indent=2, ensure_ascii=False)


def _fits(page: RecordedPage, where: str) -> None:
    overflow = page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"


def _case(page: RecordedPage):
    """A parent's submitted application, logged in in the page, and the team's clerk."""
    service = make_service()
    service.team = Team.objects.create(key="familienbuero", name="Familienbüro")
    service.save(update_fields=["team"])
    parent = make_user()
    application = Application.objects.create(
        service=service, applicant=parent, status=Application.SUBMITTED,
        reference="KITA-2026-000001", submitted=timezone.now(), data={},
    )  # fmt: skip
    clerk = make_user("sachbearbeiterin", "clerk@stadt.example")
    roles.grant(clerk, "clerk", "familienbuero")
    client = Client()
    client.force_login(parent)
    page.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )
    return application, clerk


def test_a_parent_answers_a_request_reads_a_message_and_downloads_the_notice(
    page: RecordedPage,
) -> None:
    application, clerk = _case(page)
    deadline = timezone.localdate() + timedelta(days=14)
    request = services.request_documents(application, clerk, "Eine Geburtsurkunde", deadline)
    services.post_message(application, clerk, "Bitte laden Sie die Urkunde hoch.")
    p = page.page
    page.open("/service/meine-antraege/")
    expect(p.get_by_text("1 fehlende Unterlage")).to_be_visible()
    expect(p.get_by_text("1 neue Nachricht")).to_be_visible()
    _clean(page, "overview")
    p.get_by_role("link", name="Kita-Platz").click()
    p.wait_for_load_state()
    expect(p.locator(".facts dd").first).to_have_text("Wir brauchen noch Unterlagen von Ihnen")
    expect(p.locator(".case-message").first).to_contain_text("Bitte laden Sie die Urkunde hoch.")
    _clean(page, "case page")
    p.get_by_label("Datei auswählen").set_input_files(
        {"name": "urkunde.png", "mimeType": "image/png", "buffer": PNG}
    )
    p.get_by_role("button", name="Hochladen").click()
    p.wait_for_load_state()
    expect(p.get_by_role("status")).to_have_text("Danke, Ihre Unterlagen sind angekommen.")
    request.refresh_from_db()
    assert request.status == DocumentRequest.ANSWERED
    expect(
        p.get_by_text("Zurzeit brauchen wir keine weiteren Unterlagen von Ihnen.")
    ).to_be_visible()
    _clean(page, "after the upload")
    p.get_by_label("Ihre Nachricht an das Amt").fill("Danke, ist hochgeladen.")
    p.get_by_role("button", name="Nachricht senden").click()
    p.wait_for_load_state()
    expect(p.locator(".case-message").last).to_contain_text("Danke, ist hochgeladen.")
    services.deliver(application, "Bescheid über den Kita-Platz", PDF, "notice", by=clerk)
    p.reload()
    expect(p.locator(".facts dd").first).to_have_text(
        "Entschieden: Der Bescheid liegt in Ihrem Postfach"
    )
    with p.expect_download() as download:
        p.get_by_role("link", name="Bescheid über den Kita-Platz").click()
    with open(download.value.path(), "rb") as file:
        assert file.read() == PDF
    assert download.value.suggested_filename == "bescheid-uber-den-kita-platz.pdf"
    assert page.foreign_requests() == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_case_pages_are_clean_and_fit(
    page: RecordedPage, viewport: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, clerk = _case(page)
    services.request_documents(application, clerk, "Ein Foto " * 30, timezone.localdate())
    services.post_message(application, clerk, "Eine lange Nachricht " * 40)
    services.deliver(
        application, "Ein Schreiben mit einem langen Titel " * 3, PDF, "letter", by=clerk
    )
    page.set_viewport(viewport)
    p = page.page
    page.open("/service/meine-antraege/")
    _clean(page, "overview")
    _fits(page, "overview")
    page.open(f"/service/meine-antraege/{application.public_id}/")
    _clean(page, "case page")
    _fits(page, "case page")
    p.get_by_role("button", name="Hochladen").click()  # no file chosen: the error
    p.wait_for_load_state()
    expect(p.get_by_text("Bitte wählen Sie eine Datei aus.")).to_be_visible()
    _clean(page, "upload error")
    _fits(page, "upload error")
    monkeypatch.setenv("SMARTCITY_CASE_MESSAGE_MAX_CHARS", "10")
    p.get_by_label("Ihre Nachricht an das Amt").fill("zu lang für zehn")
    p.get_by_role("button", name="Nachricht senden").click()
    p.wait_for_load_state()
    expect(p.locator("#f-text-error")).to_contain_text("höchstens 10 Zeichen")
    _clean(page, "message error")
    _fits(page, "message error")
