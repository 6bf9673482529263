"""The rules of a service's form (docs/administration.md, "Forms") that JSON Schema itself
does not check: a version, a valid draft 2020-12 schema of an object, and steps that lay
out every top-level property on exactly one step. Used by the back office, the
xDatenfelder import and the tests, so a form that breaks a rule never reaches a citizen."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

FORMAT_VERSION = 1


def problems(form: Any) -> list[str]:
    """What is wrong with ``form`` (empty: nothing), each naming where."""
    if not isinstance(form, dict):
        return ["the form must be a JSON object"]
    found: list[str] = []
    if form.get("version") != FORMAT_VERSION:
        found.append(f"/version must be {FORMAT_VERSION}")
    schema = form.get("schema")
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [*found, '/schema must be a JSON Schema of "type": "object"']
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(part) for part in error.path)
        found.append(f"/schema/{where}: {error.message}")
    return found + _step_problems(form.get("steps"), schema.get("properties", {}))


def _step_problems(steps: Any, properties: dict[str, Any]) -> list[str]:
    if not isinstance(steps, list) or not steps:
        return ["/steps must be a list of at least one step"]
    found: list[str] = []
    placed: dict[str, int] = {}
    keys: set[str] = set()
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("fields"), list):
            found.append(f"/steps/{index} must be an object with a list of fields")
            continue
        if not step.get("key") or step["key"] in keys:
            found.append(f"/steps/{index}/key must be given and differ from the other steps'")
        keys.add(str(step.get("key")))
        if not step.get("title"):
            found.append(f"/steps/{index}/title must be given")
        for name in step["fields"]:
            if name not in properties:
                found.append(f"/steps/{index}/fields: {name!r} is not a property of the schema")
            elif name in placed:
                found.append(f"/steps/{index}/fields: {name!r} is on step {placed[name]} too")
            placed.setdefault(name, index)
    found += [
        f"/schema/properties/{name} is on no step" for name in properties if name not in placed
    ]
    return found
