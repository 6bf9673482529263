"""Paying a fee in Chromium with the test provider (its own process): the pay page, the
provider's page, back to "Vielen Dank"; and the bank transfer page with its GiroCode.
axe-core finds no WCAG 2.1 AA violation on the platform's payment pages, at desktop and
phone size, and they load nothing from another host."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from smartcity.administration.models import FeeSchedule, Payment, Service
from tests.administration.payments.conftest import CERTIFICATE_FEES, payment_of
from tests.administration.payments.conftest import city_account as city_account
from tests.administration.payments.conftest import testprovider as testprovider
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def payment(transactional_db: None) -> Payment:
    service = Service.objects.create(key="geburtsurkunde", name="Geburtsurkunde")
    FeeSchedule.objects.create(service=service, rules=CERTIFICATE_FEES)
    return payment_of(service)


def _clean(page: RecordedPage, provider: str = "") -> None:
    """No axe violation; nothing from another host but the provider's payment page."""
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    assert [url for url in page.foreign_requests() if not url.startswith(f"{provider}/pay/")] == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_paying_with_the_test_provider(
    page: RecordedPage,
    payment: Payment,
    testprovider,
    viewport,
) -> None:
    page.set_viewport(viewport)
    page.open(f"/service/zahlung/{payment.public_id}/")
    expect(page.page.locator("#total")).to_have_text("24,00 €")
    _clean(page)
    page.page.get_by_label("Testzahlung (Online)").check()
    page.page.get_by_role("button", name="Weiter zum Bezahlen").click()
    expect(page.page.get_by_role("heading", name="Testzahlung")).to_be_visible()
    page.page.get_by_role("button", name="Jetzt bezahlen").click()
    expect(page.page.get_by_role("heading", level=1)).to_have_text(
        "Vielen Dank, Ihre Zahlung ist eingegangen"
    )
    _clean(page, testprovider.url)
    payment.refresh_from_db()
    assert payment.status == Payment.COMPLETED


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_bank_transfer_page(page: RecordedPage, payment: Payment, viewport) -> None:
    page.set_viewport(viewport)
    page.open(f"/service/zahlung/{payment.public_id}/")
    page.page.get_by_label("Überweisung").check()
    page.page.get_by_role("button", name="Weiter zum Bezahlen").click()
    expect(page.page.locator("#iban")).to_have_text("DE02 1203 0000 0000 2020 51")
    expect(page.page.locator("svg.girocode")).to_be_visible()
    _clean(page)
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
