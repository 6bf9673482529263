"""Compile $filter and $orderby syntax trees to Django ORM expressions (OGC 18-088
clause 9.3.3.4 and 9.3.3.5), which Django turns into SQL for SQLite and PostgreSQL.

Paths through to-many navigations (``Things?$filter=Datastreams/name eq 'x'``) have
"any" semantics: each condition that uses one (a comparison, a boolean function) becomes
an ``EXISTS`` subquery, so an outer row appears once however many related rows match.
Two such conditions are independent: ``Datastreams/name eq 'a' and Datastreams/unit...``
may be met by two different Datastreams.

Arithmetic runs in floating point (no overflow errors on PostgreSQL), except that ``div``
of two integers truncates as OData says. In $orderby a period sorts by its start, a JSON
value by the store's JSON order (numbers numerically; mixed types differ by store), and
a constant key is dropped.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import FieldError
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    Expression,
    OrderBy,
    OuterRef,
    Q,
    TimeField,
    Value,
    When,
)
from django.db.models.expressions import Combinable, CombinedExpression

from smartcity.core.errors import BadRequest
from smartcity.core.timeutil import LONGEST_SPAN
from smartcity.sensors.entities import EntityType
from smartcity.sensors.sta.odata import geo, paths, sql
from smartcity.sensors.sta.odata.ast import (
    ARITHMETIC,
    COMPARISONS,
    Binary,
    Call,
    Literal,
    LitKind,
    Node,
    OrderItem,
    Path,
    Unary,
    walk,
)
from smartcity.sensors.sta.odata.compare import compare, instant_literal
from smartcity.sensors.sta.odata.functions import compile_call
from smartcity.sensors.sta.odata.values import (
    FALSE,
    TRUE,
    Scope,
    Typ,
    Val,
    as_condition,
    combine,
    expect,
    negate,
)

_INT64 = 2**63


def compile_filter(node: Node, entity: EntityType) -> Q:
    """A condition for ``queryset.filter()`` on ``entity``'s model; BadRequest when the
    expression does not fit the entity (unknown property, wrong types)."""
    scope = Scope("$filter")
    return _guarded(lambda: condition(node, entity, scope), scope)


def compile_orderby(items: list[OrderItem], entity: EntityType) -> list[OrderBy]:
    """Sort keys for ``queryset.order_by()``. Nulls sort first ascending and last
    descending on both stores, as OData 4.0 Part 1 clause 11.2.5.2 says."""
    scope = Scope("$orderby")
    return _guarded(
        lambda: [key for item in items for key in _order_key(item, entity, scope)], scope
    )


def _guarded(build: Callable[[], Any], scope: Scope) -> Any:
    try:
        return build()
    except (FieldError, ValueError, OverflowError, RecursionError) as exc:
        # Django's own checks (e.g. on expression types) are the client's error too.
        raise BadRequest(f"cannot evaluate the expression: {exc}", where=scope.where) from None


def _order_key(item: OrderItem, entity: EntityType, scope: Scope) -> list[OrderBy]:
    value = compile_value(item.expr, entity, scope)
    if value.is_const or value.typ is Typ.NULL:
        return []  # the same for every row: no ordering
    if value.typ is Typ.GEOMETRY:
        raise scope.error("cannot order by a geometry", item.expr.pos)
    if value.typ is Typ.JSON and value.json is not None:
        expr: Any = sql.JsonSortKey(value.json.column, value.json.keys)
    elif value.typ is Typ.BOOL:
        expr = Case(
            When(value.expr, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    else:
        expr = value.expr
    if item.descending:
        return [OrderBy(expr, descending=True, nulls_last=True)]
    return [OrderBy(expr, nulls_first=True)]


def condition(node: Node, entity: EntityType, scope: Scope) -> Q:
    if isinstance(node, Binary) and node.op in ("and", "or"):
        return combine(node.op, [condition(part, entity, scope) for part in _chain(node)])
    if isinstance(node, Unary) and node.op == "not":
        return negate(condition(node.operand, entity, scope))
    if not scope.many_ok and _uses_many(node, entity):
        inner = Scope(scope.where, many_ok=True)
        matches = as_condition(compile_value(node, entity, inner), inner)
        related = entity.model._default_manager.filter(pk=OuterRef("pk")).filter(matches)
        return Q(Exists(related))
    return as_condition(compile_value(node, entity, scope), scope)


def _chain(node: Binary) -> list[Node]:
    """The operands of ``a and b and c`` (however grouped), without recursion."""
    operands: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Binary) and current.op == node.op:
            stack.extend((current.right, current.left))
        else:
            operands.append(current)
    return operands


def _uses_many(node: Node, entity: EntityType) -> bool:
    return any(isinstance(n, Path) and paths.crosses_many(n, entity) for n in walk(node))


def compile_value(node: Node, entity: EntityType, scope: Scope) -> Val:
    if isinstance(node, Literal):
        return literal_value(node)
    if isinstance(node, Path):
        return paths.path_value(node, entity, scope)
    if isinstance(node, Call):
        args = [compile_value(arg, entity, scope) for arg in node.args]
        return compile_call(node, args, scope)
    if isinstance(node, Unary):
        if node.op == "not":
            return _boolean(condition(node, entity, scope), node.pos)
        return _negate(compile_value(node.operand, entity, scope), node.pos, scope)
    if isinstance(node, Binary):
        if node.op in COMPARISONS:
            left = compile_value(node.left, entity, scope)
            right = compile_value(node.right, entity, scope)
            return _boolean(compare(node.op, left, right, scope), node.pos)
        if node.op in ARITHMETIC:
            left = compile_value(node.left, entity, scope)
            right = compile_value(node.right, entity, scope)
            return arithmetic(node.op, left, right, node.pos, scope)
        return _boolean(condition(node, entity, scope), node.pos)
    raise scope.error("unsupported expression", node.pos)


def _boolean(q: Q, pos: int) -> Val:
    if q is TRUE or q is FALSE:
        return Val(Typ.BOOL, pos, q, const=q is TRUE)
    return Val(Typ.BOOL, pos, q)


def literal_value(node: Literal) -> Val:
    pos, value = node.pos, node.value
    match node.kind:
        case LitKind.STRING:
            return Val(Typ.STRING, pos, Value(value, output_field=CharField()), const=value)
        case LitKind.NUMBER:
            return _number(value, pos)
        case LitKind.BOOL:
            return Val(Typ.BOOL, pos, TRUE if value else FALSE, const=value)
        case LitKind.NULL:
            return Val(Typ.NULL, pos)
        case LitKind.DATETIME:
            return instant_literal(value, pos)
        case LitKind.DATE:
            return Val(Typ.DATE, pos, Value(value, output_field=DateField()), const=value)
        case LitKind.TIMEOFDAY:
            return Val(Typ.TIMEOFDAY, pos, Value(value, output_field=TimeField()), const=value)
        case LitKind.INTERVAL:
            start, end = (Value(v, output_field=DateTimeField()) for v in value)
            return Val(Typ.TIME, pos, start, end=end, const=value)
        case LitKind.DURATION:
            return Val(Typ.DURATION, pos, Value(value, output_field=DurationField()), const=value)
        case LitKind.GEOMETRY:
            return Val(Typ.GEOMETRY, pos, geo=geo.literal_geo(value))
    raise AssertionError(f"unhandled literal kind {node.kind}")


def _number(value: int | float, pos: int) -> Val:
    if isinstance(value, int) and not -_INT64 <= value < _INT64:
        value = float(value)  # beyond what the stores bind as an integer
    if isinstance(value, float) and not math.isfinite(value):
        return Val(Typ.NULL, pos)
    return Val(Typ.NUMBER, pos, Value(value), const=value, integral=isinstance(value, int))


def _negate(value: Val, pos: int, scope: Scope) -> Val:
    if value.typ is Typ.DURATION and value.is_const:
        return Val(
            Typ.DURATION, pos, Value(-value.const, output_field=DurationField()), const=-value.const
        )
    value = expect(value, Typ.NUMBER, scope, "'-'")
    if value.typ is Typ.NULL:
        return value
    if value.is_const:
        return _number(-value.const, pos)
    return Val(Typ.NUMBER, pos, sql.Arithmetic("*", value.expr, Value(-1)), integral=value.integral)


def arithmetic(op: str, left: Val, right: Val, pos: int, scope: Scope) -> Val:
    temporal = (Typ.DATETIME, Typ.TIME, Typ.DURATION)
    if left.typ in temporal or right.typ in temporal:
        return _temporal_arithmetic(op, left, right, pos, scope)
    left = expect(left, Typ.NUMBER, scope, f"'{op}'")
    right = expect(right, Typ.NUMBER, scope, f"'{op}'")
    if Typ.NULL in (left.typ, right.typ):
        return Val(Typ.NULL, pos)
    if left.is_const and right.is_const:
        result = _fold(op, left.const, right.const)
        return Val(Typ.NULL, pos) if result is None else _number(result, pos)
    integral = left.integral and right.integral
    if op == "div":
        divide = sql.IntegerDivide if integral else sql.Divide
        return Val(Typ.NUMBER, pos, divide(left.expr, right.expr), integral=integral)
    if op == "mod":
        return Val(Typ.NUMBER, pos, sql.Mod(left.expr, right.expr), integral=integral)
    operator_sql = {"add": "+", "sub": "-", "mul": "*"}[op]
    return Val(
        Typ.NUMBER, pos, sql.Arithmetic(operator_sql, left.expr, right.expr), integral=integral
    )


def _fold(op: str, a: int | float, b: int | float) -> int | float | None:
    if op in ("div", "mod") and b == 0:
        return None  # as the stores do (NULLIF)
    if op == "div":
        if isinstance(a, int) and isinstance(b, int):
            quotient = abs(a) // abs(b)
            return quotient if (a < 0) == (b < 0) else -quotient
        return a / b
    if op == "mod":
        return (
            int(math.fmod(a, b)) if isinstance(a, int) and isinstance(b, int) else math.fmod(a, b)
        )
    return {"add": operator.add, "sub": operator.sub, "mul": operator.mul}[op](a, b)


def _temporal_arithmetic(op: str, left: Val, right: Val, pos: int, scope: Scope) -> Val:
    if op == "sub" and left.typ is Typ.DATETIME and right.typ is Typ.DATETIME:
        if left.is_const and right.is_const:
            return _duration(left.const - right.const, pos)
        return Val(
            Typ.DURATION,
            pos,
            CombinedExpression(left.expr, Combinable.SUB, right.expr, output_field=DurationField()),
        )
    if op not in ("add", "sub") or right.typ is not Typ.DURATION or not right.is_const:
        raise scope.error(
            f"'{op}' with times needs a time {op} duration'...' or datetime sub datetime", pos
        )
    delta: timedelta = right.const if op == "add" else -right.const
    if left.typ is Typ.DURATION and left.is_const:
        return _duration(left.const + delta, pos)
    if left.typ not in (Typ.DATETIME, Typ.TIME):
        raise scope.error(f"cannot {op} a duration to a {left.typ.value}", pos)
    return _shift(left, delta, pos)


def _duration(delta: timedelta, pos: int) -> Val:
    return Val(Typ.DURATION, pos, Value(delta, output_field=DurationField()), const=delta)


def _shift(value: Val, delta: timedelta, pos: int) -> Val:
    if value.is_const:
        if isinstance(value.const, tuple):
            start, end = (v + delta for v in value.const)
            return Val(
                Typ.TIME,
                pos,
                Value(start, output_field=DateTimeField()),
                end=Value(end, output_field=DateTimeField()),
                const=(start, end),
            )
        return instant_literal(value.const + delta, pos)
    return Val(
        value.typ,
        pos,
        _plus(value.expr, delta),
        end=None if value.end is None else _plus(value.end, delta),
    )


def _plus(expr: Expression, delta: timedelta) -> Expression:
    """``expr + delta``; shifts of a shifted time are added up first, and may not reach
    beyond the calendar's length (where PostgreSQL's timestamps would end too)."""
    if isinstance(expr, sql.ShiftedTime):
        expr, earlier = expr.get_source_expressions()
        delta += earlier.value
    if abs(delta) > LONGEST_SPAN:
        raise ValueError("times may be shifted by at most 10,000 years")
    return sql.ShiftedTime(expr, Value(delta, output_field=DurationField()))
