"""Reading rows as the database driver returns them and writing their JSON directly.

Building a Django model instance per row, converting every time stamp to a datetime and
back to text, and parsing stored JSON only to encode it again cost far more than the
query. Here a page is fetched as plain tuples; time stamps are formatted from the driver's
value (SQLite's UTC text or PostgreSQL's datetime), and stored JSON is embedded verbatim
with ``orjson.Fragment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from psycopg.types.string import TextLoader

from smartcity.core.geo import BBox
from smartcity.core.timeutil import format_instant
from smartcity.sensors.entities import EntityType, Kind, Property
from smartcity.sensors.sta import budget
from smartcity.sensors.sta.serialize import Links


@dataclass
class Rows:
    """Tuples from one query, with the position of each column by name."""

    columns: dict[str, int]
    data: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        index = self.columns[name]
        return [row[index] for row in self.data]

    def subset(self, data: list[tuple[Any, ...]]) -> Rows:
        return Rows(self.columns, data)


def entity_columns(entity: EntityType) -> tuple[str, ...]:
    """The concrete columns of an entity's table (attribute names, e.g. ``thing_id``)."""
    return _columns_of(entity.name)


@cache
def _columns_of(name: str) -> tuple[str, ...]:
    from smartcity.sensors.entities import BY_NAME

    return tuple(f.attname for f in BY_NAME[name].model._meta.concrete_fields)


def fetch(queryset: QuerySet[Any], entity: EntityType, extra: tuple[str, ...] = ()) -> Rows:
    """Run ``queryset`` selecting the entity's columns (and ``extra`` annotations)."""
    query = queryset.query
    if not (query.default_cols and set(extra) <= query.annotation_select.keys()):
        query = queryset.values_list(*entity_columns(entity), *extra).query
    # else: the model's own select list already names every column and annotation, and
    # re-listing them with values_list costs more than running the query
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:
        return Rows({}, [])
    return execute(sql, params)


def from_instance(entity: EntityType, instance: Any) -> Rows:
    """One model instance as a one-row ``Rows`` (for the answer to a write)."""
    columns = entity_columns(entity)
    json_columns = _json_columns(entity.name)
    values = tuple(
        _encoded(getattr(instance, name)) if name in json_columns else getattr(instance, name)
        for name in columns
    )
    return Rows({name: i for i, name in enumerate(columns)}, [values])


def _encoded(value: Any) -> str | None:
    """JSON text, as the database hands JSON columns back."""
    return None if value is None else orjson.dumps(value).decode()


@cache
def _json_columns(name: str) -> frozenset[str]:
    from smartcity.sensors.entities import BY_NAME

    fields = BY_NAME[name].model._meta.concrete_fields
    return frozenset(f.attname for f in fields if f.get_internal_type() == "JSONField")


def execute(sql: str, params: Any) -> Rows:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Time stamps as the server's text: parsing them into datetimes only to
            # format them again costs more than the query (the session runs in UTC).
            cursor.cursor.adapters.register_loader("timestamptz", TextLoader)
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return Rows({name: i for i, name in enumerate(names)}, _fetch_within_budget(cursor))


CHUNK = 500  # rows read at a time, so that text over the answer's budget is not held


def _fetch_within_budget(cursor: Any) -> list[tuple[Any, ...]]:
    """All rows, counting their text against the request's budget (sta.budget) as they
    are read; outside a request, all at once."""
    if not budget.counting():
        return cursor.fetchall()
    found: list[tuple[Any, ...]] = []
    while chunk := cursor.fetchmany(CHUNK):
        found.extend(chunk)
        texts = [i for i in range(len(chunk[0])) if _is_text(chunk, i)]
        budget.spend_text(sum(len(row[i] or "") for i in texts for row in chunk))
        if len(chunk) < CHUNK:
            break
    return found


def _is_text(chunk: list[tuple[Any, ...]], i: int) -> bool:
    """Whether column ``i`` holds text: its first value that is not null says."""
    return isinstance(next((row[i] for row in chunk if row[i] is not None), None), str)


