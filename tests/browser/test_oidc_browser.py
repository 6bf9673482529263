"""The login through the identity broker in a real browser, against the test provider (a
process of its own): the button on the login page, the provider's login and consent, back
logged in, logged out at both ends; axe-core's WCAG 2.1 AA rules on the platform's pages
of the way (login, refusal, logged out) at desktop and phone size."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from smartcity.core.models import OidcIdentity
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations
from tests.core.accounts.oidc.conftest import Broker, oidc, oidc_provider  # noqa: F401
from tests.oidc_provider.seed import PASSWORD

pytestmark = pytest.mark.browser


def _accessible(page: RecordedPage) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport(size)
        assert axe_violations(page) == [], f"at {size}"
        overflow = page.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"scrolls sideways at {size}"
    page.set_viewport(DESKTOP)


def test_an_oidc_login_and_logout_in_the_browser(page: RecordedPage, oidc: Broker) -> None:  # noqa: F811
    browser = page.page
    page.open("/konto/anmelden/")
    _accessible(page)
    browser.get_by_role("link", name="Mit BundID / Servicekonto anmelden").click()

    browser.wait_for_url(re.compile(r".*/accounts/login/.*"))  # the provider's own form
    browser.get_by_label("Benutzername").fill("erika")
    browser.get_by_label("Passwort").fill(PASSWORD)
    browser.get_by_role("button", name="Anmelden").click()
    browser.get_by_role("button", name="Authorize").click()

    browser.wait_for_url(page.base_url + "/")
    expect(browser.get_by_role("link", name="Abmelden")).to_be_visible()
    assert OidcIdentity.objects.get().user.first_name == "Erika"

    browser.get_by_role("link", name="Abmelden").click()
    browser.get_by_role("button", name="Jetzt abmelden").click()
    browser.wait_for_url(re.compile(r".*/konto/oidc/abgemeldet/.*"))
    expect(browser.get_by_role("heading", level=1)).to_have_text("Sie sind abgemeldet")
    _accessible(page)
    # outside the provider, the browser only ever spoke to the platform
    provider = oidc.issuer.removesuffix("/o") + "/"
    assert [u for u in page.foreign_requests() if not u.startswith(provider)] == []


def test_a_refused_return_is_an_accessible_page(page: RecordedPage, oidc: Broker) -> None:  # noqa: F811
    response = page.page.goto(page.base_url + "/konto/oidc/rueckkehr/?code=x&state=forged")
    assert response is not None and response.status == 400
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Anmeldung nicht möglich")
    _accessible(page)
