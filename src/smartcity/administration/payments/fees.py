"""Fees as data: a small declarative rule language, evaluated without ``eval``.

A fee schedule (``FeeSchedule.rules``) is a JSON object with a list of fee lines::

    {"lines": [
      {"key": "urkunde", "label": "Geburtsurkunde", "amount": 1200, "further": 600,
       "quantity": {"field": "anzahl"},
       "free_if": {"field": "zweck", "in": ["rente", "kindergeld"]}},
      {"key": "eilig", "label": "Eilbearbeitung", "amount": 1000,
       "when": {"field": "eilig", "eq": true}}
    ]}

``amount`` is what the first unit costs in cents, ``further`` each further unit (default:
``amount``); ``quantity`` is a number (default 1), ``{"field": path}`` (a number in the
form's data, missing: 0) or ``{"count": path}`` (how many items a list holds). ``when``
leaves the line out unless it holds; ``free_if`` keeps it with 0 cents (the citizen sees
that it is free, and why). A condition is ``true``/``false``, ``{"field": path, OP:
value}`` with OP one of eq, ne, in, not_in, gt, ge, lt, le, present, or ``{"all": [...]}``,
``{"any": [...]}``, ``{"not": condition}``. A path is dotted (``kind.geburtsdatum``,
``kinder.0.name``). The schedule's shape is checked by a JSON Schema when it is saved.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import jsonschema

from smartcity.core import config

MAX_DEPTH = 8  # how deeply conditions may nest: evaluation stays a small, bounded walk

_PATH = {"type": "string", "pattern": r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$", "maxLength": 200}
_VALUE = {"type": ["string", "number", "boolean", "null"]}
_COMPARE = {op: _VALUE for op in ("eq", "ne", "gt", "ge", "lt", "le")}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "condition": {
            "oneOf": [
                {"type": "boolean"},
                {
                    "type": "object",
                    "properties": {
                        "field": _PATH,
                        **_COMPARE,
                        "in": {"type": "array", "items": _VALUE, "maxItems": 100},
                        "not_in": {"type": "array", "items": _VALUE, "maxItems": 100},
                        "present": {"type": "boolean"},
                    },
                    "required": ["field"],
                    "minProperties": 2,
                    "maxProperties": 2,
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {
                        "all": {"type": "array", "items": {"$ref": "#/$defs/condition"}},
                        "any": {"type": "array", "items": {"$ref": "#/$defs/condition"}},
                        "not": {"$ref": "#/$defs/condition"},
                    },
                    "minProperties": 1,
                    "maxProperties": 1,
                    "additionalProperties": False,
                },
            ]
        },
        "quantity": {
            "oneOf": [
                {"type": "integer", "minimum": 0},
                {
                    "type": "object",
                    "properties": {"field": _PATH},
                    "required": ["field"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"count": _PATH},
                    "required": ["count"],
                    "additionalProperties": False,
                },
            ]
        },
    },
    "type": "object",
    "properties": {
        "lines": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
                    "label": {"type": "string", "minLength": 1, "maxLength": 120},
                    "amount": {"type": "integer", "minimum": 0},
                    "further": {"type": "integer", "minimum": 0},
                    "quantity": {"$ref": "#/$defs/quantity"},
                    "when": {"$ref": "#/$defs/condition"},
                    "free_if": {"$ref": "#/$defs/condition"},
                },
                "required": ["key", "label", "amount"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["lines"],
    "additionalProperties": False,
}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


class ScheduleError(ValueError):
    """The fee schedule is not written in the rule language."""


class FeeError(ValueError):
    """The form's data gives no fee the schedule allows (e.g. a quantity above the
    limit, or a number where a list is expected)."""


@dataclass(frozen=True)
class FeeLine:
    key: str
    label: str
    quantity: int
    amount: int  # cents, the line's total
    free: bool = False  # free_if held

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_schedule(rules: Any) -> None:
    """ScheduleError with the first problem unless ``rules`` is a valid schedule."""
    error = next(iter(sorted(_VALIDATOR.iter_errors(rules), key=lambda e: e.path)), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        raise ScheduleError(f"fee schedule at {where}: {error.message}")
    keys = [line["key"] for line in rules["lines"]]
    if len(keys) != len(set(keys)):
        raise ScheduleError("fee schedule: each line needs its own key")
    for line in rules["lines"]:
        for part in ("when", "free_if"):
            if _depth(line.get(part, True)) > MAX_DEPTH:
                raise ScheduleError(f"fee schedule: {line['key']}.{part} nests too deeply")


def _depth(condition: Any) -> int:
    if isinstance(condition, dict) and ("all" in condition or "any" in condition):
        inner: list[Any] = condition.get("all") or condition.get("any") or []
        return 1 + max((_depth(c) for c in inner), default=0)
    if isinstance(condition, dict) and "not" in condition:
        return 1 + _depth(condition["not"])
    return 1


_MISSING = object()


def lookup(data: Any, path: str) -> Any:
    """The value at the dotted ``path`` of the form's data (``_MISSING`` if none)."""
    here = data
    for part in path.split("."):
        if isinstance(here, Mapping) and part in here:
            here = here[part]
        elif isinstance(here, list) and part.isdigit() and int(part) < len(here):
            here = here[int(part)]
        else:
            return _MISSING
    return here


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def test(value: Any, wanted: Any) -> bool:
        numbers = (int, float)
        both_numbers = isinstance(value, numbers) and isinstance(wanted, numbers)
        both_text = isinstance(value, str) and isinstance(wanted, str)  # ISO dates compare
        if isinstance(value, bool) or isinstance(wanted, bool) or not (both_numbers or both_text):
            return False
        return compare(value, wanted)

    return test