def format_time(value: Any) -> str | None:
    """UTC ISO 8601 with ``Z`` from a stored time: a datetime (naive UTC from Django's
    SQLite converter), SQLite's ``YYYY-MM-DD HH:MM:SS[.ffffff]`` UTC text (computed columns)
    or PostgreSQL's ``YYYY-MM-DD HH:MM:SS[.ffffff]+00`` text (raw rows, UTC session)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _format_time_text(value)
    return format_instant(value)


def _format_time_text(value: str) -> str:
    rest = value[19:]
    fraction = ""
    if rest.startswith("."):
        end = 1 + len(rest[1:]) - len(rest[1:].lstrip("0123456789"))
        digits = rest[1:end]
        rest = rest[end:]
        if digits.strip("0"):
            fraction = "." + digits[:3].ljust(3, "0")
    if rest not in ("", "+00", "+00:00", "Z"):  # another offset: let datetime do the work
        return format_instant(datetime.fromisoformat(value))
    return f"{value[:10]}T{value[11:19]}{fraction}Z"


def _json(value: Any) -> Any:
    if isinstance(value, str):
        return orjson.Fragment(value.encode())
    return value


def _column(prop: Property, rows: Rows) -> list[Any]:
    """The JSON-ready values of one property for every row, a column at a time (one
    comprehension per column costs far less than a function call per value)."""
    data, at = rows.data, rows.columns
    if prop.kind is Kind.TIME:
        start, end = at[prop.field], at[prop.end_field or ""]
        return [
            None
            if row[start] is None
            else format_time(row[start])
            if row[end] is None
            else f"{format_time(row[start])}/{format_time(row[end])}"
            for row in data
        ]
    if prop.kind is Kind.AREA:
        box = [at[f"bbox_{p}"] for p in ("min_x", "min_y", "max_x", "max_y")]
        return [
            None if row[box[0]] is None else BBox(*(row[i] for i in box)).as_geojson()
            for row in data
        ]
    index = at[prop.field]
    if prop.kind is Kind.INSTANT:
        return [None if row[index] is None else format_time(row[index]) for row in data]
    if prop.kind in (Kind.JSON, Kind.GEOMETRY, Kind.RESULT):
        return [_json(row[index]) for row in data]
    return [row[index] for row in data]


def property_columns(
    entity: EntityType, rows: Rows, select: list[str] | None, version: str
) -> list[tuple[str, list[Any]]]:
    """(name, values) of every property to write, in the entity's order."""
    wanted = set(select) if select else None
    plan = []
    for name, prop in entity.properties.items():
        if name == "id" or (wanted is not None and name not in wanted):
            continue
        if version == "v1.0" and name == "properties" and entity.name != "Thing":
            continue
        plan.append((name, _column(prop, rows)))
    return plan


def represent_all(
    entity: EntityType, rows: Rows, links: Links, select: list[str] | None
) -> list[dict[str, Any]]:
    """The SensorThings representation of every row, without expansions."""
    if not rows.data:
        return []
    wanted = set(select) if select else None
    plan = property_columns(entity, rows, select, links.version)
    names = [name for name, _ in plan]
    # Link texts are the same for every row but the id: build their parts once per page.
    prefix = f"{links.root}{entity.plural}("
    navigations = [
        (f"{n}@iot.navigationLink", f")/{n}")
        for n in entity.navigations
        if wanted is None or n in wanted
    ]
    ids = rows.column("id")
    keys: list[str] = []
    columns: list[list[Any]] = []
    if wanted is None or "id" in wanted:
        keys.append("@iot.id")
        columns.append(ids)
    if wanted is None:
        keys.append("@iot.selfLink")
        columns.append([f"{prefix}{pk})" for pk in ids])
    keys += names
    columns += [values for _, values in plan]
    for key, suffix in navigations:
        keys.append(key)
        columns.append([f"{prefix}{pk}{suffix}" for pk in ids])
    if not columns:
        return [{} for _ in ids]
    # one dict per row from the columns, in the order the keys were listed
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


def dumps(body: Any) -> bytes:
    return orjson.dumps(body)
