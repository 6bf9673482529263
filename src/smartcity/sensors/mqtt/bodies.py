"""The JSON representations the MQTT extension sends: what a GET of each changed entity
would answer, read for many entities at once."""

from __future__ import annotations

from typing import Any

from django.db import connection

from smartcity.sensors.entities import EntityType
from smartcity.sensors.mqtt import topics
from smartcity.sensors.sta import query_options, reads
from smartcity.sensors.sta.rows import entity_columns, execute
from smartcity.sensors.sta.serialize import Links


def representations(
    entity: EntityType, pks: list[int], root_url: str
) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(id, JSON representation, to-one parents' ids) of the entities with these ids that
    still exist, in id order: one SELECT and a column-at-a-time serialization."""
    if not pks:
        return []
    table = connection.ops.quote_name(entity.model._meta.db_table)
    unique = sorted(set(pks))
    if unique[-1] - unique[0] + 1 == len(unique):  # one bulk insert's range: two parameters
        where, params = "id BETWEEN %s AND %s", [unique[0], unique[-1]]
    else:
        where, params = f"id IN ({', '.join(['%s'] * len(unique))})", unique
    rows = execute(
        f"SELECT {', '.join(entity_columns(entity))} FROM {table} WHERE {where} ORDER BY id",
        params,
    )
    if not rows.data:
        return []
    bodies = reads.serialize_rows(
        rows, entity, query_options.QueryOptions(), Links(root_url, topics.VERSION)
    )
    parent_columns = {
        name: rows.columns[f"{nav.orm}_id"]
        for name, nav in entity.navigations.items()
        if not nav.many and f"{nav.orm}_id" in rows.columns
    }
    at = rows.columns["id"]
    return [
        (row[at], body, {name: row[i] for name, i in parent_columns.items()})
        for row, body in zip(rows.data, bodies, strict=True)
    ]
