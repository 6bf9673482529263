"""SQL functions the compiler emits, each written once for SQLite and once for
PostgreSQL, so one compiled expression tree runs on both stores.

SQLite has no typed JSON access, no MOD/ROUND with OData semantics and no microseconds;
the ``sta_*`` functions it calls are registered in :mod:`.sqlite_functions`. Division and
modulo by zero give NULL on both stores (PostgreSQL would raise), so a client's
``div 0`` filters rows out instead of failing the request.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Expression,
    F,
    Field,
    FloatField,
    Func,
    Value,
)

SqlParams = tuple[str, list[Any]]
_SLOT = re.compile(r"\{(\d+)\}")


class VendorFunc(Func):
    """A function whose SQL is a template per vendor; ``{0}``, ``{1}`` are the compiled
    arguments (a slot may be used twice, its parameters are repeated)."""

    sqlite_template = ""
    postgres_template = ""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> SqlParams:  # type: ignore[override]
        return self.render(compiler, connection, self.sqlite_template)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> SqlParams:  # type: ignore[override]
        return self.render(compiler, connection, self.postgres_template)

    def render(self, compiler: Any, connection: Any, template: str) -> SqlParams:
        compiled = [compiler.compile(arg) for arg in self.get_source_expressions()]
        return fill(template, compiled)


def fill(template: str, compiled: list[tuple[str, Any]]) -> SqlParams:
    sql: list[str] = []
    params: list[Any] = []
    last = 0
    for match in _SLOT.finditer(template):
        sql.append(template[last : match.start()])
        arg_sql, arg_params = compiled[int(match.group(1))]
        sql.append(arg_sql)
        params.extend(arg_params)
        last = match.end()
    sql.append(template[last:])
    return "".join(sql), params


class Arithmetic(VendorFunc):
    """add, sub, mul in floating point on PostgreSQL, where bigint arithmetic raises on
    overflow (SQLite turns an overflowing integer into a float by itself)."""

    output_field = FloatField()

    def __init__(self, operator: str, left: Any, right: Any) -> None:
        super().__init__(left, right)
        self.sqlite_template = f"({{0}} {operator} {{1}})"
        self.postgres_template = f"(({{0}})::double precision {operator} {{1}})"


class Divide(VendorFunc):
    sqlite_template = "(CAST({0} AS REAL) / NULLIF({1}, 0))"
    postgres_template = "(({0})::double precision / NULLIF({1}, 0))"
    output_field = FloatField()


class IntegerDivide(VendorFunc):
    """OData ``div`` of two integers truncates toward zero."""

    sqlite_template = "({0} / NULLIF({1}, 0))"
    postgres_template = "TRUNC(({0})::double precision / NULLIF({1}, 0))"
    output_field = FloatField()


class Mod(VendorFunc):
    # OData mod keeps the sign of the dividend, like C fmod; numeric keeps decimals exact.
    sqlite_template = "sta_mod({0}, {1})"
    postgres_template = "MOD(({0})::numeric, NULLIF({1}, 0)::numeric)::double precision"
    output_field = FloatField()


class Round(VendorFunc):
    # round(double precision) on PostgreSQL rounds half to even; OData wants half away
    # from zero, which is what round(numeric) does.
    sqlite_template = "sta_round({0})"
    postgres_template = "ROUND(({0})::numeric)::double precision"
    output_field = FloatField()


class Floor(VendorFunc):
    sqlite_template = "sta_floor({0})"
    postgres_template = "FLOOR({0})"
    output_field = FloatField()


class Ceiling(VendorFunc):
    sqlite_template = "sta_ceiling({0})"
    postgres_template = "CEIL({0})"
    output_field = FloatField()


class FractionalSeconds(VendorFunc):
    sqlite_template = "sta_fractionalseconds({0})"
    postgres_template = "(MOD(EXTRACT(MICROSECONDS FROM {0})::numeric, 1000000) / 1000000.0)"
    output_field = FloatField()


class ShiftedTime(VendorFunc):
    """A time plus a duration. On SQLite the calendar's first or last instant where the
    sum leaves the years 1 to 9999 (Django's own function raises there, which aborts the
    query); PostgreSQL's timestamps reach far beyond them."""

    sqlite_template = "sta_shift_time({0}, {1})"
    postgres_template = "({0} + {1})"
    output_field = DateTimeField()


