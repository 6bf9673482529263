"""The demo's notice templates: valid, and a Kita-Platz notice finds the parent's name
and address in the demo form's data; the birth certificate's fee notice shows its fee."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from smartcity.administration.demo import load_demo
from smartcity.administration.models import Application, NoticeTemplate, Service
from smartcity.administration.notices import letter

pytestmark = pytest.mark.django_db


def _text(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    return " ".join("".join(page.extract_text() for page in reader.pages).split())


def _submitted(key: str, data: dict) -> Application:
    return Application.objects.create(
        service=Service.objects.get(key=key), status=Application.SUBMITTED,
        reference=f"{key.upper()}-1", submitted=timezone.now(), data=data,
    )  # fmt: skip


def test_the_demo_templates_are_valid_and_fill_from_the_forms():
    load_demo()
    templates = NoticeTemplate.objects.all()
    assert {(t.service.key, t.kind) for t in templates} == {
        ("kita-platz", "granted"), ("kita-platz", "refused"), ("geburtsurkunde", "fee"),
    }  # fmt: skip
    for template in templates:
        template.full_clean()
    kita = _submitted("kita-platz", {
        "eltern": {"vorname": "Lea", "familienname": "Yilmaz"},
        "anschrift": {"strasse": "Nordstraße 5", "plz": "59065", "ort": "Hamm"},
    })  # fmt: skip
    granted = templates.get(kind="granted")
    title, document = letter.render(kita, granted, "Kita Sonnenschein ab 1. August.")
    text = _text(document)
    assert title.endswith("(KITA-PLATZ-1)") and "Lea Yilmaz" in text and "Nordstraße 5" in text
    birth = _submitted("geburtsurkunde", {"person": {"vorname": "Ben", "familienname": "Kaya"},
                                          "anzahl": 2, "zweck": "sonstiges"})  # fmt: skip
    _, document = letter.render(birth, templates.get(kind="fee"), "")
    assert "18,00 €" in _text(document) and "Ben Kaya" in _text(document)
