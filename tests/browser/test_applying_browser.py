"""Applying in a real browser (Chromium): a parent applies for a Kita place in three
steps with an upload, saves and resumes, submits and downloads the acknowledgement PDF;
a guest applies and resumes from the link a real SMTP server (aiosmtpd) received; every
page is clean under axe-core at desktop and phone size, and no request leaves the host."""

from __future__ import annotations

import email
import io
import json
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.administration.applying.factories import PDF, make_service, make_user
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.pages import SIZES, clean
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _clean(page: RecordedPage, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], where + json.dumps(violations, indent=2, ensure_ascii=False)


def _log_in(page: RecordedPage, name: str = "mutter") -> None:
    client = Client()
    client.force_login(make_user(name, f"{name}@example.org"))
    page.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )


def _step_one(p) -> None:
    p.get_by_label("Vorname").fill("Mia")
    p.get_by_label("Geburtsdatum").fill("2024-02-01")


def _step_two(p) -> None:
    p.get_by_label("35 Stunden").check()
    p.get_by_label("Gewünschter Beginn").fill("2026-08-01")
    p.get_by_label("Arbeitgeberbescheinigung").set_input_files(
        {"name": "bescheinigung.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )


def _step_three(p) -> None:
    p.get_by_label("Telefon").fill("02381 123456")
    p.get_by_label("Ich habe die Hinweise zum Datenschutz gelesen.").check()


def _press(p, name: str) -> None:
    p.get_by_role("button", name=name, exact=True).click()
    p.wait_for_load_state()


def test_a_parent_applies_saves_resumes_and_gets_the_pdf(page: RecordedPage) -> None:
    make_service()
    _log_in(page)
    p = page.page
    page.open("/service/antrag/kita-platz/")
    _clean(page, "start")
    _press(p, "Antrag beginnen")
    _press(p, "Weiter")  # nothing filled in: the error summary, linked to the fields
    summary = p.get_by_role("alert")
    expect(summary).to_contain_text("Bitte geben Sie „Vorname“ an.")
    _clean(page, "errors")
    summary.get_by_role("link", name="Bitte geben Sie „Vorname“ an.").click()
    expect(p.get_by_label("Vorname")).to_be_focused()
    _step_one(p)
    _press(p, "Weitere hinzufügen")
    p.get_by_label("Geschwister in der Kita, Angabe 2").fill("Ben")
    _press(p, "Weiter")
    expect(p.get_by_role("heading", level=1)).to_have_text("Betreuung")
    _step_two(p)
    _press(p, "Speichern und später weitermachen")
    expect(p.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist gespeichert")
    _clean(page, "saved")
    page.open("/service/meine-antraege/")
    _clean(page, "mine")
    p.get_by_role("link", name="Kita-Platz").click()
    p.get_by_role("link", name="Antrag weiter bearbeiten").click()
    expect(p.get_by_role("alert")).to_be_visible()  # Angaben prüfen: still incomplete
    p.get_by_role("link", name=re.compile("Betreuungsumfang")).click()
    expect(p.get_by_text("bescheinigung.pdf")).to_be_visible()  # the upload was kept
    expect(p.get_by_label("35 Stunden")).to_be_checked()
    _press(p, "Weiter")
    expect(p.get_by_label("E-Mail")).to_have_value("mutter@example.org")  # x-prefill
    _step_three(p)
    _clean(page, "step 3")
    _press(p, "Weiter zur Prüfung")
    expect(p.get_by_text("35 Stunden")).to_be_visible()
    _clean(page, "review")
    _press(p, "Antrag abschicken")
    reference = p.locator(".reference").inner_text()
    assert re.fullmatch(r"KITA-\d{4}-000001", reference)
    _clean(page, "done")
    with p.expect_download() as download:
        p.get_by_role("link", name="Eingangsbestätigung als PDF herunterladen").click()
    with open(download.value.path(), "rb") as file:
        text = PdfReader(io.BytesIO(file.read())).pages[0].extract_text()
    assert reference in text and "Ben" in text
    assert page.foreign_requests() == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pages_are_clean_and_fit(page: RecordedPage, viewport: dict[str, int]) -> None:
    make_service(cosign=True)
    _log_in(page)
    page.set_viewport(viewport)
    p = page.page
    page.open("/service/antrag/kita-platz/")
    _press(p, "Antrag beginnen")
    _press(p, "Weitere hinzufügen")
    for where, fill in (("step 1", _step_one), ("step 2", _step_two), ("step 3", _step_three)):
        p.get_by_role("button", name=re.compile("^Weiter")).last.click()  # with errors
        p.wait_for_load_state()
        _clean(page, where + " with errors")
        overflow = p.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"
        fill(p)
        p.get_by_role("button", name=re.compile("^Weiter")).last.click()
        p.wait_for_load_state()
    _clean(page, "review with co-signing")
    page.open("/service/meine-antraege/")
    _clean(page, "mine")


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def _body(envelope) -> str:
    message = email.message_from_bytes(envelope.content)
    return message.get_payload(decode=True).decode()


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
def test_a_guest_applies_and_resumes_from_the_e_mail(
    page: RecordedPage, browser: Browser, smtp_server: _Inbox, size: dict[str, int]
) -> None:
    make_service(guest=True)
    page.set_viewport(size)
    p = page.page
    page.open("/service/antrag/kita-platz/")
    clean(page, "guest start")
    _press(p, "Antrag beginnen")  # no address
    expect(p.get_by_role("alert")).to_contain_text("E-Mail-Adresse")
    clean(page, "guest start without an address")
    p.get_by_label("Ihre E-Mail-Adresse").fill("gast@example.org")
    _press(p, "Antrag beginnen")
    _step_one(p)
    clean(page, "guest step 1")
    _press(p, "Speichern und später weitermachen")
    clean(page, "guest saved")
    assert len(smtp_server.messages) == 2  # the link on start and again on saving
    link = re.search(r"http://\S+/service/antrag/weiter/\S+/", _body(smtp_server.messages[-1]))
    assert link and smtp_server.messages[-1].rcpt_tos == ["gast@example.org"]
    context = browser.new_context(viewport=size, locale="de-DE")  # another device
    other = RecordedPage(context.new_page(), page.base_url)
    other.page.goto(link.group(0))
    q = other.page
    expect(q.get_by_label("Vorname")).to_have_value("Mia")
    clean(other, "guest resumed")
    _press(q, "Weiter")
    _step_two(q)
    clean(other, "guest step 2")
    _press(q, "Weiter")
    q.get_by_label("E-Mail").fill("gast@example.org")
    _step_three(q)
    clean(other, "guest step 3")
    _press(q, "Weiter zur Prüfung")
    clean(other, "guest review")
    _press(q, "Antrag abschicken")
    clean(other, "guest done")
    reference = q.locator(".reference").inner_text()
    assert reference.startswith("KITA-")
    acknowledgement = _body(smtp_server.messages[-1])
    assert reference in acknowledgement
    context.close()
