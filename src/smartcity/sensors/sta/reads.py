"""Reading collections and entities with their query options (OGC 18-088 clause 9.3),
evaluated in the order the standard fixes: $filter, $count, $orderby, $skip, $top, then
$select and $expand. A to-many ``$expand`` fetches the pages of all parents in one
statement (expand_batch), each page walking the (parent, key, id) index, so the newest
observation of every datastream stays cheap however many observations there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from smartcity.sensors.entities import EntityType, entity
from smartcity.sensors.sta import budget, expand_batch, odata, paging
from smartcity.sensors.sta.counting import count_rows
from smartcity.sensors.sta.paths import reverse_lookup
from smartcity.sensors.sta.query_options import ExpandItem, QueryOptions
from smartcity.sensors.sta.rows import Rows, fetch, represent_all
from smartcity.sensors.sta.serialize import Links


@dataclass
class Page:
    rows: Rows
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
    rows = (
        fetch(ordered[skip : skip + size + 1], entity_type, paging.key_names(keys))
        if size
        else Rows({}, [])
    )
    budget.spend(min(len(rows.data), size))
    return cut_page(rows, count, keys, options, skip)


def cut_page(
    rows: Rows, count: int | None, keys: list[paging.SortKey], options: QueryOptions, skip: int
) -> Page:
    """Keep one page of ``rows`` (fetched one longer) and make the token for the next
    whenever rows remain (req/request-data/pagination), also under a client's own $top."""
    size = options.page_size()
    more = len(rows.data) > size
    page = rows.subset(rows.data[:size])
    token = None
    if more and size:
        token = paging.encode_token(keys, paging.key_values(page, keys), skip + size)
    return Page(page, count, token)


def next_link(base_url: str, options: QueryOptions, token: str) -> str:
    """The request that continues after ``token``: the same options, pages of the same
    size (a client's $top is its page size, at most SMARTCITY_STA_MAX_TOP: a larger one
    is discarded for the service's page, req/request-data/top), $skip already spent."""
    params = {k: v for k, v in options.raw.items() if k not in ("$skip", "$skiptoken")}
    if options.top is not None:
        params["$top"] = str(options.page_size())
    params["$skiptoken"] = token
    return f"{base_url}?{urlencode(params, safe='$,()/:')}"


def collection_body(
    queryset: QuerySet[Any], entity_type: EntityType, options: QueryOptions, links: Links, url: str
) -> dict[str, Any]:
    page = fetch_page(queryset, entity_type, options, with_count=True)
    body: dict[str, Any] = {}
    if page.count is not None:
        body["@iot.count"] = page.count
    body["value"] = serialize_rows(page.rows, entity_type, options, links)
    if page.next_token:
        body["@iot.nextLink"] = next_link(url, options, page.next_token)
    return body


def entity_body(
    queryset: QuerySet[Any], entity_type: EntityType, options: QueryOptions, links: Links
) -> dict[str, Any]:
    rows = fetch(filtered(queryset, entity_type, options)[:1], entity_type)
    return serialize_rows(rows, entity_type, options, links)[0]


def serialize_rows(
    rows: Rows, entity_type: EntityType, options: QueryOptions, links: Links
) -> list[dict[str, Any]]:
    bodies = represent_all(entity_type, rows, links, options.select)
    for item in options.expand:
        nav = entity_type.navigations[item.navigation]
        if nav.many:
            _expand_many(rows, bodies, entity_type, item, links)
        else:
            _expand_single(rows, bodies, entity(nav.target), nav.orm, item, links)
    return bodies


def _expand_many(
    rows: Rows,
    bodies: list[dict[str, Any]],
    entity_type: EntityType,
    item: ExpandItem,
    links: Links,
) -> None:
    nav = entity_type.navigations[item.navigation]
    destination = entity(nav.target)
    lookup = reverse_lookup(entity_type, nav)
    options = item.options
    keys = sort_keys_for(destination, options)
    size = options.page_size()
    base = filtered(destination.objects(), destination, options)
    parent_ids = rows.column("id") if rows.data else []
    pages = (
        expand_batch.first_pages(base, destination, lookup, parent_ids, keys, options.skip, size)
        if size and parent_ids
        else {}
    )
    budget.spend(sum(min(len(page.data), size) for page in pages.values()))
    for pk, body in zip(parent_ids, bodies, strict=True):
        found = pages.get(pk)
        if options.count:
            related = base.filter(**{lookup: pk})
            body[f"{item.navigation}@iot.count"] = count_rows(related, destination, options)
        if found is None:
            body[item.navigation] = []
            continue
        page = cut_page(found, None, keys, options, options.skip)
        body[item.navigation] = serialize_rows(page.rows, destination, options, links)
        if page.next_token:
            url = links.navigation_link(entity_type, pk, item.navigation)
            body[f"{item.navigation}@iot.nextLink"] = next_link(url, options, page.next_token)


def _expand_single(
    rows: Rows,
    bodies: list[dict[str, Any]],
    destination: EntityType,
    field: str,
    item: ExpandItem,
    links: Links,
) -> None:
    targets = rows.column(f"{field}_id") if rows.data else []
    wanted = {pk for pk in targets if pk is not None}
    if not wanted:
        return
    queryset = filtered(destination.objects().filter(pk__in=wanted), destination, item.options)
    found = fetch(queryset, destination)
    budget.spend(len(found.data))
    serialized = dict(
        zip(
            found.column("id") if found.data else [],
            serialize_rows(found, destination, item.options, links),
            strict=True,
        )
    )
    # A target shared by several parents is fetched once but stands in the answer once per
    # parent, with all that is expanded below it: those copies count too.
    memo: dict[int, int] = {}
    copies = 0
    seen: set[int] = set()
    for target, body in zip(targets, bodies, strict=True):
        if target in serialized:
            body[item.navigation] = serialized[target]
            if target in seen:
                copies += 1 + _entities_within(serialized[target], item.options, memo)
            seen.add(target)
    budget.spend(copies)


def _entities_within(body: dict[str, Any], options: QueryOptions, memo: dict[int, int]) -> int:
    """How many entities are expanded below ``body`` (each shared one as often as it
    stands there), counted once per distinct body."""
    known = memo.get(id(body))
    if known is not None:
        return known
    total = 0
    for item in options.expand:
        value = body.get(item.navigation)
        nested = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        total += sum(1 + _entities_within(child, item.options, memo) for child in nested)
    memo[id(body)] = total
    return total
