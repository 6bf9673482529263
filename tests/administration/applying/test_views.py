"""Applying through HTTP (Django's test client): the steps, uploads, submitting with a
reference number, the acknowledgement, and each abuse: guessed ids, CSRF, tampered and
expired guest links, co-signing one's own application, the limits."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from smartcity.administration.models import Application, Upload
from tests.administration.applying import helpers
from tests.administration.applying.factories import PNG, make_service, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return make_service()


@pytest.fixture
def parent(client, service):
    user = make_user()
    client.force_login(user)
    return user


def test_a_parent_applies_in_three_steps_and_gets_a_reference(
    client, parent, django_capture_on_commit_callbacks
):
    public_id = helpers.start(client)
    application = Application.objects.get(public_id=public_id)
    assert application.data == {"kontakt": {"email": "mutter@example.org"}}  # x-prefill
    helpers.fill(client, public_id)
    review = client.get(f"/service/antrag/{public_id}/pruefen/")
    assert review.status_code == 200 and "bescheinigung.pdf" in review.content.decode()
    assert "35 Stunden" in review.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = helpers.submit(client, public_id)
    assert answer.status_code == 302 and answer["Location"].endswith("/eingegangen/")
    application.refresh_from_db()
    assert re.fullmatch(r"KITA-20\d\d-000001", application.reference)
    assert application.status == "submitted" and application.submitted
    done = client.get(answer["Location"]).content.decode()
    assert application.reference in done
    (message,) = mail.outbox
    assert application.reference in message.subject and message.to == ["mutter@example.org"]
    pdf = client.get(f"/service/meine-antraege/{public_id}/eingangsbestaetigung.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    document = PdfReader(io.BytesIO(pdf.content))
    assert b'pdfaid:part="3"' in document.trailer["/Root"]["/Metadata"].get_object().get_data()
    text = document.pages[0].extract_text()
    assert application.reference in text and "Mia" in text and "35 Stunden" in text


def test_submitting_twice_gives_one_reference(client, parent, django_capture_on_commit_callbacks):
    public_id = helpers.start(client)
    helpers.fill(client, public_id)
    with django_capture_on_commit_callbacks(execute=True):
        helpers.submit(client, public_id)
        again = helpers.submit(client, public_id)
    assert again.status_code == 302
    assert Application.objects.exclude(reference=None).count() == 1 and len(mail.outbox) == 1


def test_an_incomplete_application_cannot_be_submitted(client, parent):
    public_id = helpers.start(client)
    answer = helpers.submit(client, public_id)
    assert answer.status_code == 400 and "Es fehlen noch Angaben" in answer.content.decode()
    assert Application.objects.get(public_id=public_id).status == "draft"


def test_a_step_is_reached_only_after_the_one_before(client, parent):
    public_id = helpers.start(client)
    answer = client.get(f"/service/antrag/{public_id}/schritt/kontakt/")
    assert answer.status_code == 302 and answer["Location"].endswith("/schritt/kind/")
    assert client.get(f"/service/antrag/{public_id}/schritt/gibtsnicht/").status_code == 404


def test_save_and_resume_keeps_unfinished_input(client, parent):
    public_id = helpers.start(client)
    answer = client.post(
        f"/service/antrag/{public_id}/schritt/kind/",
        {"kind.vorname": "Mia", "kind.geburtsdatum": "gestern", "_action": "speichern"},
    )
    assert answer.status_code == 302 and answer["Location"].endswith("/gespeichert/")
    page = client.get(f"/service/antrag/{public_id}/schritt/kind/").content.decode()
    assert 'value="Mia"' in page and 'value="gestern"' in page
    listing = client.get("/service/meine-antraege/").content.decode()
    assert "Kita-Platz" in listing and "Entwurf" in listing


def test_list_entries_are_added_without_javascript(client, parent):
    public_id = helpers.start(client)
    url = f"/service/antrag/{public_id}/schritt/kind/"
    page = client.post(
        url, {"geschwister.__count": "1", "geschwister.0": "Ben", "_add": "geschwister"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="geschwister.1"' in html and 'value="Ben"' in html


def test_uploads_are_checked_by_content(client, parent):
    public_id = helpers.start(client)
    helpers.fill(client, public_id)
    url = f"/service/antrag/{public_id}/schritt/betreuung/"
    disguised = helpers.upload(b"MZ\x90\x00 not a pdf", "bescheinigung.pdf")
    answer = client.post(
        url, {"betreuung": "35", "beginn": "2026-08-01", "nachweis": disguised, "_action": "weiter"}
    )
    assert answer.status_code == 400 and "nicht annehmen" in answer.content.decode()
    big = helpers.upload(b"%PDF-" + b"0" * 2_100_000)
    answer = client.post(
        url, {"betreuung": "35", "beginn": "2026-08-01", "nachweis": big, "_action": "weiter"}
    )
    assert answer.status_code == 400 and "zu groß" in answer.content.decode()
    answer = client.post(
        url,
        {
            "betreuung": "35",
            "beginn": "2026-08-01",
            "nachweis": helpers.upload(PNG, "scan.png"),
            "_action": "weiter",
        },
    )
    assert answer.status_code == 302
    (upload,) = Upload.objects.all()  # the new file replaced the first one
    assert upload.media_type == "image/png" and upload.original_name == "scan.png"
    assert len(upload.sha256) == 64 and upload.size == len(PNG)


def test_another_persons_application_and_upload_are_a_404(client, parent):
    public_id = helpers.start(client)
    helpers.fill(client, public_id)
    upload = Upload.objects.get()
    own = client.get(f"/service/meine-antraege/{public_id}/dateien/{upload.public_id}/")
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    assert own["Content-Type"] == "application/pdf" and "attachment" in own["Content-Disposition"]
    other = Client()
    other.force_login(make_user("vater", "vater@example.org"))
    anonymous = Client()
    for someone in (other, anonymous):
        for path in (
            f"/service/antrag/{public_id}/schritt/kind/",
            f"/service/antrag/{public_id}/pruefen/",
            f"/service/meine-antraege/{public_id}/",
            f"/service/meine-antraege/{public_id}/dateien/{upload.public_id}/",
        ):
            assert someone.get(path).status_code == 404, path
        assert someone.post(f"/service/antrag/{public_id}/absenden/").status_code == 404
    guessed = f"/service/meine-antraege/{public_id}/dateien/{upload.public_id[:-1]}x/"
    assert client.get(guessed).status_code == 404
    assert client.get("/service/meine-antraege/1/").status_code == 404


def test_posts_need_the_csrf_token(service):
    checking = Client(enforce_csrf_checks=True)
    checking.force_login(make_user())
    assert checking.post("/service/antrag/kita-platz/").status_code == 403
    assert Application.objects.count() == 0


def test_a_service_without_guests_needs_an_account(client, service):
    answer = client.post("/service/antrag/kita-platz/", {"email": "gast@example.org"})
    assert answer.status_code == 302 and "next=" in answer["Location"]
    assert Application.objects.count() == 0
    assert client.get("/service/antrag/gibt-es-nicht/").status_code == 404


def test_hostile_form_data_is_a_4xx_never_a_500(client, parent, settings):
    public_id = helpers.start(client)
    url = f"/service/antrag/{public_id}/schritt/kind/"
    for post in (
        {"kind.vorname": "\x00" * 50},
        {"geschwister.__count": "-5"},
        {"geschwister.__count": "x" * 5000},
        {"_remove": "geschwister.99999"},
        {"_add": "../../etc"},
        {"kind.geburtsdatum": "9999-99-99"},
    ):
        assert client.post(url, {**post, "_action": "weiter"}).status_code in (200, 400), post


def test_the_data_size_limit(client, parent, monkeypatch):
    monkeypatch.setenv("SMARTCITY_APPLY_MAX_DATA_BYTES", "80")
    public_id = helpers.start(client)
    answer = client.post(
        f"/service/antrag/{public_id}/schritt/kind/",
        {"kind.vorname": "M" * 60, "kind.geburtsdatum": "2024-01-01", "_action": "weiter"},
    )
    assert answer.status_code == 400 and "zu umfangreich" in answer.content.decode()


def test_the_start_limits(client, parent, monkeypatch):
    monkeypatch.setenv("SMARTCITY_APPLY_STARTS_PER_HOUR", "2")
    helpers.start(client)
    helpers.start(client)
    answer = client.post("/service/antrag/kita-platz/")
    assert answer.status_code == 429 and answer["Retry-After"]
    assert "später" in answer.content.decode()
    monkeypatch.setenv("SMARTCITY_APPLY_STARTS_PER_HOUR", "100")
    monkeypatch.setenv("SMARTCITY_APPLY_MAX_DRAFTS", "2")
    assert client.post("/service/antrag/kita-platz/").status_code == 429
    monkeypatch.setenv("SMARTCITY_APPLY_MAX_DRAFTS", "100")
    monkeypatch.setenv("SMARTCITY_APPLY_STARTS_PER_HOUR_PER_CLIENT", "2")
    other = Client()
    other.force_login(make_user("vater", "vater@example.org"))
    assert other.post("/service/antrag/kita-platz/").status_code == 429  # same address


def test_the_submission_limit(client, parent, monkeypatch):
    monkeypatch.setenv("SMARTCITY_APPLY_SUBMISSIONS_PER_HOUR", "1")
    first, second = helpers.start(client), helpers.start(client)
    for public_id in (first, second):
        helpers.fill(client, public_id)
    assert helpers.submit(client, first).status_code == 302
    answer = helpers.submit(client, second)
    assert answer.status_code == 429
    assert Application.objects.get(public_id=second).status == "draft"
