"""One query for the pages of a to-many ``$expand`` across all parent rows.

``Datastreams?$expand=Observations($top=1;$orderby=phenomenonTime desc)`` needs the first
page of every datastream's observations. One Django query per parent costs most of its
time compiling; here the page query is compiled once with a sentinel parent id, and the
per-parent copies run as one ``UNION ALL`` of limited subqueries. Each subquery walks the
(parent, key, id) index, so the cost grows with the rows returned, not with the table.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from smartcity.sensors.entities import EntityType
from smartcity.sensors.sta import budget, paging
from smartcity.sensors.sta.rows import Rows, entity_columns, execute, fetch

_SENTINEL = -7_770_000_000_007
_CHUNK = 200  # parents per statement; SQLite allows at most 500 terms in a compound SELECT


def first_pages(
    base: QuerySet[Any],
    entity: EntityType,
    lookup: str,
    parent_ids: list[int],
    keys: list[paging.SortKey],
    skip: int,
    size: int,
) -> dict[int, Rows]:
    """Up to ``size + 1`` rows (after ``skip``) per parent, in the keys' order; no more
    rows in all than the request's budget has left (sta.budget): one statement that
    would return more raises AnswerTooLarge before the rows are held."""
    names = paging.key_names(keys)
    template = paging.order(base.filter(**{lookup: _SENTINEL}), keys)[skip : skip + size + 1]
    query = template.values_list(*entity_columns(entity), *names).query
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:
        return {}
    positions = [i for i, p in enumerate(params) if p == _SENTINEL]
    left = budget.left()
    if len(positions) != 1:  # cannot tell the parent parameter apart: one query each
        pages, kept = {}, 0
        for pk in parent_ids:
            page = paging.order(base.filter(**{lookup: pk}), keys)[skip : skip + size + 1]
            pages[pk] = fetch(page, entity, names)
            kept += min(len(pages[pk].data), size)
            _check(kept, left)
        return pages
    found: dict[int, list[tuple[Any, ...]]] = {}
    columns: dict[str, int] = {}
    fetched = 0
    for start in range(0, len(parent_ids), _CHUNK):
        chunk = parent_ids[start : start + _CHUNK]
        parts: list[str] = []
        all_params: list[Any] = []
        for index, pk in enumerate(chunk):
            parts.append(f"SELECT *, {index} AS _p FROM ({sql}) _s{index}")
            all_params.extend(pk if i == positions[0] else p for i, p in enumerate(params))
        order = ", ".join(
            ["_p", *(_order_term(name, key) for name, key in zip(names, keys, strict=True))]
        )
        # no more rows than the budget has left, and an extra row per parent for its
        # nextLink; one more than that says the budget is exceeded
        room = None if left is None else left - fetched + len(chunk)
        limit = "" if room is None else f" LIMIT {max(room, 0) + 1}"
        rows = execute(" UNION ALL ".join(parts) + f" ORDER BY {order}{limit}", all_params)
        fetched += len(rows.data)
        if room is not None:
            _check(len(rows.data) - 1, room - 1)
        columns = rows.columns
        parent_at = columns["_p"]
        for row in rows.data:
            found.setdefault(chunk[row[parent_at]], []).append(row)
    return {pk: Rows(columns, data) for pk, data in found.items()}


def _check(taken: int, left: int | None) -> None:
    """AnswerTooLarge once more is taken than the budget has left."""
    if left is not None and taken > left:
        budget.refuse()


def _order_term(name: str, key: paging.SortKey) -> str:
    """Null placement as the standard wants it (first ascending, last descending), spelled
    out because PostgreSQL's default is the opposite."""
    if key.descending:
        return f"{name} DESC NULLS LAST" if key.nullable else f"{name} DESC"
    return f"{name} ASC NULLS FIRST" if key.nullable else f"{name} ASC"
