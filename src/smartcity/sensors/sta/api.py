"""The SensorThings HTTP interface as plain functions: a :class:`StaRequest` goes in, a
:class:`StaResponse` comes out. Django is only the adapter (views.py), so every rule here
is testable without a server, in the manner of pygeoapi's api modules."""

from __future__ import annotations

import json
from typing import Any

import orjson

from smartcity.core import payloads
from smartcity.core.errors import (
    BadRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from smartcity.core.tokens import require_scope
from smartcity.sensors import updates
from smartcity.sensors.entities import OBSERVATION, EntityType, Kind
from smartcity.sensors.grants import may_observe
from smartcity.sensors.ingest.groups import create_observations
from smartcity.sensors.sta import (
    batch,
    budget,
    data_array,
    paths,
    posting,
    query_options,
    reads,
    stream_page,
)
from smartcity.sensors.sta.conformance import service_root
from smartcity.sensors.sta.exchange import StaRequest, StaResponse
from smartcity.sensors.sta.rows import from_instance
from smartcity.sensors.sta.serialize import Links, property_value

WRITE_SCOPE = "sta:write"
ADMIN_SCOPE = "sta:admin"  # deleting a Thing removes its Datastreams and all their data


def handle(request: StaRequest) -> StaResponse:
    """The answer to one request, within its budget (sta.budget; a $batch's parts share
    their batch's)."""
    with budget.scope() as spent:
        if request.method in ("GET", "HEAD") and spent.entities <= 0:
            spent.refuse()  # a $batch's later reads, once its budget is gone: at once
        return _dispatch(request)


def _dispatch(request: StaRequest) -> StaResponse:
    if request.path.strip("/") == "CreateObservations":
        return _create_observations(request)
    if request.path.strip("/") == "$batch":
        return batch.handle_batch(request, handle)
    # The sensors' hot paths, a stream's Observations read and written, skip resolve().
    stream = paths.stream_observations(request.path)
    if request.method in ("GET", "HEAD"):
        options = None
        if stream is not None:
            options = query_options.parse(request.params, OBSERVATION)
            url = request.root_url + request.path.strip("/")
            links = Links(request.root_url, request.version)
            page = stream_page.try_read(stream, options, links, url)
            if page is not None:
                return StaResponse(200, page)
        return _read(request, paths.resolve(request.path), options)
    # a device's sta:observe token may create Observations in its own Datastreams only
    observing = (
        request.method == "POST"
        and stream is not None
        and stream.entity.name == "Datastream"
        and may_observe(request.principal, stream.pk)
    )
    if request.method == "POST":
        return _create(request, stream, observing)
    target = paths.resolve(request.path)
    if not observing:
        require_scope(request.principal, WRITE_SCOPE)
    if request.method in ("PATCH", "PUT"):
        return _update(request, target)
    if request.method == "DELETE":
        if target.kind == "entity" and target.entity is not None and target.entity.name == "Thing":
            require_scope(request.principal, ADMIN_SCOPE)
        return _delete(target)
    raise MethodNotAllowed(f"method {request.method} is not supported", where="method")


def _check_parent(target: paths.Target, found_rows: bool) -> None:
    """For ``Entities(n)/Collection`` the parent is checked only when no row proved it."""
    if target.parent_unverified and not found_rows and not paths.parent_exists(target):
        assert target.parent is not None
        raise NotFound(f"no {target.parent.entity.name} with id {target.parent.pk}", where="path")


def _read(
    request: StaRequest, target: paths.Target, options: query_options.QueryOptions | None
) -> StaResponse:
    links = Links(request.root_url, request.version)
    if target.kind == "root":
        return StaResponse(200, service_root(request.root_url, request.version))
    if options is None:
        options = query_options.parse(request.params, target.entity)
    assert target.entity is not None and target.queryset is not None
    url = request.root_url + request.path.strip("/")
    if target.ref:
        refs = _refs(target, options, links, url)
        _check_parent(target, bool(refs.get("value", True)))
        return StaResponse(200, refs)
    if options.result_format == "dataArray":
        body = data_array.body(target, options, links, url)
        _check_parent(target, bool(body["value"]))
        return StaResponse(200, body)
    if target.kind == "collection":
        body = reads.collection_body(target.queryset, target.entity, options, links, url)
        _check_parent(target, bool(body["value"]))
        return StaResponse(200, body)
    if target.kind == "property":
        return _property(target)
    return StaResponse(200, reads.entity_body(target.queryset, target.entity, options, links))


def _refs(target: paths.Target, options: query_options.QueryOptions, links: Links, url: str) -> Any:
    assert target.entity is not None and target.queryset is not None
    if target.kind == "entity":
        assert target.pk is not None
        return {"@iot.selfLink": links.self_link(target.entity, target.pk)}
    page = reads.fetch_page(target.queryset, target.entity, options, with_count=True)
    body: dict[str, Any] = {}
    if page.count is not None:
        body["@iot.count"] = page.count
    ids = page.rows.column("id") if page.rows.data else []
    body["value"] = [{"@iot.selfLink": links.self_link(target.entity, pk)} for pk in ids]
    if page.next_token:
        body["@iot.nextLink"] = reads.next_link(url, options, page.next_token)
    return body


def _property(target: paths.Target) -> StaResponse:
    assert target.entity is not None and target.queryset is not None and target.property
    prop = target.entity.properties[target.property]
    value = property_value(target.queryset.first(), prop)
    for member in target.member_path:
        if (
            prop.kind not in (Kind.JSON, Kind.RESULT, Kind.GEOMETRY)
            or not isinstance(value, dict)
            or member not in value
        ):
            raise NotFound(f"{target.property} has no member {member!r}")
        value = value[member]
    if value is None:
        return StaResponse(204)
    if target.raw_value:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return StaResponse(200, text, content_type="text/plain; charset=utf-8")
    name = target.member_path[-1] if target.member_path else target.property
    return StaResponse(200, {name: value})


def parse_json_body(request: StaRequest, *, patch: bool = False) -> Any:
    if len(request.body) > request.max_body:
        raise PayloadTooLarge(f"the request body exceeds {request.max_body} bytes", where="body")
    media = request.content_type.split(";")[0].strip().lower()
    allowed = {"application/json", ""} | ({"application/json-patch+json"} if patch else set())
    if media not in allowed:
        raise UnsupportedMediaType(
            f"unsupported Content-Type {media!r}; send application/json", where="Content-Type"
        )
    if not request.body.strip():
        raise BadRequest("the request body is empty; a JSON document is expected", where="body")
    try:
        value = orjson.loads(request.body)
    except orjson.JSONDecodeError as error:
        position = getattr(error, "pos", None)
        raise BadRequest(
            f"the request body is not valid JSON: {error}",
            where=f"body, character {position}" if position is not None else "body",
        ) from None
    payloads.check(value, request.body)
    return value


def _create(request: StaRequest, stream: paths.ParentLink | None, observing: bool) -> StaResponse:
    """POST: what posting.create_at creates, answered with its representation. A path
    that is not a stream's Observations is resolved (404) before the scope is checked, and
    checked to be a collection (405) before the body is read."""
    target = None
    if stream is None and request.path.strip("/") != "Observations":
        target = paths.resolve(request.path)
    if not observing:
        require_scope(request.principal, WRITE_SCOPE)
    if target is not None:
        posting.check_collection(target)
    entity_type, rows = posting.create_at(request.path, parse_json_body(request), target)
    return _created(request, entity_type, rows)


def _created(request: StaRequest, entity_type: EntityType, rows: Any) -> StaResponse:
    """201 with the new entity's representation and its address in Location."""
    links = Links(request.root_url, request.version)
    body = reads.serialize_rows(rows, entity_type, query_options.QueryOptions(), links)[0]
    return StaResponse(201, body, headers={"Location": body["@iot.selfLink"]})


def _update(request: StaRequest, target: paths.Target) -> StaResponse:
    if target.kind != "entity" or target.ref:
        raise MethodNotAllowed(
            f"{request.method} updates one entity, e.g. /Things(1)", where="path"
        )
    assert target.entity is not None and target.queryset is not None
    pk = target.pk
    assert pk is not None  # paths.resolve addressed one existing entity
    is_patch_doc = (
        request.content_type.split(";")[0].strip().lower() == "application/json-patch+json"
    )
    payload = parse_json_body(request, patch=request.method == "PATCH")
    if is_patch_doc:
        instance = updates.json_patch(target.entity, pk, payload)
    else:
        instance = updates.update(target.entity, pk, payload, replace=request.method == "PUT")
    links = Links(request.root_url, request.version)
    return StaResponse(200, _written(target.entity, instance, links))


def _create_observations(request: StaRequest) -> StaResponse:
    """req/data-array/data-array: POST CreateObservations answers the new selfLinks, and
    "error" in the place of a row that could not be created (OGC 18-088 clause 13.2).
    With ``Prefer: handling=strict`` (RFC 7240) such a row refuses the whole request."""
    if request.method != "POST":
        raise MethodNotAllowed("CreateObservations accepts POST only", where="method")
    require_scope(request.principal, WRITE_SCOPE)
    handling = request.preference("handling")
    strict = handling == "strict"
    ids = create_observations(parse_json_body(request), strict=strict)
    root = request.root_url
    links = [f"{root}Observations({pk})" if pk is not None else "error" for pk in ids]
    applied = {"Preference-Applied": f"handling={'strict' if strict else 'lenient'}"}
    return StaResponse(201, links, headers=applied if handling is not None else {})


def _written(entity_type: EntityType, instance: Any, links: Links) -> dict[str, Any]:
    """The representation of an entity just created or updated, from the saved instance."""
    rows = from_instance(entity_type, instance)
    return reads.serialize_rows(rows, entity_type, query_options.QueryOptions(), links)[0]


def _delete(target: paths.Target) -> StaResponse:
    if target.kind != "entity" or target.ref:
        raise MethodNotAllowed("DELETE removes one entity, e.g. /Things(1)", where="path")
    assert target.entity is not None and target.queryset is not None
    pk = target.pk
    assert pk is not None  # paths.resolve addressed one existing entity
    updates.delete(target.entity, pk)
    return StaResponse(200)
