"""The parent's whole journey in Chromium, on the demo catalogue: from "Ein Kind kommt zur
Welt" on /service/ to Kita-Platz, logging in, three steps with an upload, saving and
resuming from Meine Anträge, a second account co-signing from the invitation a real SMTP
server (aiosmtpd) received, submitting, paying the fee with the test provider (its own
process) and downloading the acknowledgement PDF. axe-core finds no WCAG 2.1 AA violation
on any platform page visited, at 1280x800 and 360x740, nothing scrolls sideways, and
nothing but the provider's payment page is loaded from another host.

The demo's Kita-Platz is free and asks for no second signature (a single parent must be
able to apply); the journey switches both on by data, as a city would in the back office:
``"cosign": true`` in its form and a fee schedule."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from smartcity.administration.models import Application, FeeSchedule, Payment, Service
from tests.administration.applying.factories import PDF
from tests.administration.payments.conftest import city_account as city_account
from tests.administration.payments.conftest import testprovider as testprovider
from tests.browser.conftest import RecordedPage
from tests.browser.pages import PASSWORD, SIZES, clean, log_in, press
from tests.browser.test_applying_browser import _body, _Inbox
from tests.browser.test_applying_browser import smtp_server as smtp_server

# the clerk's and the co-signer's reads go into the audit log (its own store alias)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
]
KITA_FEE = {"lines": [{"key": "bearbeitung", "label": "Bearbeitungsgebühr", "amount": 1000}]}


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def kita(transactional_db: None) -> Service:
    from smartcity.administration.demo import load_demo

    load_demo()
    service = Service.objects.get(key="kita-platz")
    service.form = {**service.form, "cosign": True, "reference": "KITA"}
    service.save()
    FeeSchedule.objects.create(service=service, rules=KITA_FEE)
    users = get_user_model().objects
    users.create_user("sarah", "sarah.kaya@example.org", PASSWORD, first_name="Sarah",
                      last_name="Kaya")  # fmt: skip
    users.create_user("deniz", "deniz.kaya@example.org", PASSWORD, first_name="Deniz")
    return service


def find_the_kita_place(page: RecordedPage) -> None:
    p = page.page
    page.open("/")
    p.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Service").click()
    clean(page, "catalogue")
    p.get_by_role("link", name="Ein Kind kommt zur Welt").click()
    clean(page, "life situation")
    p.get_by_role("link", name="Kita-Platz", exact=True).click()
    expect(p.get_by_role("heading", level=1, name="Kita-Platz")).to_be_visible()
    clean(page, "service")
    p.get_by_role("link", name="Online beantragen").click()
    clean(page, "login")
    log_in(p, "sarah")
    expect(p.get_by_role("heading", level=1)).to_have_text("Kita-Platz beantragen")
    clean(page, "start")


def fill_and_save(page: RecordedPage) -> None:
    """Steps one and two complete; step three half, with the upload, saved."""
    p = page.page
    press(p, "Antrag beginnen")
    p.get_by_label("Vorname(n)").fill("Emil")
    p.get_by_label("Familienname").fill("Kaya")
    p.get_by_label("Geburtsdatum").fill("2025-03-14")
    clean(page, "step 1")
    press(p, "Weiter")
    p.get_by_label("Ab wann brauchen Sie den Platz?").fill("2026-08-01")
    p.get_by_label("35 Stunden pro Woche").check()
    clean(page, "step 2")
    press(p, "Weiter")
    expect(p.get_by_label("Vorname(n)")).to_have_value("Sarah")  # from the account
    p.get_by_label("Arbeitgeberbescheinigung").set_input_files(
        {"name": "arbeitszeit.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    clean(page, "step 3")
    press(p, "Speichern und später weitermachen")
    expect(p.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist gespeichert")
    clean(page, "saved")


def resume(page: RecordedPage) -> None:
    p = page.page
    page.open("/service/meine-antraege/")
    clean(page, "mine")
    p.get_by_role("link", name="Kita-Platz").click()
    clean(page, "mine detail")
    p.get_by_role("link", name="Antrag weiter bearbeiten").click()
    expect(p.get_by_role("alert")).to_be_visible()  # the address is still missing
    clean(page, "review, incomplete")
    p.get_by_role("alert").get_by_role("link").first.click()
    expect(p.get_by_text("arbeitszeit.pdf")).to_be_visible()  # the upload was kept
    p.get_by_label("Straße und Hausnummer").fill("Theodor-Heuss-Platz 16")
    p.get_by_label("Postleitzahl").fill("59065")
    press(p, "Weiter zur Prüfung")
    expect(p.get_by_text("35 Stunden pro Woche")).to_be_visible()
    clean(page, "review")


def co_sign(page: RecordedPage, browser: Browser, inbox: _Inbox, size: dict) -> None:
    p = page.page
    p.get_by_label("E-Mail-Adresse der zweiten Person").fill("deniz.kaya@example.org")
    press(p, "Einladung senden")
    expect(p.get_by_text("Die Einladung ist verschickt.")).to_be_visible()
    clean(page, "invited")
    invitation = inbox.messages[-1]
    assert invitation.rcpt_tos == ["deniz.kaya@example.org"]
    link = re.search(r"http://\S+/service/antrag/mitzeichnen/\S+/", _body(invitation))
    assert link
    context = browser.new_context(viewport=size, locale="de-DE")
    try:
        other = RecordedPage(context.new_page(), page.base_url)
        other.page.goto(link.group(0))
        log_in(other.page, "deniz")
        expect(other.page.get_by_role("heading", level=1)).to_have_text("Antrag mitzeichnen")
        clean(other, "co-sign")
        press(other.page, "Angaben bestätigen und mitzeichnen")
        expect(other.page.get_by_role("status")).to_contain_text("mitgezeichnet")
        clean(other, "co-signed")
    finally:
        context.close()


def submit_and_pay(page: RecordedPage, provider: str) -> str:
    p = page.page
    page.open(p.url.removeprefix(page.base_url))  # a GET: a reload would invite again
    press(p, "Antrag abschicken")
    reference = p.locator(".reference").inner_text()
    assert re.fullmatch(r"KITA-\d{4}-000001", reference)
    expect(p.get_by_text("10,00 €")).to_be_visible()
    clean(page, "done")
    p.get_by_role("link", name="Gebühr jetzt bezahlen").click()
    expect(p.locator("#total")).to_have_text("10,00 €")
    clean(page, "pay")
    p.get_by_label("Testzahlung (Online)").check()
    press(p, "Weiter zum Bezahlen")
    expect(p.get_by_role("heading", name="Testzahlung")).to_be_visible()  # the provider's
    press(p, "Jetzt bezahlen")
    expect(p.get_by_role("heading", level=1)).to_have_text(
        "Vielen Dank, Ihre Zahlung ist eingegangen"
    )
    clean(page, "paid", provider)
    return reference


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_a_parent_applies_for_a_kita_place_from_start_to_paid(
    page: RecordedPage, browser: Browser, kita: Service, smtp_server: _Inbox, testprovider, size
) -> None:
    page.set_viewport(size)
    find_the_kita_place(page)
    fill_and_save(page)
    resume(page)
    co_sign(page, browser, smtp_server, size)
    reference = submit_and_pay(page, testprovider.url)
    application = Application.objects.get(reference=reference)
    assert application.cosigner is not None and application.cosigner.first_name == "Deniz"
    assert Payment.objects.get(case_ref=reference).status == Payment.COMPLETED
    p = page.page
    page.open(f"/service/meine-antraege/{application.public_id}/")
    with p.expect_download() as download:
        p.get_by_role("link", name="Eingangsbestätigung als PDF herunterladen").click()
    with open(download.value.path(), "rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF-")
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages)
    assert reference in text and "Emil" in text
    assert reference in _body(smtp_server.messages[-1])  # the acknowledgement by e-mail
