"""The citizen's identity a clerk takes at the counter (name, address, optional e-mail,
letters on paper), and for a paper application its scan: a small form in the platform's
own form format, so the form engine renders, reads and checks it like any service's step
(labels, hints, errors tied to the fields, the error summary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from smartcity.administration.applying.engine import fields

SCAN = "scan"  # the field (and the Upload's field) of a paper application's scan
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _text(title: str, longest: int, **more: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, "minLength": 1, "maxLength": longest, **more}


def form(*, paper: bool, max_bytes: int) -> fields.Form:
    """The identity step (with the scan for a paper application), in today's language."""
    properties: dict[str, Any] = {
        "vorname": _text(_("Vorname"), 60),
        "familienname": _text(_("Familienname"), 60),
        "strasse": _text(_("Straße und Hausnummer"), 100),
        "plz": _text(_("Postleitzahl"), 5, pattern="^[0-9]{5}$", description=_("Fünf Ziffern.")),
        "ort": _text(_("Ort"), 60),
        "email": {
            "type": "string",
            "format": "email",
            "maxLength": 254,
            "title": _("E-Mail-Adresse (freiwillig)"),
            "description": _(
                "Dorthin geht die Eingangsbestätigung. Mit einem Konto für diese Adresse "
                "sieht die Person den Antrag unter „Meine Anträge“, sobald sie den Code "
                "von der ausgedruckten Bestätigung eingibt."
            ),
        },
        "papier": {
            "type": "boolean",
            "title": _("Die Person möchte Briefe auf Papier."),
            "description": _("Ohne E-Mail-Adresse gehen Briefe immer auf Papier."),
        },
    }
    required = ["vorname", "familienname", "strasse", "plz", "ort"]
    if paper:
        properties[SCAN] = {
            "type": "string",
            "title": _("Scan des Papierantrags"),
            "description": _("Der unterschriebene Antrag mit seinen Anlagen als eine PDF-Datei."),
            "x-upload": {"accept": ["application/pdf"], "maxBytes": max_bytes},
        }
        required.append(SCAN)
    return fields.load(
        {
            "version": 1,
            "schema": {
                "$schema": DRAFT_2020_12,
                "type": "object",
                "properties": properties,
                "required": required,
            },
            "steps": [
                {"key": "person", "title": _("Antragstellende Person"), "fields": list(properties)}
            ],
        }
    )


@dataclass(frozen=True)
class Citizen:
    first_name: str
    last_name: str
    street: str
    postcode: str
    city: str
    email: str
    paper_mail: bool

    @classmethod
    def of(cls, data: dict[str, Any]) -> Citizen:
        email = str(data.get("email", "")).lower()
        return cls(
            first_name=data["vorname"],
            last_name=data["familienname"],
            street=data["strasse"],
            postcode=data["plz"],
            city=data["ort"],
            email=email,
            paper_mail=bool(data.get("papier")) or not email,  # no address: letters
        )

    def stored(self) -> dict[str, str]:
        """What Application.citizen keeps."""
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "street": self.street,
            "postcode": self.postcode,
            "city": self.city,
            "email": self.email,
        }

    def prefill(self) -> dict[str, str]:
        """The service form's x-prefill sources, taken from the person, not the clerk."""
        return {
            "account.email": self.email,
            "account.first_name": self.first_name,
            "account.last_name": self.last_name,
        }
