"""The E-Akte page of the back office in Chromium, at desktop and phone size: a clerk
(past the second factor) adds a document, sees its version and writes a note; the page
has no axe-core (WCAG 2.1 AA) violation, does not scroll sideways and loads nothing
from another host."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from smartcity.administration.casefile import services
from smartcity.administration.models import Application
from smartcity.core import roles
from smartcity.core.models import Team
from tests.administration.applying.factories import PDF, make_service, make_user
from tests.browser.conftest import RecordedPage
from tests.browser.pages import SIZES, clean
from tests.staff import verified_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
]


@pytest.fixture(autouse=True)
def blobs_elsewhere(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("SMARTCITY_STORAGE_LOCAL_DIR", str(tmp_path / "blobs"))


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_the_case_file_page_is_clean_and_fits(page: RecordedPage, size, tmp_path) -> None:
    service = make_service()
    service.team = Team.objects.create(key="familienbuero", name="Familienbüro")
    service.file_plan = "51.20.01"
    service.save(update_fields=["team", "file_plan"])
    application = Application.objects.create(
        service=service, applicant=make_user(), status=Application.SUBMITTED,
        reference="KITA-2026-000001", submitted=timezone.now(), data={},
    )  # fmt: skip
    clerk = make_user("sachbearbeiterin", "clerk@stadt.example")
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    roles.grant(clerk, "clerk", "familienbuero")
    sample = tmp_path / "bescheid-mit-einem-sehr-langen-dateinamen-zum-testen.pdf"
    sample.write_bytes(PDF)
    services.add_note(application, text="Ein langer Vermerk " * 30, by=clerk)
    client = verified_login(Client(), clerk)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": page.base_url}]
    )
    page.set_viewport(size)
    p = page.page
    page.open(f"/admin/administration/application/{application.pk}/akte/")
    expect(p.get_by_text("51.20.01")).to_be_visible()
    clean(page, "case file")
    form = p.locator("form", has=p.get_by_role("heading", name="Neues Dokument"))
    form.get_by_label("Titel").fill("Bescheid über den Kita-Platz")
    form.get_by_label("Datei").set_input_files(str(sample))
    form.get_by_role("button", name="Speichern").click()
    p.wait_for_load_state()
    expect(p.get_by_text("In der E-Akte gespeichert.")).to_be_visible()
    expect(p.get_by_role("link", name=sample.name)).to_be_visible()
    clean(page, "case file with a document")