def _same(value: Any, wanted: Any) -> bool:
    """Equality without Python's True == 1."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return type(value) is type(wanted) and value == wanted
    return bool(value == wanted)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _same,
    "ne": lambda value, wanted: not _same(value, wanted),
    "in": lambda value, wanted: any(_same(value, w) for w in wanted),
    "not_in": lambda value, wanted: not any(_same(value, w) for w in wanted),
    "gt": _ordered(operator.gt),
    "ge": _ordered(operator.ge),
    "lt": _ordered(operator.lt),
    "le": _ordered(operator.le),
}


def holds(condition: Any, data: Any) -> bool:
    """Whether ``condition`` (checked by check_schedule) holds for the form's data."""
    if isinstance(condition, bool):
        return condition
    if "all" in condition:
        return all(holds(c, data) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, data) for c in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], data)
    value = lookup(data, condition["field"])
    ((op, wanted),) = ((k, v) for k, v in condition.items() if k != "field")
    if op == "present":
        return (value is not _MISSING and value not in (None, "", [])) is wanted
    if value is _MISSING:
        return op in ("ne", "not_in")
    return _OPERATORS[op](value, wanted)


def quantity(spec: Any, data: Any) -> int:
    """How many units the line is for, within SMARTCITY_PAYMENT_MAX_QUANTITY."""
    if isinstance(spec, int):
        found: Any = spec
    elif "count" in spec:
        items = lookup(data, spec["count"])
        if items is _MISSING:
            found = 0
        elif isinstance(items, list):
            found = len(items)
        else:
            raise FeeError(f"{spec['count']} is not a list")
    else:
        found = lookup(data, spec["field"])
        found = 0 if found is _MISSING or found is None else found
        if isinstance(found, bool) or not isinstance(found, int | float) or found != int(found):
            raise FeeError(f"{spec['field']} is not a whole number")
    limit = config.get("PAYMENT_MAX_QUANTITY")
    if not 0 <= found <= limit:
        raise FeeError(f"a quantity of {found} is not between 0 and {limit}")
    return int(found)


def evaluate(rules: Any, data: Any) -> list[FeeLine]:
    """The fee lines the schedule gives for the form's data; FeeError if the total is
    above SMARTCITY_PAYMENT_MAX_AMOUNT or the data does not fit the schedule."""
    check_schedule(rules)
    lines = []
    for line in rules["lines"]:
        if not holds(line.get("when", True), data):
            continue
        count = quantity(line.get("quantity", 1), data)
        if count == 0:
            continue
        free = holds(line.get("free_if", False), data)
        further = line.get("further", line["amount"])
        amount = 0 if free else line["amount"] + (count - 1) * further
        lines.append(FeeLine(line["key"], line["label"], count, amount, free))
    total = sum(line.amount for line in lines)
    if total > config.get("PAYMENT_MAX_AMOUNT"):
        raise FeeError(f"the fees come to {total} cents, above SMARTCITY_PAYMENT_MAX_AMOUNT")
    return lines
