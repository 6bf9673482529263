"""Comparison operators (eq ne gt ge lt le) between typed values.

Null: ``x eq null`` / ``x ne null`` test for absence (a missing or JSON-null member, a
NULL column). Otherwise comparisons follow SQL: a comparison with a NULL value is not
true, and neither is its ``not`` (OGC 18-088 req/request-data/filter omits entities for
which the expression is null).

Time (OGC 18-088 clause 9.3.3.5 is silent on comparing TM_Objects; this is our reading,
the same for instants, intervals, properties and literals): a value is the closed set of
instants [start, end], an instant being [t, t]; a property's missing end means instant.

* ``a lt b``: a ends before b starts (end(a) < start(b)); ``le`` allows end(a) = start(b).
* ``a gt b``: a starts after b ends (start(a) > end(b)); ``ge`` allows equality.
* ``a eq b``: same start and same end; so an interval never equals an instant, and two
  instants are equal when they are. ``ne`` is ``not eq``.

So ``phenomenonTime ge t1 and phenomenonTime lt t2`` selects observations lying wholly
within [t1, t2). A date literal compared with a time is midnight of that day in
SMARTCITY_TIME_ZONE, like a datetime literal without an offset.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import DateTimeField, DurationField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

from smartcity.core.timeutil import TimeFormatError, parse_instant
from smartcity.sensors.sta.odata import geo
from smartcity.sensors.sta.odata.sql import JsonIsNull
from smartcity.sensors.sta.odata.values import (
    FALSE,
    TRUE,
    Scope,
    Typ,
    Val,
    coerce_json,
    negate,
)

_LOOKUPS: dict[str, type] = {
    "eq": Exact,
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
    "lt": LessThan,
    "le": LessThanOrEqual,
}
_PYTHON: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
_ORDERED = (Typ.NUMBER, Typ.STRING, Typ.DATE, Typ.TIMEOFDAY, Typ.DURATION)
_TEMPORAL = (Typ.DATETIME, Typ.TIME)


def compare(op: str, left: Val, right: Val, scope: Scope) -> Q:
    if Typ.NULL in (left.typ, right.typ):
        return _compare_null(op, right if left.typ is Typ.NULL else left, scope)
    left, right = _unify(left, right, scope)
    if left.typ in _TEMPORAL and right.typ in _TEMPORAL:
        return _compare_time(op, left, right)
    if (left.is_id or right.is_id) and op in ("eq", "ne"):
        left, right = _id_operand(left), _id_operand(right)
        if Typ.STRING in (left.typ, right.typ) and Typ.NUMBER in (left.typ, right.typ):
            return FALSE if op == "eq" else TRUE  # a string that is none of our ids
    if left.typ is not right.typ or left.typ not in (*_ORDERED, Typ.BOOL):
        raise scope.error(f"cannot compare a {left.typ.value} with a {right.typ.value}", left.pos)
    if left.typ is Typ.BOOL:
        return _compare_bool(op, left, right, scope)
    condition = _compare_values(op, left, right)
    prefilter = _distance_prefilter(op, left, right)
    return condition if prefilter is None else prefilter & condition


def _unify(left: Val, right: Val, scope: Scope) -> tuple[Val, Val]:
    """Bring JSON and date operands to the type of the other side."""
    if left.typ is Typ.JSON and right.typ is Typ.JSON:
        return coerce_json(left, Typ.STRING, scope), coerce_json(right, Typ.STRING, scope)
    if left.typ is Typ.JSON:
        left = coerce_json(left, right.typ, scope)
    if right.typ is Typ.JSON:
        right = coerce_json(right, left.typ, scope)
    if left.typ is Typ.DATE and right.typ in _TEMPORAL:
        left = date_as_instant(left, scope)
    if right.typ is Typ.DATE and left.typ in _TEMPORAL:
        right = date_as_instant(right, scope)
    return left, right


def date_as_instant(value: Val, scope: Scope) -> Val:
    if not value.is_const:
        raise scope.error("cannot compare the result of date() with a datetime", value.pos)
    day: date = value.const
    try:
        instant = parse_instant(day.isoformat() + "T00:00:00")
    except TimeFormatError:  # 0001-01-01 at midnight in Hamm is still the year 0 in UTC
        raise scope.error(
            f"midnight of {day.isoformat()} in SMARTCITY_TIME_ZONE lies before the year 1 in UTC",
            value.pos,
        ) from None
    return instant_literal(instant, value.pos)


def instant_literal(instant: datetime, pos: int) -> Val:
    return Val(Typ.DATETIME, pos, Value(instant, output_field=DateTimeField()), const=instant)


def _compare_values(op: str, left: Val, right: Val) -> Q:
    if left.is_const and right.is_const:
        return TRUE if _PYTHON[op](left.const, right.const) else FALSE
    if op == "ne":
        return ~Q(Exact(_operand(left), _operand(right)))
    return Q(_LOOKUPS[op](_operand(left), _operand(right)))


def _operand(value: Val) -> Any:
    if value.typ is Typ.DURATION and value.is_const:
        return Value(value.const, output_field=DurationField())
    return value.expr


def _id_operand(value: Val) -> Val:
    if value.typ is Typ.STRING and value.is_const and str(value.const).isdigit():
        number = int(value.const)
        return Val(Typ.NUMBER, value.pos, Value(number), const=number)
    return value


def _compare_bool(op: str, left: Val, right: Val, scope: Scope) -> Q:
    if op not in ("eq", "ne"):
        raise scope.error(f"booleans cannot be compared with {op!r}", left.pos)
    if left.is_const:
        left, right = right, left
    if not right.is_const:
        raise scope.error("compare a condition with true or false", right.pos)
    if left.is_const:
        return TRUE if _PYTHON[op](left.const, right.const) else FALSE
    condition: Q = left.expr
    return condition if (right.const is True) == (op == "eq") else negate(condition)


def _compare_null(op: str, value: Val, scope: Scope) -> Q:
    if op not in ("eq", "ne"):
        raise scope.error(f"null cannot be compared with {op!r}", value.pos)
    if value.typ is Typ.NULL:
        return TRUE if op == "eq" else FALSE
    if value.typ is Typ.JSON and value.json is not None:
        is_null = Q(JsonIsNull(value.json.column, value.json.keys))
    elif value.typ is Typ.GEOMETRY and value.geo is not None and value.geo.bbox is not None:
        is_null = Q(IsNull(value.geo.bbox[0], True))
    elif value.typ in (Typ.BOOL, Typ.GEOMETRY) or value.is_const:
        is_null = FALSE
    else:
        is_null = Q(IsNull(value.expr, True))
    return is_null if op == "eq" else negate(is_null)


def _compare_time(op: str, left: Val, right: Val) -> Q:
    if op in ("eq", "ne"):
        same = _time_equal(left, right)
        return same if op == "eq" else negate(same)
    strict = op in ("gt", "lt")
    if op in ("gt", "ge"):
        left, right = right, left
    return _ends_before(left, right, strict)


def _time_equal(left: Val, right: Val) -> Q:
    if left.is_const and right.is_const:
        return TRUE if _bounds(left) == _bounds(right) else FALSE
    same_start = Q(Exact(left.expr, right.expr))
    if left.end is None and right.end is None:
        return same_start
    return same_start & Q(Exact(_end(left), _end(right)))


def _ends_before(first: Val, second: Val, strict: bool) -> Q:
    """end(first) < start(second) (or <=)."""
    if first.is_const and second.is_const:
        first_end, second_start = _bounds(first)[1], _bounds(second)[0]
        holds = first_end < second_start if strict else first_end <= second_start
        return TRUE if holds else FALSE
    lookup = LessThan if strict else LessThanOrEqual
    condition = Q(lookup(_end(first), second.expr))
    if first.end is not None and not first.is_const:
        # Implied (start <= end) but lets the store use an index on the start column.
        condition &= Q(lookup(first.expr, second.expr))
    return condition


def _end(value: Val) -> Any:
    if value.end is None:
        return value.expr
    if value.is_const:
        return value.end
    return Coalesce(value.end, value.expr, output_field=DateTimeField())


def _bounds(value: Val) -> tuple[datetime, datetime]:
    if isinstance(value.const, tuple):
        return value.const[0], value.const[1]
    return value.const, value.const


def _distance_prefilter(op: str, left: Val, right: Val) -> Q | None:
    """``geo.distance(stored, literal) lt d``: a bbox prefilter the index can use."""
    if left.geo_pair is not None and right.is_const and isinstance(right.const, int | float):
        return geo.distance_prefilter(*left.geo_pair, op, float(right.const))
    return None
