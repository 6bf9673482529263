"""An xDatenfelder 3 schema (reader.Group) as the platform's form (docs/administration.md,
"Forms"): JSON Schema draft 2020-12 of the data and one step per top-level group.

The rules, each tested in tests/administration/catalogue/test_xdf.py:
- Datentyp: text and text_latin are strings; date, time, datetime strings of that format;
  bool a boolean; num a number, num_int an integer, num_currency a number in cents
  (multipleOf 0.01); file an upload (x-upload: its mediaType list and maxSize in bytes).
- Präzisierung: minLength/maxLength as they are; pattern (an XML Schema pattern, which
  matches the whole value) anchored as ``^(?:...)$``; minValue/maxValue as
  minimum/maximum of numbers.
- Feldart select: a choice (oneOf of const/title) from the field's werte or its code list;
  locked: readOnly with its inhalt as default; input with inhalt: that default; label,
  hidden and the static Datentyp obj carry no data and are left out (a note says so).
- Datenfeldgruppe: an object of its children; art X (Auswahl) allows exactly one child.
- Anzahl ``min:max``: required when min is at least 1; a maximum above 1 or ``*`` makes
  an array of the element with minItems (min, if above 0) and maxItems (unless ``*``).
- Property names are the element's name folded (Straße: ``strasse``), made unique in
  their object; ``x-fim`` keeps each element's FIM id and version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartcity.administration.catalogue.folding import fold
from smartcity.administration.catalogue.xdf import codelists
from smartcity.administration.catalogue.xdf.reader import Child, Field, Group, XdfError

Schema = dict[str, Any]
STRING_FORMATS = {"date": "date", "time": "time", "datetime": "date-time"}
NUMBERS = {"num": "number", "num_int": "integer", "num_currency": "number"}
WITHOUT_DATA = {"label", "hidden"}
FIELD_KINDS = {"input", "select", "locked", *WITHOUT_DATA}
DEFAULT_UPLOAD = {"accept": ["application/pdf", "image/jpeg", "image/png"],
                  "maxBytes": 10_000_000}  # fmt: skip


@dataclass
class Mapping:
    code_lists: list[codelists.CodeList] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def to_form(schema: Group, code_lists: list[codelists.CodeList] | None = None
            ) -> tuple[Schema, list[str]]:  # fmt: skip
    """The form of ``schema`` and notes on what was left out."""
    mapping = Mapping(code_lists or [])
    properties, required = _members(schema, mapping)
    steps: list[Schema] = []
    for key, (child, _) in properties.items():
        if isinstance(child.element, Group):
            steps.append({"key": key, "title": child.element.label, "fields": [key]})
        elif steps and steps[-1].get("loose"):
            steps[-1]["fields"].append(key)
        else:
            steps.append({"key": f"angaben-{len(steps) + 1}", "title": "Weitere Angaben",
                          "fields": [key], "loose": True})  # fmt: skip
    for step in steps:
        if step.pop("loose", False) and len(steps) == 1:
            step["title"] = schema.label
    form = {
        "version": 1,
        "schema": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                   "type": "object", "title": schema.label,
                   "properties": {key: value for key, (_, value) in properties.items()},
                   "required": required, "x-fim": _fim(schema)},
        "steps": steps,
    }  # fmt: skip
    if not steps:
        raise XdfError("the schema holds no field that carries data", schema.where)
    return form, mapping.notes


def _fim(element: Field | Group) -> Schema:
    found = {"id": element.id, "version": element.version}
    return {key: value for key, value in found.items() if value}


def _members(group: Group, mapping: Mapping) -> tuple[dict[str, tuple[Child, Schema]], list[str]]:
    properties: dict[str, tuple[Child, Schema]] = {}
    required: list[str] = []
    for child in group.children:
        element = child.element
        schema = (
            _group(element, mapping) if isinstance(element, Group) else _field(element, mapping)
        )
        if schema is None:
            continue
        key = _unique(fold(element.name).replace(" ", "_") or element.id.lower(), properties)
        properties[key] = (child, _repeat(schema, child))
        if child.minimum >= 1 and not group.choice:
            required.append(key)
    return properties, required


def _unique(key: str, taken: dict[str, Any]) -> str:
    found, number = key, 2
    while found in taken:
        found, number = f"{key}_{number}", number + 1
    return found


def _repeat(schema: Schema, child: Child) -> Schema:
    if child.maximum == 1:
        return schema
    array: Schema = {"type": "array", "title": schema.get("title", ""), "items": schema}
    if child.minimum:
        array["minItems"] = child.minimum
    if child.maximum is not None:
        array["maxItems"] = child.maximum
    return array


def _group(group: Group, mapping: Mapping) -> Schema | None:
    properties, required = _members(group, mapping)
    if not properties:
        mapping.notes.append(f"{group.where}: left out, it holds no field that carries data")
        return None
    schema: Schema = {"type": "object", "title": group.label,
                      "properties": {key: value for key, (_, value) in properties.items()},
                      "required": required, "x-fim": _fim(group)}  # fmt: skip
    if group.help:
        schema["description"] = group.help
    if group.choice:
        schema.update(minProperties=1, maxProperties=1)
    return schema


def _field(item: Field, mapping: Mapping) -> Schema | None:
    if item.kind not in FIELD_KINDS:
        raise XdfError(f"unknown feldart {item.kind!r} (one of {sorted(FIELD_KINDS)})", item.where)
    if item.kind in WITHOUT_DATA or item.datatype == "obj":
        mapping.notes.append(f"{item.where}: left out ({item.kind}, {item.datatype}: no data)")
        return None
    schema: Schema = {"title": item.label, **_datatype(item)}
    if item.help:
        schema["description"] = item.help
    if item.kind == "select":
        schema["oneOf"] = _choices(item, mapping)
    if item.content and item.datatype != "file":
        schema["default"] = _typed(item.content, schema, item.where)
    if item.kind == "locked":
        schema["readOnly"] = True
    schema["x-fim"] = {**_fim(item), "datentyp": item.datatype}
    return schema


def _datatype(item: Field) -> Schema:
    precise = item.constraints
    if item.datatype in ("text", "text_latin") or item.datatype in STRING_FORMATS:
        schema: Schema = {"type": "string"}
        if item.datatype in STRING_FORMATS:
            schema["format"] = STRING_FORMATS[item.datatype]
        for name in ("minLength", "maxLength"):
            if name in precise:
                schema[name] = _number(precise[name], int, name, item.where)
        if precise.get("pattern"):
            schema["pattern"] = f"^(?:{precise['pattern']})$"
        return schema
    if item.datatype in NUMBERS:
        kind = int if item.datatype == "num_int" else float
        schema = {"type": NUMBERS[item.datatype]}
        for source, target in (("minValue", "minimum"), ("maxValue", "maximum")):
            if precise.get(source):
                schema[target] = _number(precise[source], kind, source, item.where)
        if item.datatype == "num_currency":
            schema["multipleOf"] = 0.01
        return schema
    if item.datatype == "bool":
        return {"type": "boolean"}
    if item.datatype == "file":
        upload = {"accept": item.media_types or DEFAULT_UPLOAD["accept"],
                  "maxBytes": item.max_size or DEFAULT_UPLOAD["maxBytes"]}  # fmt: skip
        return {"type": "string", "x-upload": upload}
    raise XdfError(f"unknown datentyp {item.datatype!r}", item.where)


def _number(text: str, kind: type, name: str, where: str) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise XdfError(f"praezisierung {name}={text!r} is not a number", where) from None
    if name in ("minLength", "maxLength") and value < 0:
        raise XdfError(f"praezisierung {name}={text!r} must not be negative", where)
    return int(value) if kind is float and float(value).is_integer() else value


def _choices(item: Field, mapping: Mapping) -> list[Schema]:
    values = item.values
    if not values and item.code_list is not None:
        found = codelists.find(mapping.code_lists, item.code_list, item.where)
        values = found.values(item.code_key, item.name_key, item.where)
    if not values:
        raise XdfError("a select field needs <werte> or a <codelisteReferenz>", item.where)
    return [{"const": v.code, "title": v.name or v.code} for v in values]


def _typed(text: str, schema: Schema, where: str) -> Any:
    kind = schema.get("type")
    if kind == "boolean":
        if text.lower() not in ("true", "false", "1", "0"):
            raise XdfError(f"<inhalt> {text!r} is not a truth value", where)
        return text.lower() in ("true", "1")
    if kind in ("number", "integer"):
        return _number(text, int if kind == "integer" else float, "inhalt", where)
    return text
