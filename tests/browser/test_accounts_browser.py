"""Logging in in a real browser: a staff login with an authenticator app's code (computed
from the device's key), a passkey set up and then used with Chromium's virtual
authenticator (CDP WebAuthn), and axe-core's WCAG 2.1 AA rules on the login,
registration and enrolment pages at desktop and phone size."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations
from tests.core.accounts.test_login import totp_code

pytestmark = pytest.mark.browser
PASSWORD = "ein-langes-test-passwort-2026"


@pytest.fixture(autouse=True)
def passkeys_for_the_live_server(settings: Any, live_server: Any) -> None:
    """Passkeys belong to the origin the browser sees: the live server's."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def log_in(page: Page, base_url: str, username: str, next_path: str = "/") -> None:
    page.goto(f"{base_url}/konto/anmelden/?next={next_path}")
    page.get_by_label("E-Mail-Adresse oder Benutzername").fill(username)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()


def pass_totp(page: Page, device: TOTPDevice) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Bestätigen", exact=True).click()


def test_a_staff_login_with_the_apps_code(page: RecordedPage) -> None:
    User.objects.create_superuser("verwaltung", "v@example.org", PASSWORD)
    device = TOTPDevice.objects.create(user=User.objects.get(), name="app", confirmed=True)
    log_in(page.page, page.base_url, "verwaltung", "/admin/")
    pass_totp(page.page, device)
    expect(page.page.get_by_role("heading", name="Übersicht")).to_be_visible()
    assert page.page.url == page.base_url + "/admin/"


def test_a_passkey_set_up_and_then_used(page: RecordedPage) -> None:
    cdp = page.page.context.new_cdp_session(page.page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    User.objects.create_user("clerk@hamm.example", "clerk@hamm.example", PASSWORD, is_staff=True)
    log_in(page.page, page.base_url, "clerk@hamm.example", "/admin/")
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    page.page.get_by_role("button", name="Passkey einrichten").click()
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Wiederherstellungscodes")
    assert WebAuthnCredential.objects.filter(confirmed=True).count() == 1
    page.page.get_by_role("button", name="Neue Codes erzeugen").click()
    expect(page.page.locator(".recovery-codes li")).to_have_count(10)

    page.page.goto(page.base_url + "/konto/abmelden/")
    page.page.get_by_role("button", name="Jetzt abmelden").click()
    log_in(page.page, page.base_url, "clerk@hamm.example", "/admin/")
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    page.page.get_by_role("button", name="Mit Passkey bestätigen").click()
    page.page.wait_for_url(re.compile(r".*/admin/$"))
    expect(page.page.get_by_role("heading", name="Übersicht")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violations_on_the_account_pages(
    page: RecordedPage, viewport: dict[str, int]
) -> None:
    page.set_viewport(viewport)
    for path in ("/konto/anmelden/", "/konto/registrieren/", "/konto/passwort-vergessen/"):
        page.open(path)
        assert axe_violations(page) == [], path
    page.page.get_by_label("E-Mail-Adresse").fill("kein-at")
    page.page.get_by_role("button", name="Link senden").click()  # a page with errors
    assert axe_violations(page) == []
    User.objects.create_user("clerk@hamm.example", "clerk@hamm.example", PASSWORD, is_staff=True)
    log_in(page.page, page.base_url, "clerk@hamm.example")
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    overflow = page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert page.foreign_requests() == []
