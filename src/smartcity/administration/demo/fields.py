"""Small builders of the form format's JSON Schema pieces (docs/administration.md,
"Forms"), so the demo forms read as what they ask, not as JSON."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
UPLOAD_TYPES = ["application/pdf", "image/jpeg", "image/png"]
UPLOAD_BYTES = 10_000_000


def text(title: str, *, max_length: int = 100, min_length: int = 1, **extra: Any) -> Schema:
    return {"type": "string", "title": title, "minLength": min_length,
            "maxLength": max_length, **extra}  # fmt: skip


def area(title: str, *, max_length: int = 2000, **extra: Any) -> Schema:
    """A longer text, shown as a text area."""
    return {**text(title, max_length=max_length, min_length=0), "x-widget": "textarea", **extra}


def date(title: str, **extra: Any) -> Schema:
    return {"type": "string", "format": "date", "title": title, **extra}


def email(title: str = "E-Mail-Adresse", **extra: Any) -> Schema:
    return {"type": "string", "format": "email", "title": title, "maxLength": 254,
            "x-prefill": "account.email", **extra}  # fmt: skip


def phone(title: str = "Telefonnummer") -> Schema:
    return text(title, max_length=30, pattern=r"^\+?[0-9 ()/-]{6,30}$",
                description="Nur Ziffern, Leerzeichen und + ( ) / -")  # fmt: skip


def number(title: str, *, minimum: int, maximum: int, **extra: Any) -> Schema:
    return {"type": "integer", "title": title, "minimum": minimum, "maximum": maximum, **extra}


def yes_no(title: str, **extra: Any) -> Schema:
    return {"type": "boolean", "title": title, **extra}


def choice(title: str, options: list[tuple[str, str]], **extra: Any) -> Schema:
    one_of = [{"const": value, "title": label} for value, label in options]
    return {"type": "string", "title": title, "oneOf": one_of, **extra}


def upload(title: str, description: str, *, accept: list[str] | None = None) -> Schema:
    return {"type": "string", "title": title, "description": description,
            "x-upload": {"accept": accept or UPLOAD_TYPES, "maxBytes": UPLOAD_BYTES}}  # fmt: skip


def group(title: str, properties: Schema, required: list[str] | None = None) -> Schema:
    """A FIM Datenfeldgruppe: a fieldset of its properties."""
    return {"type": "object", "title": title, "properties": properties,
            "required": list(properties) if required is None else required}  # fmt: skip


def person(title: str, *, prefill: bool = False, birth: bool = True) -> Schema:
    """A person's names (and date of birth), prefilled from the account where it is theirs."""
    first = text("Vorname(n)", max_length=60)
    last = text("Familienname", max_length=60)
    if prefill:
        first["x-prefill"], last["x-prefill"] = "account.first_name", "account.last_name"
    properties: Schema = {"vorname": first, "familienname": last}
    if birth:
        properties["geburtsdatum"] = date("Geburtsdatum")
    return group(title, properties)


def address(title: str = "Anschrift") -> Schema:
    return group(title, {
        "strasse": text("Straße und Hausnummer", max_length=100),
        "plz": text("Postleitzahl", max_length=5, min_length=5, pattern=r"^[0-9]{5}$"),
        "ort": text("Ort", max_length=60, default="Hamm"),
    })  # fmt: skip


def form(
    properties: Schema, required: list[str], steps: list[tuple[str, str, list[str]]]
) -> Schema:
    return {
        "version": 1,
        "schema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                   "properties": properties, "required": required},
        "steps": [{"key": key, "title": title, "fields": fields} for key, title, fields in steps],
    }  # fmt: skip
