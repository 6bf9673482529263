"""The placeholder language of notice templates: Python's ``string.Template`` (``$name``,
``${name}``, ``$$`` for a dollar sign) over a fixed list of fields. It can only put a
field's text in place, never call, index or loop, so a template written in the back
office cannot reach anything else (Django's template engine could, through the objects
in its context). A template naming a field that is not in :data:`FIELDS` is refused on
save; the filled text is plain text, escaped when the notice's HTML is made."""

from __future__ import annotations

from string import Template
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from smartcity.core import config

# the fields a template may name, with what each holds (shown in the admin and the docs)
FIELDS = {
    "name": "Vor- und Familienname der antragstellenden Person",
    "vorname": "Vorname",
    "familienname": "Familienname",
    "anschrift": "Anschrift in einer Zeile",
    "aktenzeichen": "Aktenzeichen (Vorgangsnummer) des Antrags",
    "leistung": "Name der Leistung",
    "eingang": "Tag, an dem der Antrag einging",
    "datum": "Datum des Bescheids",
    "entscheidung": "Entscheidungstext der Sachbearbeitung",
    "gebuehr": "Gebühr zusammen, z. B. 12,00 €",
    "kassenzeichen": "Kassenzeichen der Zahlung",
    "faellig": "Tag, bis zu dem die Gebühr zu zahlen ist",
}


def unknown_fields(text: str) -> list[str]:
    """The names ``text`` uses that are not fields; ["$"] when it is not a valid
    template at all (a lone ``$`` or ``${`` without its ``}``)."""
    template = Template(text)
    if not template.is_valid():
        return ["$"]
    return sorted(set(template.get_identifiers()) - set(FIELDS))


def _check_text(text: str, field: str, errors: dict[str, str]) -> None:
    limit = config.get("NOTICE_TEMPLATE_MAX_CHARS")
    if len(text) > limit:
        errors[field] = _("Der Text ist zu lang: höchstens %(limit)s Zeichen sind möglich.") % {
            "limit": limit
        }
        return
    unknown = unknown_fields(text)
    if unknown == ["$"]:
        errors[field] = _("Ein $ ohne Platzhalternamen: Schreiben Sie $$ für ein Dollarzeichen.")
    elif unknown:
        errors[field] = _(
            "Diese Platzhalter gibt es nicht: %(names)s. Möglich sind: %(known)s."
        ) % {
            "names": ", ".join(f"${name}" for name in unknown),
            "known": ", ".join(f"${name}" for name in FIELDS),
        }


def check(template: Any) -> None:
    """ValidationError for a template whose title, text or remedy names unknown fields."""
    errors: dict[str, str] = {}
    for field in ("title", "body", "remedy"):
        _check_text(str(getattr(template, field) or ""), field, errors)
    if errors:
        raise ValidationError(errors)


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its fields filled (a field without a value is left empty)."""
    return Template(text).substitute({name: values.get(name, "") for name in FIELDS})
