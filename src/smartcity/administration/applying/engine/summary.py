"""An application's data as rows of label and value, step by step, for the page
"Angaben prüfen", the applicant's own page and the acknowledgement (plain text, the
templates escape it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from smartcity.administration.applying.engine import names
from smartcity.administration.applying.engine.fields import Field, Form, Path, Step


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    anchor: str  # the field's element id on its step's page


@dataclass(frozen=True)
class Section:
    step: Step
    rows: tuple[Row, ...]


def sections(form: Form, data: dict[str, Any], files: dict[str, str]) -> list[Section]:
    """``files``: the original name of each upload id."""
    return [
        Section(
            s, tuple(r for f in s.fields for r in _rows(f, (f.name,), data.get(f.name), files, ()))
        )
        for s in form.steps
    ]


def _rows(
    field: Field, path: Path, value: Any, files: dict[str, str], labels: tuple[str, ...]
) -> list[Row]:
    label = (*labels, field.title) if field.title else labels
    if field.kind == "group":
        value = value if isinstance(value, dict) else {}
        return [
            r
            for c in field.children
            for r in _rows(c, (*path, c.name), value.get(c.name), files, label)
        ]
    if field.kind == "list":
        items = value if isinstance(value, list) else []
        if not items:
            return [Row(": ".join(label), _("keine Angabe"), names.element_id(path))]
        (child,) = field.children
        return [
            r
            for i, item in enumerate(items)
            for r in _rows(child, (*path, i), item, files, (*label[:-1], f"{field.title} {i + 1}"))
        ]
    return [Row(": ".join(label), shown(field, value, files), names.element_id(path))]


def shown(field: Field, value: Any, files: dict[str, str]) -> str:
    if value is None or value == "":
        return _("keine Angabe")
    if field.kind == "boolean":
        return _("Ja") if value else _("Nein")
    if field.kind == "choice":
        return next((label for v, label in field.options if v == value), str(value))
    if field.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if field.kind == "upload":
        return files.get(str(value), _("Datei fehlt"))
    if field.kind == "number" and isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
