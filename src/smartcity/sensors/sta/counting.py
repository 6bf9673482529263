"""``$count`` (req/request-data/count): exact by default; in the documented estimate mode
an unfiltered count of a huge table comes from PostgreSQL's planner statistics instead of
a full scan (SMARTCITY_STA_COUNT_MODE=estimate)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from smartcity.core import config
from smartcity.sensors.entities import EntityType
from smartcity.sensors.sta.query_options import QueryOptions


def count_rows(queryset: QuerySet[Any], entity: EntityType, options: QueryOptions) -> int:
    if config.get("STA_COUNT_MODE") == "estimate" and _is_whole_table(queryset, options):
        estimate = _planner_estimate(entity.model._meta.db_table)
        if estimate is not None and estimate > config.get("STA_COUNT_ESTIMATE_THRESHOLD"):
            return estimate
    return queryset.count()


def _is_whole_table(queryset: QuerySet[Any], options: QueryOptions) -> bool:
    return options.filter is None and not queryset.query.where


def _planner_estimate(table: str) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None
