"""The counter in Chromium: a clerk logs in with password and an authenticator app's code
(TOTP), records a paper application (a wrong scan first, then the PDF), prints its
acknowledgement, and starts an entry at the counter into the service's own steps; the
citizen then adds the paper application to their account with the printed code. axe-core
finds no WCAG 2.1 AA violation on any page visited, at 1280x800 and 360x740, nothing
scrolls sideways and nothing is loaded from another host."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from smartcity.administration.counter.services import claim_code
from smartcity.administration.models import Application
from smartcity.core import roles
from smartcity.core.models import Registration
from tests.administration.applying.factories import PDF, PNG
from tests.browser.conftest import RecordedPage
from tests.browser.pages import PASSWORD, SIZES, clean, log_in, press
from tests.core.accounts.test_login import totp_code

# the clerk's and the co-signer's reads go into the audit log (its own store alias)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "audit"]),
]


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def clerk_device(transactional_db: None) -> TOTPDevice:
    from smartcity.administration.demo import load_demo

    load_demo()
    users = get_user_model().objects
    clerk = users.create_user("schalter@hamm.example", "schalter@hamm.example", PASSWORD)
    roles.grant(clerk, "clerk", "familienbuero")
    citizen = users.create_user("aylin", "aylin.demir@example.org", PASSWORD)
    Registration.objects.create(user=citizen, confirmed_at=timezone.now())
    return TOTPDevice.objects.create(user=clerk, name="App", confirmed=True)


def staff_login(page: RecordedPage, device: TOTPDevice) -> None:
    p = page.page
    p.goto(page.base_url + "/service/schalter/")
    clean(page, "login")
    log_in(p, "schalter@hamm.example")
    expect(p.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    clean(page, "second factor")
    p.get_by_label("Code").fill(totp_code(device))
    press(p, "Bestätigen")
    expect(p.get_by_role("heading", level=1)).to_have_text("Schalter: Anträge erfassen")
    clean(page, "counter")


def fill_identity(p) -> None:
    p.get_by_label("Vorname").fill("Aylin")
    p.get_by_label("Familienname").fill("Demir")
    p.get_by_label("Straße und Hausnummer").fill("Theodor-Heuss-Platz 16")
    p.get_by_label("Postleitzahl").fill("59065")
    p.get_by_label("Ort").fill("Hamm")
    p.get_by_label("E-Mail-Adresse (freiwillig)").fill("aylin.demir@example.org")


def record_paper(page: RecordedPage) -> str:
    """A paper application, refused once for its scan; its reference."""
    p = page.page
    p.get_by_role("link", name=re.compile(r"^Papierantrag erfassen\s*: Kita-Platz$")).click()
    clean(page, "paper")
    press(p, "Papierantrag abschicken")  # nothing filled in
    expect(p.get_by_role("alert")).to_contain_text("Bitte geben Sie „Vorname“ an.")
    clean(page, "paper with errors")
    fill_identity(p)
    p.get_by_label("Scan des Papierantrags").set_input_files(
        {"name": "antrag.pdf", "mimeType": "application/pdf", "buffer": PNG}  # an image
    )
    press(p, "Papierantrag abschicken")
    expect(p.locator("#f-scan-error")).to_be_visible()
    assert Application.objects.count() == 0
    clean(page, "paper with a refused scan")
    p.get_by_label("Scan des Papierantrags").set_input_files(
        {"name": "antrag.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    press(p, "Papierantrag abschicken")
    reference = p.locator(".reference").inner_text()
    assert re.fullmatch(r"ANTRAG-\d{4}-000001", reference)
    clean(page, "paper done")
    return reference


def printed_code(page: RecordedPage, reference: str) -> str:
    p = page.page
    with p.expect_download() as download:
        p.get_by_role("link", name="Eingangsbestätigung als PDF herunterladen").click()
    with open(download.value.path(), "rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF-")
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages)
    code = claim_code(Application.objects.get(reference=reference))
    assert reference in text and "Aylin Demir" in text and code in text
    assert "keine Angabe" not in text  # a paper application's answers are on its scan
    return code


def start_at_the_counter(page: RecordedPage) -> None:
    p = page.page
    page.open("/service/schalter/")
    p.get_by_role("link", name=re.compile(r"^Antrag aufnehmen\s*: Kita-Platz$")).click()
    clean(page, "counter identity")
    fill_identity(p)
    press(p, "Weiter zum Antrag")
    expect(p.get_by_text("Am Schalter erfasst für Aylin Demir")).to_be_visible()
    clean(page, "counter step 1")
    draft = Application.objects.get(channel=Application.COUNTER)
    assert draft.data["anschrift"] == {"ort": "Hamm"}  # the form's default


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_a_clerk_records_a_paper_application_and_the_citizen_claims_it(
    page: RecordedPage, browser, clerk_device: TOTPDevice, size
) -> None:
    page.set_viewport(size)
    staff_login(page, clerk_device)
    reference = record_paper(page)
    code = printed_code(page, reference)
    start_at_the_counter(page)
    context = browser.new_context(viewport=size, locale="de-DE")
    try:
        citizen = RecordedPage(context.new_page(), page.base_url)
        q = citizen.page
        q.goto(page.base_url + "/service/meine-antraege/")
        log_in(q, "aylin")
        q.get_by_role("link", name=re.compile("Einen Antrag hinzufügen")).click()
        clean(citizen, "claim")
        q.get_by_label("Code von der Eingangsbestätigung").fill("AAAA-BBBB-CCCC")
        press(q, "Antrag hinzufügen")
        expect(q.get_by_role("alert")).to_contain_text("keinen Antrag")
        clean(citizen, "claim refused")
        q.get_by_label("Code von der Eingangsbestätigung").fill(code)
        press(q, "Antrag hinzufügen")
        expect(q.get_by_text(reference)).to_be_visible()
        clean(citizen, "claimed")
    finally:
        context.close()
