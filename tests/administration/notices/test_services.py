"""Notices end to end without HTTP: the PDF is PDF/A-3b with the reference, the
recipient, the fee table, the Kassenzeichen, the GiroCode (read back by zxing-cpp) and
the legal remedy; delivery lands in the mailbox, sends the e-mail and, for letters on
paper, queues a print job; refusals leave nothing behind."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.core import mail
from PIL import Image
from pypdf import PdfReader

from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application, MailboxItem, Payment, PrintJob
from smartcity.administration.notices import services
from smartcity.administration.notices.remedy import CITATION, default

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def _read(document: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(document))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def _item_bytes(item: MailboxItem) -> bytes:
    from smartcity.administration.applying.storage import store

    with store().open(item.stored) as file:
        return file.read()


def test_the_notice_is_pdf_a_3b_with_fees_code_and_remedy(application, granted, clerk, queue_now):
    item = services.issue(application, granted, "Wir stellen die Urkunden aus.", by=clerk)
    payment = Payment.objects.get(case_ref=application.reference)
    assert payment.amount == 1800 and payment.status == Payment.STARTED
    reader, text = _read(_item_bytes(item))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert item.title == "Bescheid KITA-2026-000007" and item.kind == MailboxItem.NOTICE
    assert "KITA-2026-000007" in text and "Anna Schulte" in text and "Weststraße 12" in text
    assert "Wir stellen die Urkunden aus." in text
    assert "18,00 €" in text and f"Kassenzeichen {payment.kassenzeichen}" in text
    assert "Verwaltungsgericht Arnsberg" in text and "Jägerstraße 1, 59821 Arnsberg" in text
    assert "innerhalb eines Monats nach Bekanntgabe Klage" in text
    (image,) = reader.pages[0].images
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    lines = code.text.split("\n")
    assert lines[7] == "EUR18" and lines[6] == "DE02120300000000202051"
    assert lines[-1].startswith(payment.kassenzeichen)


def test_delivery_lands_in_the_mailbox_with_the_email(
    application, granted, clerk, queue_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.issue(application, granted, "", by=clerk)
    assert list(application.mailbox.all()) == [item] and item.delivered_by == clerk
    assert application.events.get().kind == "delivered"
    assert [m.to for m in mail.outbox] == [["mutter@example.org"]]
    assert "KITA" not in mail.outbox[0].body  # the e-mail says only that something is new
    assert not PrintJob.objects.exists()


def test_a_second_notice_keeps_the_payment(application, granted, refused, clerk):
    services.issue(application, granted, "", by=clerk)
    services.issue(application, granted, "Berichtigt.", by=clerk)
    assert Payment.objects.count() == 1 and application.mailbox.count() == 2


def test_a_refusal_without_fees_has_no_payment(application, refused, clerk):
    item = services.issue(application, refused, "Kein Platz frei.", by=clerk)
    _, text = _read(_item_bytes(item))
    assert "Abgelehnt: Kein Platz frei." in text and "Kassenzeichen" not in text
    assert not Payment.objects.exists()


def test_letters_on_paper_queue_a_print_job(application, refused, clerk):
    Application.objects.filter(pk=application.pk).update(
        paper_mail=True, applicant=None, citizen={
            "vorname": "Karl", "familienname": "Becker", "strasse": "Ostring 3",
            "plz": "59063", "ort": "Hamm",
        },
    )  # fmt: skip
    application.refresh_from_db()
    item = services.issue(application, refused, "", by=clerk)
    assert PrintJob.objects.get().item == item
    _, text = _read(_item_bytes(item))
    assert "Karl Becker" in text and "Ostring 3" in text and "Anna" not in text


def test_the_preview_keeps_nothing(application, granted, clerk):
    document = services.preview(application, granted, "Entwurf", by=clerk)
    _, text = _read(document)
    assert "Entwurf" in text and "18,00 €" in text and "beim Zustellen vergeben" in text
    assert not Payment.objects.exists() and not MailboxItem.objects.exists()


def test_a_clerk_of_another_team_may_not(application, granted, stranger_clerk):
    for act in (services.preview, services.issue):
        with pytest.raises(Refused) as refused:
            act(application, granted, "", by=stranger_clerk)
        assert refused.value.status == 403
    assert not Payment.objects.exists() and not MailboxItem.objects.exists()


def test_drafts_foreign_templates_and_long_texts_are_refused(
    application, granted, clerk, monkeypatch
):
    from tests.administration.applying.factories import make_service

    other = make_service("anderes")
    foreign = type(granted).objects.create(service=other, kind="granted", title="x", body="y")
    with pytest.raises(Refused, match="anderen Leistung"):
        services.issue(application, foreign, "", by=clerk)
    monkeypatch.setenv("SMARTCITY_NOTICE_DECISION_MAX_CHARS", "5")
    with pytest.raises(Refused, match="zu lang") as refused:
        services.issue(application, granted, "123456", by=clerk)
    assert refused.value.status == 400
    Application.objects.filter(pk=application.pk).update(status=Application.DRAFT)
    application.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.issue(application, granted, "", by=clerk)
    assert refused.value.status == 409 and not MailboxItem.objects.exists()


def test_the_default_remedy_cites_its_law():
    assert "§ 74" in CITATION and "§ 110" in CITATION and "JustG NRW" in CITATION
    assert "Verwaltungsgericht Arnsberg" in default().text
