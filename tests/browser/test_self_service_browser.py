"""Mein Konto in a real browser (Chromium): a citizen finds it in the header, downloads
everything stored about them as JSON, and deletes the account with their password; each
page is clean under axe-core's WCAG 2.1 AA rules at desktop and phone size, fits 360 px
without scrolling sideways, and no request leaves the host."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from smartcity.core import roles
from smartcity.core.audit import AuditEvent
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
]
PASSWORD = "ein-langes-test-passwort-2026"
EMAIL = "lena@example.org"


def _clean(page: RecordedPage, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: " + json.dumps(violations, indent=2, ensure_ascii=False)
    overflow = page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where}: {overflow} px sideways"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_download_and_delete_in_mein_konto(page: RecordedPage, viewport: dict[str, int]) -> None:
    person = User.objects.create_user(EMAIL, EMAIL, PASSWORD, first_name="Lena")
    roles.grant(person, "citizen")
    page.set_viewport(viewport)
    p = page.page
    page.open("/konto/anmelden/")
    p.get_by_label("E-Mail-Adresse oder Benutzername").fill(EMAIL)
    p.get_by_label("Passwort", exact=True).fill(PASSWORD)
    p.get_by_role("button", name="Anmelden", exact=True).click()
    nav = p.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="Mein Konto").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    _clean(page, "Mein Konto")

    with p.expect_download() as download:
        p.get_by_role("link", name="Meine Daten herunterladen (JSON)").click()
    with open(download.value.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["core"]["account"]["email"] == EMAIL
    assert data["administration"]["applications"] == []
    assert download.value.suggested_filename.startswith("meine-daten-")

    p.get_by_role("link", name="Konto löschen …").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Konto löschen")
    _clean(page, "Konto löschen")
    p.get_by_label("Ihr Passwort").fill("nicht-das-passwort")
    p.get_by_role("button", name="Konto endgültig löschen").click()
    expect(p.get_by_text("Das Passwort stimmt nicht.")).to_be_visible()
    _clean(page, "Konto löschen, falsches Passwort")
    p.get_by_label("Ihr Passwort").fill(PASSWORD)
    p.get_by_role("button", name="Konto endgültig löschen").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Ihr Konto ist gelöscht")
    _clean(page, "Konto gelöscht")
    expect(p.get_by_role("link", name="Anmelden")).to_be_visible()  # logged out
    assert not User.objects.filter(username=EMAIL).exists()
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == ["delete", "export"]
    assert page.foreign_requests() == []
