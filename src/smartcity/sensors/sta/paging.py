"""Ordering and server-driven paging that never skips or repeats a row.

Every collection is ordered by the client's ``$orderby`` keys with ``id`` appended as the
final tie-breaker, so the order is total and stable. The nextLink carries an opaque
``$skiptoken`` holding the sort-key values of the last row served (keyset paging), so rows
inserted or deleted between two requests do not shift the pages. Keys that are not plain
columns (functions, JSON members) fall back to an offset token.

Null sorts first ascending and last descending (req/request-data/orderby): in both
directions null behaves as the smallest value, which the keyset condition relies on.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy

from smartcity.core.errors import BadRequest
from smartcity.core.timeutil import as_utc


@dataclass(frozen=True)
class SortKey:
    expression: Any
    descending: bool
    column: str | None  # the field path when the key is a plain column, else None
    is_datetime: bool = False
    nullable: bool = True


def sort_keys(compiled: list[OrderBy], model: type[models.Model]) -> list[SortKey]:
    """The client's keys plus ``id`` in the direction of the last key, so that an index on
    (parent, key, id) delivers the rows already in order."""
    keys = [_sort_key(order, model) for order in compiled]
    keys.append(SortKey(F("id"), bool(keys) and keys[-1].descending, "id", nullable=False))
    return keys


def _sort_key(order: OrderBy, model: type[models.Model]) -> SortKey:
    expression = order.expression
    column: str | None = getattr(expression, "name", None) if isinstance(expression, F) else None
    field = _field_at(model, column) if column else None
    if field is None or isinstance(field, models.JSONField):
        return SortKey(expression, order.descending, None)
    return SortKey(
        expression,
        order.descending,
        column,
        isinstance(field, models.DateTimeField),
        nullable=field.null,
    )


def _field_at(model: type[models.Model], path: str) -> models.Field[Any, Any] | None:
    current: Any = model
    field = None
    for part in path.split("__"):
        try:
            field = current._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return None
        if field.is_relation:
            if field.many_to_many or field.one_to_many:
                return None
            current = field.related_model
    return field  # type: ignore[return-value]


def order(queryset: QuerySet[Any], keys: list[SortKey]) -> QuerySet[Any]:
    annotated = queryset.annotate(**{f"_k{i}": k.expression for i, k in enumerate(keys)})
    # Null placement is only spelled out where nulls can occur: an explicit NULLS FIRST
    # keeps some planners from walking an index for a NOT NULL column.
    return annotated.order_by(
        *[
            OrderBy(
                F(f"_k{i}"),
                descending=k.descending,
                nulls_first=True if k.nullable and not k.descending else None,
                nulls_last=True if k.nullable and k.descending else None,
            )
            for i, k in enumerate(keys)
        ]
    )


def keyset_possible(keys: list[SortKey]) -> bool:
    return all(k.column is not None for k in keys)


def key_names(keys: list[SortKey]) -> tuple[str, ...]:
    return tuple(f"_k{i}" for i in range(len(keys)))


def key_values(rows: Any, keys: list[SortKey]) -> list[Any]:
    """The sort-key values of the last row of a page (a ``rows.Rows``)."""
    last = rows.data[-1]
    return [last[rows.columns[name]] for name in key_names(keys)]


def encode_token(keys: list[SortKey], last_values: list[Any], offset: int) -> str:
    if keyset_possible(keys):
        payload: dict[str, Any] = {"k": [_jsonable(v) for v in last_values]}
    else:
        payload = {"o": offset}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def apply_token(
    queryset: QuerySet[Any], keys: list[SortKey], token: str
) -> tuple[QuerySet[Any], int]:
    """The queryset restricted to rows after the token, and an offset still to skip."""
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadRequest(
            "malformed $skiptoken; use the nextLink as given", where="$skiptoken"
        ) from None
    if isinstance(payload, dict) and isinstance(payload.get("o"), int) and payload["o"] >= 0:
        return queryset, payload["o"]
    values = payload.get("k") if isinstance(payload, dict) else None
    if not isinstance(values, list) or len(values) != len(keys) or not keyset_possible(keys):
        raise BadRequest("$skiptoken does not belong to this query", where="$skiptoken")
    try:
        parsed = [
            _aware(datetime.fromisoformat(v), v) if k.is_datetime and v is not None else v
            for k, v in zip(keys, values, strict=True)
        ]
    except (TypeError, ValueError):  # TimeFormatError too: a time no store can compare
        raise BadRequest("malformed $skiptoken", where="$skiptoken") from None
    return queryset.filter(_after(keys, parsed)), 0


def _aware(value: datetime, text: str) -> datetime:
    return as_utc(value, text) if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _after(keys: list[SortKey], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the keys' order (lexicographic, nulls smallest)."""
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        name = f"_k{index}"
        if key.descending:
            after = (
                Q(pk__in=[])
                if value is None
                else (Q(**{f"{name}__lt": value}) | Q(**{f"{name}__isnull": True}))
            )
        else:
            after = (
                Q(**{f"{name}__isnull": False}) if value is None else Q(**{f"{name}__gt": value})
            )
        condition |= equal_so_far & after
        equal_so_far &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return condition
