"""The built-in query functions of OGC 18-088 Table 23 (OData 4.0 canonical functions).

Positions in strings are zero-based, as in OData 4.0 (``indexof`` gives -1 when absent).
Date parts are read in UTC, the zone every stored time is kept and shown in; so
``totaloffsetminutes`` is 0. Date functions on an interval (phenomenonTime) use its start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db.models import CharField, DateTimeField, IntegerField, Q, Value
from django.db.models.functions import (
    Cast,
    Concat,
    Extract,
    Greatest,
    Least,
    Length,
    Lower,
    StrIndex,
    Substr,
    Trim,
    TruncDate,
    TruncTime,
    Upper,
)
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from smartcity.core.geo import GeometryError, from_wkt
from smartcity.sensors.sta.odata import geo, sql
from smartcity.sensors.sta.odata.ast import Call
from smartcity.sensors.sta.odata.values import Scope, Typ, Val, coerce_json, expect

_MAX_INT32 = 2**31 - 2  # one less, so "+ 1" for SQL positions stays an integer
_MIN_DATETIME = datetime(1, 1, 1, tzinfo=UTC)
_MAX_DATETIME = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
_DATE_PARTS = {
    "year": "year",
    "month": "month",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
}

Compiler = Callable[[Call, list[Val], Scope], Val]


def compile_call(call: Call, args: list[Val], scope: Scope) -> Val:
    return _COMPILERS[call.name](call, args, scope)


def _strings(call: Call, args: list[Val], scope: Scope) -> list[Any]:
    return [_string_expr(expect(a, Typ.STRING, scope, f"{call.name}()")) for a in args]


def _string_expr(value: Val) -> Any:
    if value.typ is Typ.NULL:
        return Value(None, output_field=CharField())
    return value.expr


def _text_function(function: type) -> Compiler:
    def compile_text(call: Call, args: list[Val], scope: Scope) -> Val:
        return Val(Typ.STRING, call.pos, function(*_strings(call, args, scope)))

    return compile_text


def _length(call: Call, args: list[Val], scope: Scope) -> Val:
    return Val(Typ.NUMBER, call.pos, Length(*_strings(call, args, scope)), integral=True)


def _indexof(call: Call, args: list[Val], scope: Scope) -> Val:
    text, part = _strings(call, args, scope)
    return Val(Typ.NUMBER, call.pos, StrIndex(text, part) - 1, integral=True)


def _contains(call: Call, args: list[Val], scope: Scope) -> Val:
    text, part = _strings(call, args, scope)
    if call.name == "substringof":  # substringof(p0, p1): p0 occurs in p1
        text, part = part, text
    return Val(Typ.BOOL, call.pos, Q(GreaterThan(StrIndex(text, part), 0)))


def _affix(call: Call, args: list[Val], scope: Scope) -> Val:
    function = sql.StartsWith if call.name == "startswith" else sql.EndsWith
    return Val(Typ.BOOL, call.pos, Q(function(*_strings(call, args, scope))))


def _substring(call: Call, args: list[Val], scope: Scope) -> Val:
    text = _strings(call, args[:1], scope)[0]
    numbers = [expect(a, Typ.NUMBER, scope, "substring()") for a in args[1:]]
    start, *rest = [_non_negative_int(n, scope) for n in numbers]
    position = start + 1 if isinstance(start, int) else _count(start) + 1
    if not rest:
        return Val(Typ.STRING, call.pos, Substr(text, position))
    count = rest[0] if isinstance(rest[0], int) else _count(rest[0])
    return Val(Typ.STRING, call.pos, Substr(text, position, count))


def _count(expr: Any) -> Any:
    """A position or length from any number: clamped to 0..2^31-2 and made an integer,
    as PostgreSQL's substring() takes integers only and refuses negative lengths."""
    return Cast(Least(Greatest(expr, Value(0)), Value(_MAX_INT32)), IntegerField())


def _non_negative_int(value: Val, scope: Scope) -> Any:
    if not value.is_const:
        return value.expr
    if not isinstance(value.const, int) or not 0 <= value.const <= _MAX_INT32:
        raise scope.error("substring() needs non-negative integer positions", value.pos)
    return value.const


def _temporal(value: Val, scope: Scope, what: str) -> Val:
    value = coerce_json(value, Typ.DATETIME, scope)
    if value.typ not in (Typ.DATETIME, Typ.TIME, Typ.DATE, Typ.TIMEOFDAY):
        raise scope.error(f"{what} needs a datetime, got a {value.typ.value}", value.pos)
    return value


def _date_part(call: Call, args: list[Val], scope: Scope) -> Val:
    value = _temporal(args[0], scope, f"{call.name}()")
    part = _DATE_PARTS[call.name]
    if value.is_const:
        instant = value.const[0] if isinstance(value.const, tuple) else value.const
        if not hasattr(instant, part):
            raise scope.error(f"{call.name}() does not apply to a {value.typ.value}", value.pos)
        number = getattr(
            instant.astimezone(UTC) if isinstance(instant, datetime) else instant, part
        )
        return Val(Typ.NUMBER, call.pos, Value(number), const=number)
    allowed = {Typ.DATE: ("year", "month", "day"), Typ.TIMEOFDAY: ("hour", "minute", "second")}
    if part not in allowed.get(value.typ, (part,)):
        raise scope.error(f"{call.name}() does not apply to a {value.typ.value}", value.pos)
    tz = UTC if value.typ in (Typ.DATETIME, Typ.TIME) else None
    return Val(
        Typ.NUMBER,
        call.pos,
        Extract(value.expr, part, tzinfo=tz, output_field=IntegerField()),
        integral=True,
    )


