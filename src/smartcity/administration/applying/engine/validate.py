"""A step's data, and the whole application's, checked with jsonschema against the
service's schema (draft 2020-12, formats checked); each error by its field's name, in
plain German, one per field, in the order the fields appear."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from smartcity.administration.applying.engine import names
from smartcity.administration.applying.engine.fields import Field, Form, Path, Step

FORMATS = FormatChecker(["date"])
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")


@FORMATS.checks("email")
def _email(value: object) -> bool:
    return not isinstance(value, str) or (bool(_EMAIL.match(value)) and len(value) <= 254)


def step(form: Form, form_step: Step, data: dict[str, Any]) -> dict[str, str]:
    """The errors of one step's fields (the other steps' data is not looked at)."""
    wanted = {f.name for f in form_step.fields}
    schema = {
        "type": "object",
        "properties": {k: v for k, v in form.schema["properties"].items() if k in wanted},
        "required": [k for k in form.schema.get("required", ()) if k in wanted],
    }
    if "$defs" in form.schema:
        schema["$defs"] = form.schema["$defs"]
    mine = {k: v for k, v in data.items() if k in wanted}
    return _check(form, schema, _with_groups(form_step.fields, mine))


def whole(form: Form, data: dict[str, Any]) -> dict[str, str]:
    """The errors of the whole application, as it would be submitted."""
    fields = tuple(f for s in form.steps for f in s.fields)
    return _check(form, form.schema, _with_groups(fields, data))


def _with_groups(fields: tuple[Field, ...], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with an empty object for each required group left out, so that the errors
    name the group's own required fields, which the person can go to."""
    out = dict(data)
    for field in fields:
        if field.kind == "group" and field.required and field.name not in out:
            out[field.name] = {}
        if field.kind == "group" and isinstance(out.get(field.name), dict):
            out[field.name] = _with_groups(field.children, out[field.name])
    return out


def _check(form: Form, schema: dict[str, Any], data: dict[str, Any]) -> dict[str, str]:
    found: dict[str, tuple[tuple[int, ...], str]] = {}
    for error in Draft202012Validator(schema, format_checker=FORMATS).iter_errors(data):
        for path in _paths(error):
            field = form.field(path)
            key = names.name(path)
            if key not in found:
                found[key] = (_position(form, path), _message(field, error))
    return {key: message for key, (_pos, message) in sorted(found.items(), key=lambda i: i[1][0])}


def _paths(error: ValidationError) -> list[Path]:
    base: Path = tuple(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [p for p in error.validator_value if p not in error.instance]
        return [(*base, name) for name in missing]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties") or {})
        return [(*base, key) for key in error.instance if key not in known]
    return [base]


def _position(form: Form, path: Path) -> tuple[int, ...]:
    """Where the field at ``path`` is in the form, for sorting: step, field, child, ..."""
    step_of = form.step_of(path)
    if step_of is None:
        return (len(form.steps),)
    position = [form.index(step_of.key)]
    fields: tuple[Field, ...] = step_of.fields
    for part in path:
        if isinstance(part, int):
            position.append(part)
            fields = fields[0].children if fields else ()
            continue
        index = next((i for i, f in enumerate(fields) if f.name == part), len(fields))
        position.append(index)
        fields = fields[index].children if index < len(fields) else ()
    return tuple(position)


def _message(field: Field | None, error: ValidationError) -> str:
    if field is None:
        return _("Diese Angabe gehört nicht zum Antrag.")
    title, rule, limit = field.title, error.validator, error.validator_value
    text = {"title": title, "limit": limit}
    if rule == "required" or (rule == "minLength" and limit == 1):
        return _required(field)
    if rule in ("const", "enum", "oneOf", "anyOf") and field.kind == "boolean":
        return _("Bitte bestätigen Sie: „%(title)s“.") % text
    if rule in ("const", "enum", "oneOf", "anyOf"):
        return _("Bitte wählen Sie bei „%(title)s“ eine der angebotenen Möglichkeiten.") % text
    if rule == "format":
        if limit == "date":
            return (
                _(
                    "Bitte geben Sie bei „%(title)s“ ein gültiges Datum ein, zum Beispiel "
                    "31.12.2026."
                )
                % text
            )
        return (
            _(
                "Bitte geben Sie bei „%(title)s“ eine E-Mail-Adresse in der Form "
                "name@beispiel.de ein."
            )
            % text
        )
    messages = {
        "minLength": _("„%(title)s“ muss mindestens %(limit)s Zeichen lang sein."),
        "maxLength": _("„%(title)s“ darf höchstens %(limit)s Zeichen lang sein."),
        "pattern": _("„%(title)s“ hat nicht die erwartete Form."),
        "minimum": _("„%(title)s“ muss mindestens %(limit)s sein."),
        "exclusiveMinimum": _("„%(title)s“ muss größer als %(limit)s sein."),
        "maximum": _("„%(title)s“ darf höchstens %(limit)s sein."),
        "exclusiveMaximum": _("„%(title)s“ muss kleiner als %(limit)s sein."),
        "minItems": _("Bitte machen Sie bei „%(title)s“ mindestens %(limit)s Angaben."),
        "maxItems": _("Bei „%(title)s“ sind höchstens %(limit)s Angaben möglich."),
        "type": _("„%(title)s“ hat nicht die erwartete Art von Angabe."),
    }
    message = messages.get(str(rule), _("„%(title)s“ ist so nicht gültig.")) % text
    if rule == "pattern" and field.description:
        message += " " + field.description
    return message


def _required(field: Field) -> str:
    text = {"title": field.title}
    if field.kind in ("choice", "boolean"):
        return _("Bitte wählen Sie aus: „%(title)s“.") % text
    if field.kind == "upload":
        return _("Bitte laden Sie „%(title)s“ hoch.") % text
    if field.kind in ("list", "group"):
        return _("Bitte machen Sie Angaben zu „%(title)s“.") % text
    return _("Bitte geben Sie „%(title)s“ an.") % text
