"""Making a notice in the back office in a real browser (Chromium): the clerk opens
"Bescheid erstellen" from the application's page, sees the German error for a missing
template, delivers a notice, and the parent finds it in Meine Anträge. axe-core finds
nothing on the form at desktop and phone size, it does not scroll sideways at 360 px,
and no request leaves the host."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from smartcity.administration.models import Application, MailboxItem, NoticeTemplate
from smartcity.core import roles
from smartcity.core.models import Team
from tests.administration.applying.factories import make_service, make_user
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations
from tests.staff import verified_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
]


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _as(page: RecordedPage, client: Client) -> None:
    cookie = client.cookies["sessionid"].value
    page.page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": page.base_url}])


def _case(page: RecordedPage) -> tuple[Application, NoticeTemplate]:
    service = make_service()
    service.team = Team.objects.create(key="familienbuero", name="Familienbüro")
    service.save(update_fields=["team"])
    application = Application.objects.create(
        service=service, applicant=make_user(), status=Application.SUBMITTED,
        reference="KITA-2026-000009", submitted=timezone.now(), data={},
    )  # fmt: skip
    template = NoticeTemplate.objects.create(
        service=service, kind=NoticeTemplate.GRANTED, title="Bescheid $aktenzeichen",
        body="Bewilligt: $entscheidung", with_fees=False,
    )  # fmt: skip
    clerk = make_user("sachbearbeiterin", "clerk@stadt.example")
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    roles.grant(clerk, "clerk", "familienbuero")
    _as(page, verified_login(Client(), clerk))
    return application, template


def _clean_and_fits(page: RecordedPage, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], where + json.dumps(violations, indent=2, ensure_ascii=False)
    overflow = page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_clerk_delivers_a_notice(page: RecordedPage, viewport: dict[str, int]) -> None:
    application, template = _case(page)
    page.set_viewport(viewport)
    p = page.page
    page.open(f"/admin/administration/application/{application.pk}/change/")
    p.get_by_role("link", name="Bescheid erstellen").click()
    p.wait_for_load_state()
    _clean_and_fits(page, "notice form")
    p.get_by_role("button", name="Bescheid zustellen").click()  # no template chosen
    p.wait_for_load_state()
    expect(p.locator(".errorlist").first).to_contain_text("Bitte wählen Sie eine Vorlage.")
    _clean_and_fits(page, "notice form with an error")
    p.get_by_label("Vorlage").select_option(str(template.pk))
    p.get_by_label("Entscheidungstext").fill("Ab dem 1. August in der Kita Sonnenschein.")
    p.get_by_role("button", name="Bescheid zustellen").click()
    p.wait_for_load_state()
    expect(p.get_by_text("Der Bescheid ist zugestellt.")).to_be_visible()
    item = MailboxItem.objects.get()
    assert item.title == "Bescheid KITA-2026-000009" and item.kind == "notice"
    assert page.foreign_requests() == []
