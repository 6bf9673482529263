"""Typed values of the compiler: a Django expression plus what the expression language
knows about it (number, text, time, geometry, JSON, ...)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from django.db.models import Expression, F, Q

from smartcity.core.errors import BadRequest
from smartcity.sensors.sta.odata.geo import Geo
from smartcity.sensors.sta.odata.sql import JsonBool, JsonNumber, JsonText


class Typ(Enum):
    NUMBER = "number"
    STRING = "string"
    BOOL = "boolean"
    DATETIME = "datetime"
    TIME = "time"  # an instant or an interval: ``expr`` is the start, ``end`` the end
    DATE = "date"
    TIMEOFDAY = "time of day"
    DURATION = "duration"
    GEOMETRY = "geometry"
    JSON = "JSON value"
    NULL = "null"


class _NotConstant:
    def __repr__(self) -> str:
        return "NOT_CONSTANT"


NOT_CONSTANT: Any = _NotConstant()
# Conditions that are always true / false, valid on any model.
TRUE = Q(pk__isnull=False)
FALSE = Q(pk__in=[])


@dataclass(frozen=True)
class JsonRef:
    """A JSON column and the member path below it; ``number`` is the float mirror column
    of an Observation result (used when the whole result is compared with a number)."""

    column: F
    keys: tuple[str, ...]
    number: F | None = None


@dataclass(frozen=True)
class Val:
    typ: Typ
    pos: int
    expr: Any = None  # Django expression; a Q for BOOL; the start for TIME
    const: Any = NOT_CONSTANT  # the Python value of a literal or folded constant
    end: Any = None  # TIME: the end expression; None for an instant
    json: JsonRef | None = None
    geo: Geo | None = None
    geo_pair: tuple[Geo, Geo] | None = None  # geo.distance's operands, for a prefilter
    is_id: bool = False
    integral: bool = False  # a NUMBER known to be an integer (ids, lengths, int literals)

    @property
    def is_const(self) -> bool:
        return self.const is not NOT_CONSTANT


@dataclass(frozen=True)
class Scope:
    """Where an expression is compiled: the query option (for error messages) and whether
    paths through to-many navigations are allowed (inside an Exists subquery)."""

    where: str
    many_ok: bool = False

    def error(self, message: str, pos: int) -> BadRequest:
        return BadRequest(f"{message} at position {pos}", where=self.where)


def negate(condition: Q) -> Q:
    if condition is TRUE or condition is FALSE:
        return FALSE if condition is TRUE else TRUE
    return ~condition


def combine(op: str, parts: list[Q]) -> Q:
    """``and``/``or`` of conditions, folding the constant ones (Django cannot select or
    order by a condition that is empty or always full)."""
    absorbing, neutral = (FALSE, TRUE) if op == "and" else (TRUE, FALSE)
    if any(part is absorbing for part in parts):
        return absorbing
    kept = [part for part in parts if part is not neutral]
    if not kept:
        return neutral
    result = kept[0]
    for part in kept[1:]:
        result = result & part if op == "and" else result | part
    return result


def coerce_json(value: Val, typ: Typ, scope: Scope) -> Val:
    """A JSON value read as ``typ``; members of another JSON type read as NULL."""
    ref = value.json
    if value.typ is not Typ.JSON or ref is None:
        return value
    if typ is Typ.NUMBER:
        expr: Expression | F = (
            ref.number
            if ref.number is not None and not ref.keys
            else JsonNumber(ref.column, ref.keys)
        )
    elif typ is Typ.STRING:
        expr = JsonText(ref.column, ref.keys)
    elif typ is Typ.BOOL:
        return Val(Typ.BOOL, value.pos, Q(JsonBool(ref.column, ref.keys)))
    else:
        raise scope.error(f"a JSON value cannot be used as a {typ.value}", value.pos)
    return replace(value, typ=typ, expr=expr, json=None)


def expect(value: Val, typ: Typ, scope: Scope, what: str) -> Val:
    """``value`` as ``typ`` (JSON is converted), or BadRequest naming ``what`` needs it."""
    value = coerce_json(value, typ, scope)
    if value.typ is Typ.NULL:
        return value
    if value.typ is not typ:
        raise scope.error(f"{what} needs a {typ.value}, got a {value.typ.value}", value.pos)
    return value


def as_condition(value: Val, scope: Scope) -> Q:
    if value.typ is Typ.JSON:
        value = coerce_json(value, Typ.BOOL, scope)
    if value.typ is Typ.NULL:
        return FALSE
    if value.typ is not Typ.BOOL:
        raise scope.error(f"expected a condition, got a {value.typ.value}", value.pos)
    if value.is_const:
        return TRUE if value.const else FALSE
    result: Q = value.expr
    return result