def _fractional_seconds(call: Call, args: list[Val], scope: Scope) -> Val:
    value = _datetime_arg(call, args, scope)
    if value.is_const:
        fraction = value.const.microsecond / 1_000_000
        return Val(Typ.NUMBER, call.pos, Value(fraction), const=fraction)
    return Val(Typ.NUMBER, call.pos, sql.FractionalSeconds(value.expr))


def _datetime_arg(call: Call, args: list[Val], scope: Scope) -> Val:
    value = _temporal(args[0], scope, f"{call.name}()")
    if value.typ not in (Typ.DATETIME, Typ.TIME):
        raise scope.error(f"{call.name}() needs a datetime", value.pos)
    if isinstance(value.const, tuple):
        start = value.const[0]
        return Val(Typ.DATETIME, value.pos, Value(start, output_field=DateTimeField()), const=start)
    return value


def _date(call: Call, args: list[Val], scope: Scope) -> Val:
    value = _datetime_arg(call, args, scope)
    is_date = call.name == "date"
    typ = Typ.DATE if is_date else Typ.TIMEOFDAY
    if value.is_const:
        utc = value.const.astimezone(UTC)
        const = utc.date() if is_date else utc.time()
        return Val(typ, call.pos, Value(const), const=const)
    trunc = TruncDate if is_date else TruncTime
    return Val(typ, call.pos, trunc(value.expr, tzinfo=UTC))


def _offset_minutes(call: Call, args: list[Val], scope: Scope) -> Val:
    _datetime_arg(call, args, scope)
    return Val(Typ.NUMBER, call.pos, Value(0), const=0)


def _constant_time(call: Call, args: list[Val], scope: Scope) -> Val:
    instant = {"now": timezone.now(), "mindatetime": _MIN_DATETIME, "maxdatetime": _MAX_DATETIME}[
        call.name
    ]
    return Val(Typ.DATETIME, call.pos, Value(instant, output_field=DateTimeField()), const=instant)


def _math(call: Call, args: list[Val], scope: Scope) -> Val:
    value = expect(args[0], Typ.NUMBER, scope, f"{call.name}()")
    function = {"round": sql.Round, "floor": sql.Floor, "ceiling": sql.Ceiling}[call.name]
    if value.typ is Typ.NULL:
        return value
    return Val(Typ.NUMBER, call.pos, function(value.expr))


def geometry(value: Val, scope: Scope, what: str) -> geo.Geo:
    """A geometry operand: a geometry property, a geography'...' literal, or WKT text."""
    if value.typ is Typ.STRING and value.is_const:
        try:
            return geo.literal_geo(from_wkt(value.const).wkt)
        except GeometryError:
            raise scope.error(
                f"{what} needs a geometry; {value.const!r} is not WKT", value.pos
            ) from None
    if value.typ is not Typ.GEOMETRY or value.geo is None:
        raise scope.error(f"{what} needs a geometry, got a {value.typ.value}", value.pos)
    return value.geo


def _spatial(call: Call, args: list[Val], scope: Scope) -> Val:
    name = "st_intersects" if call.name == "geo.intersects" else call.name
    first, second = (geometry(a, scope, f"{call.name}()") for a in args[:2])
    pattern = None
    if name == "st_relate":
        pattern = _relate_pattern(args[2], scope)
    return Val(Typ.BOOL, call.pos, geo.predicate(name, first, second, pattern))


def _relate_pattern(value: Val, scope: Scope) -> str:
    pattern = value.const if value.typ is Typ.STRING and value.is_const else None
    if (
        not isinstance(pattern, str)
        or len(pattern) != 9
        or not set(pattern.upper()) <= geo.RELATE_PATTERN
    ):
        raise scope.error(
            "st_relate() needs a 9-character intersection matrix pattern of "
            "T, F, *, 0, 1, 2 (e.g. 'T********')",
            value.pos,
        )
    return pattern.upper()


def _distance(call: Call, args: list[Val], scope: Scope) -> Val:
    first, second = (geometry(a, scope, "geo.distance()") for a in args)
    return Val(Typ.NUMBER, call.pos, geo.distance(first, second), geo_pair=(first, second))


def _length_of(call: Call, args: list[Val], scope: Scope) -> Val:
    return Val(Typ.NUMBER, call.pos, geo.length(geometry(args[0], scope, "geo.length()")))


_COMPILERS: dict[str, Compiler] = {
    "length": _length,
    "indexof": _indexof,
    "substring": _substring,
    "substringof": _contains,
    "contains": _contains,
    "startswith": _affix,
    "endswith": _affix,
    "tolower": _text_function(Lower),
    "toupper": _text_function(Upper),
    "trim": _text_function(Trim),
    "concat": _text_function(Concat),
    **dict.fromkeys(_DATE_PARTS, _date_part),
    "fractionalseconds": _fractional_seconds,
    "date": _date,
    "time": _date,
    "totaloffsetminutes": _offset_minutes,
    **dict.fromkeys(("now", "mindatetime", "maxdatetime"), _constant_time),
    **dict.fromkeys(("round", "floor", "ceiling"), _math),
    **dict.fromkeys(("geo.intersects", *geo.PREDICATES), _spatial),
    "geo.distance": _distance,
    "geo.length": _length_of,
}
