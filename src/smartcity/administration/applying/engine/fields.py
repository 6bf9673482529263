"""A service's form read into steps and fields: what each property of the schema is
shown as (docs/administration.md#forms), with its path, label, hint and whether it is
required. A form that breaks the format is refused here, once, with a message for the
person who wrote it (FormError)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

# Limits for what a form leaves open: a text without maxLength, a list without maxItems.
MAX_TEXT = 10_000
MAX_ITEMS = 50
RADIO_UP_TO = 5  # a choice of more options is a select

Path = tuple[str | int, ...]


class FormError(ValueError):
    """The form of a service does not follow docs/administration.md#forms."""


@dataclass(frozen=True)
class Field:
    name: str  # the property's name ("" for the items of a list)
    kind: str  # text textarea date email choice integer number boolean group list upload
    schema: dict[str, Any]
    title: str
    description: str
    required: bool
    children: tuple[Field, ...] = ()  # a group's fields; a list's one item field
    options: tuple[tuple[Any, str], ...] = ()  # a choice's (value, label)

    @property
    def max_items(self) -> int:
        return min(int(self.schema.get("maxItems", MAX_ITEMS)), MAX_ITEMS)

    @property
    def min_items(self) -> int:
        return min(int(self.schema.get("minItems", 0)), self.max_items)

    @property
    def max_length(self) -> int:
        return min(int(self.schema.get("maxLength", MAX_TEXT)), MAX_TEXT)

    @property
    def upload(self) -> dict[str, Any]:
        return self.schema.get("x-upload") or {}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Form:
    schema: dict[str, Any]
    steps: tuple[Step, ...]
    cosign: bool  # a second applicant must co-sign before it is submitted
    reference: str  # the reference numbers' prefix, e.g. KITA

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.key == key)

    def field(self, path: Path) -> Field | None:
        """The field at ``path`` (names and list indexes), None for no field."""
        fields = tuple(f for s in self.steps for f in s.fields)
        found: Field | None = None
        for part in path:
            if isinstance(part, int):
                if found is None or found.kind != "list":
                    return None
                fields = found.children
                found = fields[0]
                fields = found.children
                continue
            found = next((f for f in fields if f.name == part), None)
            if found is None:
                return None
            fields = found.children
        return found

    def step_of(self, path: Path) -> Step | None:
        return next((s for s in self.steps for f in s.fields if path and f.name == path[0]), None)


def _resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise FormError(f"only local references (#/...) are allowed, not {ref!r}")
    target: Any = root
    for part in ref[2:].split("/"):
        if not isinstance(target, dict) or part not in target:
            raise FormError(f"the reference {ref!r} leads nowhere")
        target = target[part]
    return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}


def _kind(schema: dict[str, Any]) -> str:
    if "x-upload" in schema:
        return "upload"
    if "oneOf" in schema and all(isinstance(o, dict) and "const" in o for o in schema["oneOf"]):
        return "choice"
    if "enum" in schema:
        return "choice"
    kind = schema.get("type")
    if kind == "string":
        if schema.get("x-widget") == "textarea":
            return "textarea"
        return {"date": "date", "email": "email"}.get(schema.get("format", ""), "text")
    kinds = {"integer": "integer", "number": "number", "boolean": "boolean"}
    kinds |= {"object": "group", "array": "list"}
    if kind in kinds:
        return kinds[kind]
    raise FormError(
        f"a field needs a type (string, integer, number, boolean, object, array): "
        f"{str(schema)[:80]}"
    )


def _options(schema: dict[str, Any]) -> tuple[tuple[Any, str], ...]:
    if "oneOf" in schema:
        return tuple((o["const"], str(o.get("title", o["const"]))) for o in schema["oneOf"])
    return tuple((v, str(v)) for v in schema.get("enum", ()))


def build(root: dict[str, Any], name: str, schema: dict[str, Any], required: bool) -> Field:
    schema = _resolve(root, schema)
    kind = _kind(schema)
    children: tuple[Field, ...] = ()
    if kind == "group":
        wanted = set(schema.get("required", ()))
        children = tuple(
            build(root, key, sub, key in wanted)
            for key, sub in (schema.get("properties") or {}).items()
        )
    elif kind == "list":
        items = schema.get("items")
        if not isinstance(items, dict):
            raise FormError(f"the list {name!r} needs its items' schema")
        children = (build(root, "", items, True),)
    return Field(
        name=name,
        kind=kind,
        schema=schema,
        title=str(schema.get("title", name)),
        description=str(schema.get("description", "")),
        required=required,
        children=children,
        options=_options(schema) if kind == "choice" else (),
    )


_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


def load(form: dict[str, Any]) -> Form:
    """The form of a service, checked against the format; FormError says what is wrong."""
    schema = form.get("schema") if isinstance(form, dict) else None
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise FormError("the form needs a schema of type object")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise FormError(f"the schema is not a valid JSON Schema: {error.message}") from None
    properties = schema.get("properties") or {}
    wanted = set(schema.get("required", ()))
    steps, placed = [], set()
    for raw in form.get("steps") or ():
        key = raw.get("key", "") if isinstance(raw, dict) else ""
        if not _KEY.match(str(key)):
            raise FormError(f"a step needs a key of letters and digits, not {key!r}")
        for name in raw.get("fields", ()):
            if name not in properties or name in placed:
                raise FormError(f"step {key!r}: {name!r} is no property or on two steps")
            placed.add(name)
        fields = tuple(build(schema, n, properties[n], n in wanted) for n in raw["fields"])
        steps.append(Step(key, str(raw.get("title", key)), fields))
    if not steps or placed != set(properties):
        raise FormError(
            "every property must be on exactly one step: "
            + ", ".join(sorted(set(properties) - placed))
        )
    for name in properties:
        if not _KEY.match(name):
            raise FormError(f"a property's name must be letters and digits, not {name!r}")
    reference = str(form.get("reference", "")).upper() or "ANTRAG"
    if not re.fullmatch(r"[A-Z][A-Z0-9]{0,11}", reference):
        raise FormError(f"the reference prefix must be capital letters, not {reference!r}")
    return Form(schema, tuple(steps), bool(form.get("cosign")), reference)


def walk(fields: tuple[Field, ...], prefix: Path = ()) -> list[tuple[Path, Field]]:
    """Every leaf field (not a group) with its path, lists as their item path with -1."""
    found: list[tuple[Path, Field]] = []
    for field in fields:
        path = (*prefix, field.name)
        if field.kind == "group":
            found += walk(field.children, path)
        elif field.kind == "list":
            found.append((path, field))
        else:
            found.append((path, field))
    return found
