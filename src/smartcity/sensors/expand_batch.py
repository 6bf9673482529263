"""One query for the pages of a to-many ``$expand`` across all parent rows.

``Datastreams?$expand=Observations($top=1;$orderby=phenomenonTime desc)`` needs the first
page of every datastream's observations. One Django query per parent costs most of its
time compiling; here the page query is compiled once with a sentinel parent id, and the
per-parent copies run as one ``UNION ALL`` of limited subqueries. Each subquery walks the
(parent, key, id) index, so the cost grows with the rows returned, not with the table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from smartcity.sensors import paging

_SENTINEL = -7_770_000_000_007
_CHUNK = 200  # parents per statement; SQLite allows at most 500 terms in a compound SELECT


def first_pages(
    base: QuerySet[Any],
    lookup: str,
    parent_ids: list[int],
    keys: list[paging.SortKey],
    skip: int,
    size: int,
) -> dict[int, list[Any]]:
    """Up to ``size + 1`` rows (after ``skip``) per parent, in the keys' order."""
    template = paging.order(base.filter(**{lookup: _SENTINEL}), keys)[skip : skip + size + 1]
    sql, params = template.query.sql_with_params()
    positions = [i for i, p in enumerate(params) if p == _SENTINEL]
    if len(positions) != 1:
        return {
            pk: list(paging.order(base.filter(**{lookup: pk}), keys)[skip : skip + size + 1])
            for pk in parent_ids
        }
    found: dict[int, list[Any]] = {pk: [] for pk in parent_ids}
    for start in range(0, len(parent_ids), _CHUNK):
        chunk = parent_ids[start : start + _CHUNK]
        parts, all_params = [], []
        for index, pk in enumerate(chunk):
            parts.append(f"SELECT *, {index} AS _p FROM ({sql}) _s{index}")
            all_params.extend(pk if i == positions[0] else p for i, p in enumerate(params))
        order = ", ".join(
            ["_p", *(f"_k{i} {'DESC' if k.descending else 'ASC'}" for i, k in enumerate(keys))]
        )
        union = " UNION ALL ".join(parts) + f" ORDER BY {order}"
        for row in base.model.objects.raw(union, all_params):
            _fix_key_types(row, keys)
            found[chunk[row._p]].append(row)
    return found


def _fix_key_types(row: Any, keys: list[paging.SortKey]) -> None:
    """Raw rows carry the sort-key columns as the driver returns them; SQLite gives text
    for times, which the keyset token must hold as aware UTC datetimes."""
    for index, key in enumerate(keys):
        value = getattr(row, f"_k{index}", None)
        if key.is_datetime and isinstance(value, str):
            setattr(row, f"_k{index}", datetime.fromisoformat(value).replace(tzinfo=UTC))
