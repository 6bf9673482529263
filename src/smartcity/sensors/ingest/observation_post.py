"""The common write of a sensor: one Observation POSTed with links only.

``POST /Observations`` with ``{"result": ..., "phenomenonTime": ..., "Datastream":
{"@iot.id": n}}`` (or the same below ``Datastreams(n)/Observations``) is what devices send
all day. The general deep-insert path (services.create) resolves every navigation property
through the ORM and builds a model instance; here the row is built by the bulk ingest's
``RowBuilder`` and written with plain SQL, and the write transaction holds SQLite's one
writer only for the INSERT and the extent UPDATE.

:func:`try_create` answers None for anything outside that shape (nested entities, unknown
keys, an unknown stream, an invalid value): the caller then takes the general path, which
gives the precise error, so both paths accept and refuse exactly the same requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from smartcity.core import events
from smartcity.core.errors import BadRequest
from smartcity.core.geo import BBox
from smartcity.sensors.entities import valid_id
from smartcity.sensors.ingest import writer
from smartcity.sensors.ingest.groups import COLUMNS
from smartcity.sensors.ingest.observations import Extent, extend_stream, extent_update
from smartcity.sensors.ingest.rows import RowBuilder
from smartcity.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    MultiDatastream,
    Observation,
    Thing,
)
from smartcity.sensors.sta.paths import ParentLink
from smartcity.sensors.sta.rows import Rows

# payload key -> RowBuilder component
_COMPONENTS = {
    "phenomenonTime": "phenomenonTime",
    "resultTime": "resultTime",
    "result": "result",
    "resultQuality": "resultQuality",
    "validTime": "validTime",
    "parameters": "parameters",
}
_STREAMS: dict[str, type[Datastream] | type[MultiDatastream]] = {
    "Datastream": Datastream,
    "MultiDatastream": MultiDatastream,
}
_ROW_COLUMNS = {name: i for i, name in enumerate(COLUMNS)}


@dataclass(frozen=True)
class _Stream:
    model: type[Datastream] | type[MultiDatastream]
    pk: int
    multi_size: int | None  # values per result of a MultiDatastream
    feature: tuple[int, BBox | None] | None  # the generated feature and its bbox, if current


class _General(Exception):
    """This request is for the general path."""


def try_create(payload: Any, parent: ParentLink | None) -> Rows | None:
    """Create the Observation and return its row, or None to leave it to the general path."""
    try:
        return _create(payload, parent)
    except (_General, BadRequest):
        return None  # nothing is written before the last check


def _create(payload: Any, parent: ParentLink | None) -> Rows:
    if not isinstance(payload, dict) or "result" not in payload:
        raise _General
    if any(
        key not in _COMPONENTS and key not in _STREAMS and key != "FeatureOfInterest"
        for key in payload
    ):
        raise _General
    linked_feature = (
        _link_id(payload["FeatureOfInterest"]) if "FeatureOfInterest" in payload else None
    )
    stream = _lookup(*_stream_link(payload, parent), with_generated_feature=linked_feature is None)
    feature = stream.feature if linked_feature is None else _existing_feature(linked_feature)
    if feature is None:
        raise _General  # still to be generated, or unknown
    feature_id, bbox = feature
    components = [_COMPONENTS[key] for key in payload if key in _COMPONENTS]
    builder = RowBuilder(stream.pk, stream.multi_size, components, feature_id, timezone.now())
    row = builder.build([payload[key] for key in payload if key in _COMPONENTS], "/")
    assert builder.extent is not None  # one row was built
    builder.extent.bbox = bbox
    pk = _write(row, stream, builder.extent)
    events.emit_after_commit(events.EntityChanged("sensors.Observation", pk, "create"))
    return Rows(_ROW_COLUMNS, [(pk, *row)])


def _stream_link(
    payload: dict[str, Any], parent: ParentLink | None
) -> tuple[type[Datastream] | type[MultiDatastream], int]:
    named = [key for key in _STREAMS if key in payload]
    if parent is not None:
        if named or parent.entity.name not in _STREAMS:
            raise _General
        return _STREAMS[parent.entity.name], parent.pk
    if len(named) != 1:
        raise _General
    return _STREAMS[named[0]], _link_id(payload[named[0]])


def _link_id(link: Any) -> int:
    """The id of a link ``{"@iot.id": n}``; anything else is for the general path."""
    pk = valid_id(link.get("@iot.id")) if isinstance(link, dict) and len(link) == 1 else None
    if pk is None:
        raise _General
    return pk


def _lookup(
    model: type[Datastream] | type[MultiDatastream], pk: int, *, with_generated_feature: bool
) -> _Stream:
    """The stream, and with it the FeatureOfInterest generated from its Thing's newest
    Location (observations.feature_for_stream), in one query."""
    found = _lookup_many(model, [pk], with_generated_feature=with_generated_feature).get(pk)
    if found is None:
        raise _General  # the general path names the missing stream
    return found


def _lookup_many(
    model: type[Datastream] | type[MultiDatastream], pks: list[int], *, with_generated_feature: bool
) -> dict[int, _Stream]:
    """:func:`_lookup` of several streams in one query; unknown ones are left out."""
    multi = model is MultiDatastream
    columns = ["s.id", "s.thing_id", "s.multi_observation_data_types" if multi else "NULL"]
    joins = ""
    if with_generated_feature:
        feature = FeatureOfInterest._meta.db_table
        columns += [
            "l.location",
            "f.feature",
            "f.id",
            "f.bbox_min_x",
            "f.bbox_min_y",
            "f.bbox_max_x",
            "f.bbox_max_y",
        ]
        joins = (
            f" LEFT JOIN {Location._meta.db_table} l ON l.id = (SELECT MAX(tl.location_id) "
            f"FROM {Thing.locations.through._meta.db_table} tl WHERE tl.thing_id = s.thing_id)"
            f" LEFT JOIN {feature} f ON f.id = (SELECT MAX(g.id) FROM {feature} g "
            "WHERE g.generated_from_id = l.id)"
        )
    where = "s.id = %s" if len(pks) == 1 else f"s.id IN ({', '.join(['%s'] * len(pks))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {model._meta.db_table} s{joins} WHERE {where}",
            pks,
        )
        rows = cursor.fetchall()
    streams = {}
    for found in rows:
        size = len(_json_value(found[2])) if multi else None
        generated = None
        # reused while the Location keeps the geometry the feature was generated with
        if (
            with_generated_feature
            and found[5] is not None
            and (_json_value(found[3]) == _json_value(found[4]))
        ):
            generated = found[5], _bbox(found[6:])
        streams[found[0]] = _Stream(model, found[0], size, generated)
    return streams


def generated_features(pks: list[int]) -> dict[int, tuple[int, BBox | None]]:
    """The FeatureOfInterest generated for each of these Datastreams and its bbox, in one
    query; a stream that is unknown or whose feature is still to be generated is left out."""
    if not pks:
        return {}
    streams = _lookup_many(Datastream, pks, with_generated_feature=True)
    return {pk: stream.feature for pk, stream in streams.items() if stream.feature is not None}


def _existing_feature(pk: int) -> tuple[int, BBox | None] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bbox_min_x, bbox_min_y, bbox_max_x, bbox_max_y "
            f"FROM {FeatureOfInterest._meta.db_table} WHERE id = %s",
            [pk],
        )
        found = cursor.fetchone()
    return None if found is None else (pk, _bbox(found))


def _bbox(values: tuple[Any, ...]) -> BBox | None:
    return None if values[0] is None else BBox(*values)


def _write(row: tuple[Any, ...], stream: _Stream, extent: Extent) -> int:
    """Insert the row and widen the stream's extents, atomically. On PostgreSQL that is one
    statement (a data-modifying WITH), so it needs no BEGIN and COMMIT round trips; on
    SQLite the group writer shares one transaction among concurrent requests."""
    if connection.vendor == "postgresql":
        update, params = extent_update(stream.model, stream.pk, extent)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH new AS ({_INSERT}), grown AS ({update}) SELECT id FROM new", [*row, *params]
            )
            return int(cursor.fetchone()[0])
    if writer.grouped():
        return writer.write(row, stream.model, stream.pk, extent, _insert)
    with transaction.atomic():
        pk = _insert(row)
        extend_stream(stream.model, stream.pk, extent)
    return pk


def _insert(row: tuple[Any, ...]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, list(row))
        return int(cursor.fetchone()[0])


_INSERT = (
    f"INSERT INTO {Observation._meta.db_table} ({', '.join(COLUMNS[1:])}) "
    f"VALUES ({', '.join(['%s'] * (len(COLUMNS) - 1))}) RETURNING id"
)


def _json_value(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value
