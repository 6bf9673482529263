"""The "Bearbeitungsstand" box on the back office's application page in a real browser
(Chromium): a clerk moves the case on with its button, then asks for a document with
the deadline field; axe-core finds nothing in the box at desktop and phone size, the box
fits 360 px, and no request leaves the host. The parent then reads the new state in
plain language in Meine Anträge."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from smartcity.administration.models import Application, CaseState
from smartcity.core import roles
from smartcity.core.models import Team
from tests.administration.applying.factories import make_service, make_user
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import AXE_TAGS, AXE_URL
from tests.staff import verified_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
]
BOX = "fieldset[aria-labelledby=workflow-heading]"


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _box_clean(page: RecordedPage, where: str) -> None:
    page.page.add_script_tag(url=page.base_url + AXE_URL)
    result = page.page.evaluate(
        "async ([box, tags]) => await axe.run(box, {runOnly: {type: 'tag', values: tags}})",
        [BOX, AXE_TAGS],
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == [], where + json.dumps(violations, indent=2)


def _box_fits(page: RecordedPage, where: str) -> None:
    overflow = page.page.evaluate(
        "(box) => { const b = document.querySelector(box);"
        " return b.getBoundingClientRect().right - document.documentElement.clientWidth; }",
        BOX,
    )
    assert overflow <= 0, f"{where}: the box sticks out by {overflow}px"


def _login(page: RecordedPage, user) -> None:
    client = verified_login(Client(), user)
    page.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_clerk_moves_the_case_on(page: RecordedPage, viewport: dict[str, int]) -> None:
    service = make_service()
    service.team = Team.objects.create(key="familienbuero", name="Familienbüro")
    service.save(update_fields=["team"])
    parent = make_user()
    application = Application.objects.create(
        service=service, applicant=parent, status=Application.SUBMITTED,
        reference="KITA-2026-000001", submitted=timezone.now(), data={},
    )  # fmt: skip
    clerk = make_user("sachbearbeiterin", "clerk@stadt.example")
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    roles.grant(clerk, "clerk", "familienbuero")
    _login(page, clerk)
    page.set_viewport(viewport)
    p = page.page
    page.open(f"/admin/administration/application/{application.pk}/change/")
    expect(p.locator(BOX)).to_contain_text("Eingegangen")
    _box_clean(page, "received")
    _box_fits(page, "received")
    p.get_by_role("button", name="Weiter zu: Vollständigkeitsprüfung").click()
    p.wait_for_load_state()
    expect(p.locator(BOX)).to_contain_text("Vollständigkeitsprüfung")
    _box_clean(page, "check")
    _box_fits(page, "check")
    p.get_by_label("Was fehlt").fill("Geburtsurkunde")
    p.get_by_label("Frist").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    p.get_by_role("button", name="Weiter zu: Unterlagen nachgefordert").click()
    p.wait_for_load_state()
    expect(p.locator(BOX)).to_contain_text("Unterlagen nachgefordert")
    assert CaseState.objects.get(application=application).state == "documents"
    assert application.document_requests.get().what == "Geburtsurkunde"
    assert page.foreign_requests() == []
    citizen = Client()
    citizen.force_login(parent)
    case_page = citizen.get(f"/service/meine-antraege/{application.public_id}/")
    assert "Wir warten auf Unterlagen von Ihnen." in case_page.content.decode()
