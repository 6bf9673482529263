"""Reading collections and entities with their query options (OGC 18-088 clause 9.3),
evaluated in the order the standard fixes: $filter, $count, $orderby, $skip, $top, then
$select and $expand. ``$expand`` runs one query per navigation level and parent, each
using the (parent, ordering) index, so the newest observation of every datastream stays
cheap however many observations there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from smartcity.sensors import expand_batch, odata, paging
from smartcity.sensors.counting import count_rows
from smartcity.sensors.entities import EntityType, entity
from smartcity.sensors.paths import reverse_lookup
from smartcity.sensors.query_options import ExpandItem, QueryOptions
from smartcity.sensors.serialize import Links, represent


@dataclass
class Page:
    rows: list[Any]
    count: int | None
    next_token: str | None


def filtered(
    queryset: QuerySet[Any], entity_type: EntityType, options: QueryOptions
) -> QuerySet[Any]:
    if options.filter is not None:
        queryset = queryset.filter(odata.compile_filter(options.filter, entity_type))
    return queryset


def sort_keys_for(entity_type: EntityType, options: QueryOptions) -> list[paging.SortKey]:
    compiled = odata.compile_orderby(options.orderby, entity_type) if options.orderby else []
    return paging.sort_keys(compiled, entity_type.model)


def fetch_page(
    queryset: QuerySet[Any],
    entity_type: EntityType,
    options: QueryOptions,
    *,
    with_count: bool,
    keys: list[paging.SortKey] | None = None,
) -> Page:
    queryset = filtered(queryset, entity_type, options)
    count = count_rows(queryset, entity_type, options) if with_count and options.count else None
    if keys is None:
        keys = sort_keys_for(entity_type, options)
    ordered = paging.order(queryset, keys)
    skip = options.skip
    if options.skiptoken:
        ordered, skip = paging.apply_token(ordered, keys, options.skiptoken)
    size = options.page_size()
    rows = list(ordered[skip : skip + size + 1]) if size else []
    more = len(rows) > size
    rows = rows[:size]
    # A client's own $top that fits in one page is answered whole: no nextLink
    # (req/request-data/pagination); a larger $top or none at all is paged.
    token = None
    if more and (options.top is None or options.top > size):
        token = paging.encode_token(keys, rows[-1], skip + size)
    return Page(rows, count, token)


def next_link(base_url: str, options: QueryOptions, token: str) -> str:
    params = {k: v for k, v in options.raw.items() if k not in ("$skip", "$skiptoken")}
    remaining = None
    if options.top is not None:
        served = options.page_size()
        remaining = options.top - served
        if remaining <= 0:
            return ""
        params["$top"] = str(remaining)
    params["$skiptoken"] = token
    return f"{base_url}?{urlencode(params, safe='$,()/:')}"


def collection_body(
    queryset: QuerySet[Any], entity_type: EntityType, options: QueryOptions, links: Links, url: str
) -> dict[str, Any]:
    page = fetch_page(queryset, entity_type, options, with_count=True)
    items = serialize_rows(page.rows, entity_type, options, links)
    body: dict[str, Any] = {}
    if page.count is not None:
        body["@iot.count"] = page.count
    body["value"] = items
    if page.next_token:
        link = next_link(url, options, page.next_token)
        if link:
            body["@iot.nextLink"] = link
    return body


def serialize_rows(
    rows: list[Any], entity_type: EntityType, options: QueryOptions, links: Links
) -> list[dict[str, Any]]:
    bodies = [represent(row, entity_type, links, options.select) for row in rows]
    for item in options.expand:
        _expand(rows, bodies, entity_type, item, links)
    return bodies


def _expand(
    rows: list[Any],
    bodies: list[dict[str, Any]],
    entity_type: EntityType,
    item: ExpandItem,
    links: Links,
) -> None:
    nav = entity_type.navigations[item.navigation]
    destination = entity(nav.target)
    if not nav.many:
        _expand_single(rows, bodies, destination, nav.orm, item, links)
        return
    lookup = reverse_lookup(entity_type, nav)
    options = item.options
    keys = sort_keys_for(destination, options)
    size = options.page_size()
    base = filtered(destination.model.objects.all(), destination, options)
    pages = (
        expand_batch.first_pages(base, lookup, [row.pk for row in rows], keys, options.skip, size)
        if size
        else {}
    )
    for row, body in zip(rows, bodies, strict=True):
        found = pages.get(row.pk, [])
        if options.count:
            related = base.filter(**{lookup: row.pk})
            body[f"{item.navigation}@iot.count"] = count_rows(related, destination, options)
        body[item.navigation] = serialize_rows(found[:size], destination, options, links)
        if len(found) > size and (options.top is None or options.top > size):
            token = paging.encode_token(keys, found[size - 1], options.skip + size)
            url = links.navigation_link(entity_type, row.pk, item.navigation)
            link = next_link(url, options, token)
            if link:
                body[f"{item.navigation}@iot.nextLink"] = link


def _expand_single(
    rows: list[Any],
    bodies: list[dict[str, Any]],
    destination: EntityType,
    field: str,
    item: ExpandItem,
    links: Links,
) -> None:
    ids = {getattr(row, f"{field}_id") for row in rows} - {None}
    queryset = filtered(destination.model.objects.filter(pk__in=ids), destination, item.options)
    found = {obj.pk: obj for obj in queryset}
    targets = [found.get(getattr(row, f"{field}_id")) for row in rows]
    present = [t for t in targets if t is not None]
    serialized = dict(
        zip(
            [t.pk for t in present],
            serialize_rows(present, destination, item.options, links),
            strict=True,
        )
    )
    for target, body in zip(targets, bodies, strict=True):
        if target is not None:
            body[item.navigation] = serialized[target.pk]
