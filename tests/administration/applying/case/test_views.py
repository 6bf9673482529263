"""The case in Meine Anträge through HTTP: the page with status, history, messages,
requests and mailbox; replying, answering a request by upload, downloading a letter;
and the abuses: another person's case by URL, CSRF, too long, closed requests."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from smartcity.administration.applying.case import history, services
from smartcity.administration.models import Application, DocumentRequest
from tests.administration.applying.factories import PDF, PNG, make_user

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


@pytest.fixture
def browser(client, parent):
    client.force_login(parent)
    return client


def _page(client, application) -> str:
    answer = client.get(f"/service/meine-antraege/{application.public_id}/")
    assert answer.status_code == 200
    return answer.content.decode()


def _file(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_the_case_page_shows_status_history_messages_requests_and_mailbox(
    browser, application, clerk
):
    services.post_message(application, clerk, "Bitte schicken Sie uns die Urkunde.")
    services.request_documents(
        application, clerk, "Geburtsurkunde des Kindes", timezone.localdate() + timedelta(days=7)
    )
    services.deliver(application, "Schreiben zur Kita", PDF, "letter", by=clerk)
    page = _page(browser, application)
    assert "Wir brauchen noch Unterlagen von Ihnen" in page  # the status
    assert "Bitte schicken Sie uns die Urkunde." in page and "neu" in page
    assert "Geburtsurkunde des Kindes" in page and 'enctype="multipart/form-data"' in page
    assert "Schreiben zur Kita" in page
    history = page.split('id="history-title"')[1]
    assert history.index("In Ihrem Postfach") < history.index("Das Amt hat Ihnen")  # newest first
    assert application.messages.get().read is not None  # seen once shown


def test_the_overview_counts_what_is_new(browser, application, clerk):
    services.post_message(application, clerk, "eins")
    services.post_message(application, clerk, "zwei")
    services.deliver(application, "Bescheid", PDF, "notice", by=clerk)
    page = browser.get("/service/meine-antraege/").content.decode()
    assert "2 neue Nachrichten" in page and "1 neues Schreiben im Postfach" in page
    _page(browser, application)
    page = browser.get("/service/meine-antraege/").content.decode()
    assert "neue Nachrichten" not in page and "1 neues Schreiben im Postfach" in page


def test_the_overview_says_where_each_case_stands_as_its_page_does(
    browser, application, clerk, service, parent, django_assert_max_num_queries
):
    services.request_documents(application, clerk, "Nachweis", timezone.localdate())
    quiet = Application.objects.create(
        service=service, applicant=parent, status=Application.SUBMITTED, reference="X-2"
    )
    history.write(
        quiet, "status_changed", actor="system", data={"status": "Ihr Antrag wird bearbeitet."}
    )
    Application.objects.create(service=service, applicant=parent)  # a draft
    with django_assert_max_num_queries(12):  # not a few queries per application
        page = browser.get("/service/meine-antraege/").content.decode()
    for case in (application, quiet):
        assert history.status_of(case) in page
    assert "Wir brauchen noch Unterlagen von Ihnen" in page
    assert "Ihr Antrag wird bearbeitet." in page
    assert "Entwurf, noch nicht abgeschickt" in page


def test_a_reply_is_kept_and_a_long_one_is_a_400(browser, application, monkeypatch):
    answer = browser.post(
        f"/service/meine-antraege/{application.public_id}/nachricht/", {"text": "Danke!"}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("?ok=nachricht#nachrichten")
    assert (
        "Ihre Nachricht ist beim Amt angekommen."
        in browser.get(answer["Location"]).content.decode()
    )
    monkeypatch.setenv("SMARTCITY_CASE_MESSAGE_MAX_CHARS", "20")
    long = browser.post(
        f"/service/meine-antraege/{application.public_id}/nachricht/", {"text": "x" * 21}
    )
    assert long.status_code == 400
    assert "höchstens 20 Zeichen" in long.content.decode() and "x" * 21 in long.content.decode()
    assert application.messages.count() == 1


def test_replies_over_the_rate_limit_get_429(browser, application, monkeypatch):
    monkeypatch.setenv("SMARTCITY_CASE_MESSAGES_PER_HOUR", "1")
    url = f"/service/meine-antraege/{application.public_id}/nachricht/"
    assert browser.post(url, {"text": "eins"}).status_code == 302
    assert browser.post(url, {"text": "zwei"}).status_code == 429


def test_a_request_is_answered_by_upload_and_then_closed(browser, application, clerk):
    request = services.request_documents(application, clerk, "Foto", timezone.localdate())
    url = f"/service/meine-antraege/{application.public_id}/nachforderung/{request.public_id}/"
    missing = browser.post(url, {})
    assert (
        missing.status_code == 400
        and "Bitte wählen Sie eine Datei aus." in missing.content.decode()
    )
    disguised = browser.post(url, {"datei": _file(b"#!/bin/sh\necho hi\n", "foto.png")})
    assert disguised.status_code == 400 and 'aria-invalid="true"' in disguised.content.decode()
    done = browser.post(url, {"datei": _file(PNG, "foto.png")})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == DocumentRequest.ANSWERED and request.uploads.count() == 1
    again = browser.post(url, {"datei": _file(PNG, "foto.png")})
    assert again.status_code == 409 and application.uploads.count() == 1
    assert "foto.png" in _page(browser, application)


def test_a_letter_downloads_as_an_attachment_and_counts_as_read(browser, application, clerk):
    item = services.deliver(application, "Bescheid über den Kita-Platz", PDF, "notice", by=clerk)
    answer = browser.get(
        f"/service/meine-antraege/{application.public_id}/postfach/{item.public_id}/"
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert (
        answer["Content-Disposition"] == 'attachment; filename="bescheid-uber-den-kita-platz.pdf"'
    )
    assert b"".join(answer.streaming_content) == PDF
    item.refresh_from_db()
    assert item.read is not None


def test_another_person_cannot_reach_the_case_by_url(application, clerk, service):
    item = services.deliver(application, "Bescheid", PDF, "notice", by=clerk)
    request = services.request_documents(application, clerk, "Foto", timezone.localdate())
    other = Client()
    other.force_login(make_user("nachbar", "nachbar@example.org"))
    base = f"/service/meine-antraege/{application.public_id}"
    assert other.get(f"{base}/").status_code == 404
    assert other.get(f"{base}/postfach/{item.public_id}/").status_code == 404
    assert other.post(f"{base}/nachricht/", {"text": "fremd"}).status_code == 404
    upload = other.post(
        f"{base}/nachforderung/{request.public_id}/", {"datei": _file(PNG, "f.png")}
    )
    assert upload.status_code == 404
    assert Client().get(f"{base}/postfach/{item.public_id}/").status_code == 404  # no session
    assert not application.messages.filter(body="fremd").exists()
    request.refresh_from_db()
    assert request.is_open


def test_a_letter_of_another_application_is_not_served(
    browser, application, clerk, service, parent
):
    mine = Application.objects.create(service=service, applicant=parent, status="submitted")
    item = services.deliver(application, "Bescheid", PDF, "notice", by=clerk)
    answer = browser.get(f"/service/meine-antraege/{mine.public_id}/postfach/{item.public_id}/")
    assert answer.status_code == 404


def test_posts_need_the_csrf_token(application, parent):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(parent)
    answer = strict.post(
        f"/service/meine-antraege/{application.public_id}/nachricht/", {"text": "ohne Token"}
    )
    assert answer.status_code == 403 and not application.messages.exists()


def test_a_draft_shows_no_case_forms(browser, application):
    application.status = Application.DRAFT
    application.save()
    page = _page(browser, application)
    assert "Entwurf, noch nicht abgeschickt" in page and "Ihre Nachricht an das Amt" not in page
    answer = browser.post(
        f"/service/meine-antraege/{application.public_id}/nachricht/", {"text": "zu früh"}
    )
    assert answer.status_code == 409