class EndsWith(VendorFunc):
    """``{0}`` ends with ``{1}``, case-sensitive (Django's LIKE-based lookups are
    case-insensitive on SQLite)."""

    sqlite_template = postgres_template = (
        "(SUBSTR({0}, LENGTH({0}) - LENGTH({1}) + 1) = {1} AND LENGTH({0}) >= LENGTH({1}))"
    )
    output_field = BooleanField()


class StartsWith(VendorFunc):
    sqlite_template = postgres_template = "(SUBSTR({0}, 1, LENGTH({1})) = {1})"
    output_field = BooleanField()


class JsonAccess(Func):
    """Typed access to a member of a JSON column. ``keys`` is the member path; a key made
    of digits is an array index. Only values of the wanted JSON type come out, others are
    NULL, so ``properties/a gt 5`` never fails on a row where ``a`` is text."""

    sqlite_template = ""  # {col} and {path} are filled in
    postgres_template = ""
    output_field: Any = None

    def __init__(self, column: Expression | F, keys: tuple[str, ...], **extra: Any) -> None:
        super().__init__(column, output_field=self.output_field, **extra)
        self.keys = keys

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> SqlParams:  # type: ignore[override]
        column = compiler.compile(self.get_source_expressions()[0])
        path = "$" + "".join(f"[{k}]" if k.isdigit() else f'."{k}"' for k in self.keys)
        return fill(self.sqlite_template, [column, ("%s", [path])])

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> SqlParams:  # type: ignore[override]
        column = compiler.compile(self.get_source_expressions()[0])
        slots = ", ".join(["%s"] * len(self.keys))
        return fill(self.postgres_template, [column, (f"ARRAY[{slots}]::text[]", list(self.keys))])


class JsonNumber(JsonAccess):
    sqlite_template = (
        "(CASE WHEN json_type({0}, {1}) IN ('integer', 'real') THEN json_extract({0}, {1}) END)"
    )
    postgres_template = (
        "(CASE WHEN jsonb_typeof({0} #> {1}) = 'number' THEN ({0} #>> {1})::double precision END)"
    )
    output_field = FloatField()


class JsonText(JsonAccess):
    sqlite_template = "(CASE WHEN json_type({0}, {1}) = 'text' THEN json_extract({0}, {1}) END)"
    postgres_template = "(CASE WHEN jsonb_typeof({0} #> {1}) = 'string' THEN {0} #>> {1} END)"
    output_field = CharField()


class JsonBool(JsonAccess):
    sqlite_template = "(CASE json_type({0}, {1}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)"
    postgres_template = (
        "(CASE WHEN jsonb_typeof({0} #> {1}) = 'boolean' THEN ({0} #>> {1})::boolean END)"
    )
    output_field = BooleanField()


class JsonIsNull(JsonAccess):
    """True when the member is missing or JSON null."""

    sqlite_template = "(COALESCE(json_type({0}, {1}), 'null') = 'null')"
    postgres_template = "(COALESCE(jsonb_typeof({0} #> {1}), 'null') = 'null')"
    output_field = BooleanField()


class JsonSortKey(JsonAccess):
    """The member as the store orders JSON values: numbers numerically, then text. Its
    output field converts nothing, as SQLite yields plain numbers and strings here and
    PostgreSQL decoded jsonb."""

    sqlite_template = "json_extract({0}, {1})"
    postgres_template = "({0} #> {1})"
    output_field = Field()


def text_value(value: str) -> Value:
    return Value(value, output_field=CharField())
