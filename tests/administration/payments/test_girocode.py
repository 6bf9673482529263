"""The GiroCode: the QR code segno draws is read back with a real decoder (zxing-cpp),
and its EPC069-12 payload compared field by field, in the standard's order; the
invoice is a PDF/A with the Kassenzeichen, IBAN and the code."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from smartcity.administration.payments import girocode, invoice
from tests.administration.payments.conftest import BIC, IBAN, payment_of

# EPC069-12 v2.1, section 3.4: the fields, one per line, in this order
EPC_FIELDS = (
    "service_tag",
    "version",
    "encoding",
    "identification",
    "bic",
    "name",
    "iban",
    "amount",
    "purpose",
    "structured_reference",
    "text",
)


def decode(png: bytes) -> dict[str, str]:
    (found,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    lines = found.text.split("\n")
    assert len(lines) <= 12  # the beneficiary-to-originator information is the 12th, unused
    return dict(zip(EPC_FIELDS, lines + [""] * (len(EPC_FIELDS) - len(lines)), strict=True))


def test_the_code_holds_the_transfer_field_by_field(service) -> None:
    payment = payment_of(service, "52610000011", amount=2450)
    context = invoice.transfer_context(payment)
    fields = decode(girocode.png(context["code"]))
    assert fields == {
        "service_tag": "BCD",
        "version": "002",
        "encoding": fields["encoding"],
        "identification": "SCT",
        "bic": BIC,
        "name": "Stadt Hamm",
        "iban": IBAN,
        "amount": "EUR24.5",
        "purpose": "",
        "structured_reference": "",
        "text": "52610000011 Geburtsurkunde",
    }
    assert fields["encoding"] in "12345678"  # UTF-8 or one of the ISO 8859 parts
    assert context["code"].error == "M"  # the standard demands level M
    assert context["code"].version <= 13


def test_umlauts_survive_and_the_text_is_cut_at_140(service, monkeypatch) -> None:
    monkeypatch.setenv("SMARTCITY_PAYMENT_CREDITOR_NAME", "Stadt Hamm – Stadtkasse Gebühren")  # noqa: RUF001
    service.name = "Bescheinigung über " + "x" * 150
    service.save()
    context = invoice.transfer_context(payment_of(service))
    fields = decode(girocode.png(context["code"]))
    assert fields["name"] == "Stadt Hamm – Stadtkasse Gebühren"  # noqa: RUF001
    assert len(fields["text"]) == 140 and "über" in fields["text"]


def test_an_invalid_iban_is_a_configuration_error(monkeypatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SMARTCITY_PAYMENT_IBAN", "DE00120300000000202051")
    with pytest.raises(ImproperlyConfigured, match="PAYMENT_IBAN"):
        girocode.account()


def test_the_invoice_is_pdf_a_with_what_to_transfer(service) -> None:
    payment = payment_of(service, "52610000011")
    document = invoice.render(payment)
    assert document.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(document))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "52610000011" in text and "DE02 1203 0000 0000 2020 51" in text
    assert "24,00 €" in text
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in raw  # the PDF/A identification in the XMP metadata
    (image,) = reader.pages[0].images  # the GiroCode, readable from the PDF too
    assert decode(image.data)["text"] == "52610000011 Geburtsurkunde"
