"""A Kita-like test service with three steps, a list, a choice and an upload, in the
form format of docs/administration.md (the catalogue's demo services come separately)."""

from __future__ import annotations

import copy
from typing import Any

from tests.core import upload_samples

PDF = upload_samples.pdf()  # a real one: core.uploads reads PDFs through
PNG = upload_samples.image("PNG")

KITA_FORM: dict[str, Any] = {
    "version": 1,
    "reference": "KITA",
    "schema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "kind": {
                "type": "object",
                "title": "Ihr Kind",
                "properties": {
                    "vorname": {
                        "type": "string",
                        "title": "Vorname",
                        "minLength": 1,
                        "maxLength": 60,
                    },
                    "geburtsdatum": {"type": "string", "format": "date", "title": "Geburtsdatum"},
                },
                "required": ["vorname", "geburtsdatum"],
            },
            "geschwister": {
                "type": "array",
                "title": "Geschwister in der Kita",
                "maxItems": 3,
                "items": {"type": "string", "title": "Name", "maxLength": 60},
            },
            "betreuung": {
                "type": "string",
                "title": "Betreuungsumfang",
                "oneOf": [
                    {"const": "25", "title": "25 Stunden"},
                    {"const": "35", "title": "35 Stunden"},
                    {"const": "45", "title": "45 Stunden"},
                ],
            },
            "beginn": {"type": "string", "format": "date", "title": "Gewünschter Beginn"},
            "nachweis": {
                "type": "string",
                "title": "Arbeitgeberbescheinigung",
                "description": "Eine Bescheinigung Ihres Arbeitgebers.",
                "x-upload": {
                    "accept": ["application/pdf", "image/jpeg", "image/png"],
                    "maxBytes": 2_000_000,
                },
            },
            "kontakt": {
                "type": "object",
                "title": "Ihre Kontaktdaten",
                "properties": {
                    "email": {
                        "type": "string",
                        "format": "email",
                        "title": "E-Mail",
                        "x-prefill": "account.email",
                    },
                    "telefon": {
                        "type": "string",
                        "title": "Telefon",
                        "pattern": "^[0-9 +/-]{5,20}$",
                        "description": "Nur Ziffern, Leerzeichen, + und /.",
                    },
                    "kinderzahl": {
                        "type": "integer",
                        "title": "Kinder im Haushalt",
                        "minimum": 1,
                        "maximum": 20,
                    },
                },
                "required": ["email"],
            },
            "einverstanden": {
                "type": "boolean",
                "const": True,
                "title": "Ich habe die Hinweise zum Datenschutz gelesen.",
            },
        },
        "required": ["kind", "betreuung", "beginn", "nachweis", "kontakt", "einverstanden"],
    },
    "steps": [
        {"key": "kind", "title": "Ihr Kind", "fields": ["kind", "geschwister"]},
        {"key": "betreuung", "title": "Betreuung", "fields": ["betreuung", "beginn", "nachweis"]},
        {"key": "kontakt", "title": "Kontakt", "fields": ["kontakt", "einverstanden"]},
    ],
}


def kita_form(**changes: Any) -> dict[str, Any]:
    form = copy.deepcopy(KITA_FORM)
    form.update(changes)
    return form


def make_service(key: str = "kita-platz", *, guest: bool = False, cosign: bool = False):
    from smartcity.administration.models import Service

    return Service.objects.create(
        key=key,
        name="Kita-Platz",
        summary="Ein Platz in der Kita.",
        guest=guest,
        form=kita_form(cosign=cosign),
    )


def make_user(name: str = "mutter", email: str = "mutter@example.org", password: str = "pw"):  # noqa: S107
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(name, email, password, first_name=name.title())


STEP_VALUES = {
    "kind": {"kind.vorname": "Mia", "kind.geburtsdatum": "01.02.2024", "geschwister.__count": "0"},
    "betreuung": {"betreuung": "35", "beginn": "2026-08-01"},
    "kontakt": {
        "kontakt.email": "mutter@example.org",
        "kontakt.telefon": "02381 123",
        "kontakt.kinderzahl": "2",
        "einverstanden": "on",
    },
}
