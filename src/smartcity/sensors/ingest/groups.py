"""Bulk observation ingest: ``CreateObservations`` (OGC 18-088 clause 13.2, the dataArray
extension) and the bulk writes of MQTT, LoRaWAN and the importers.

The shape of the request (an array of groups, each with a well-formed stream link, its
components and a dataArray array) is checked first: a request without it is a 400. Then
each row is validated against the stream, the store and the components, and what can be
stored is written in one transaction. Two ways to meet a row that cannot be stored (an
unknown stream, a malformed time, a value of the wrong shape, a FeatureOfInterest that
does not exist):

* not strict, as clause 13.2 answers: the row is None in its place (``"error"`` in the
  answer) and the other rows are stored;
* strict (``Prefer: handling=strict`` on the HTTP request, and the platform's own bulk
  writers): the first such row is a 400 naming the row and the value, and nothing of the
  request is stored.

Rows go to the database with one ``executemany`` of a plain INSERT (COPY on PostgreSQL)
with ids allocated up front, because building a Django model instance per row costs more
than the insert itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from smartcity.core import events
from smartcity.core.errors import BadRequest
from smartcity.core.geo import BBox
from smartcity.sensors.entities import valid_id
from smartcity.sensors.ingest.bulk_insert import write_rows
from smartcity.sensors.ingest.columns import Columns
from smartcity.sensors.ingest.columns import build as build_columns
from smartcity.sensors.ingest.observations import extend_stream, feature_for_stream
from smartcity.sensors.ingest.rows import RowBuilder
from smartcity.sensors.models import Datastream, FeatureOfInterest, MultiDatastream, Observation

COMPONENTS = {
    "phenomenonTime",
    "resultTime",
    "result",
    "resultQuality",
    "validTime",
    "parameters",
    "FeatureOfInterest/id",
}
COLUMNS = (
    "id",
    "phenomenon_time_start",
    "phenomenon_time_end",
    "result_time",
    "result",
    "result_number",
    "result_quality",
    "valid_time_start",
    "valid_time_end",
    "parameters",
    "datastream_id",
    "multi_datastream_id",
    "feature_of_interest_id",
)


@dataclass
class Group:
    stream: Datastream | MultiDatastream | tuple[type[Datastream], int]  # or (model, pk)
    columns: Columns
    bbox_known: bool = False  # columns.extent.bbox already holds the features' bbox


@dataclass
class _Shape:
    """A group of the request whose shape is right: its stream link, components, rows."""

    model: type[Datastream] | type[MultiDatastream]
    pk: int
    components: list[str]
    data: list[Any]
    pointer: str


@dataclass
class _Outcome:
    """What became of a group's rows: the rows to store, and the positions refused."""

    group: Group | None
    size: int
    refused: set[int] = field(default_factory=set)


class _NothingStored(Exception):
    """Raised inside a group's savepoint to undo what preparing it wrote (a generated
    FeatureOfInterest) when none of its rows is stored."""


def create_observations(body: Any, *, strict: bool = True) -> list[int | None]:
    """Validate and insert the groups of a CreateObservations body; the ids of the new
    Observations in the order of the rows, None for a row refused (only when not
    strict: strict, a refused row is a BadRequest and nothing is stored)."""
    if not isinstance(body, list):
        raise BadRequest("CreateObservations expects a JSON array of groups", where="/")
    shapes = [_shape(item, f"/{i}") for i, item in enumerate(body)]
    with transaction.atomic():
        outcomes = [_prepare(shape, strict) for shape in shapes]
        ids = insert_groups([o.group for o in outcomes if o.group is not None])
    if not any(o.refused for o in outcomes):
        return list(ids)
    created = iter(ids)
    return [
        None if index in o.refused else next(created) for o in outcomes for index in range(o.size)
    ]


def _shape(item: Any, pointer: str) -> _Shape:
    """The group's stream link, components and rows, or a 400 for a malformed group."""
    if not isinstance(item, dict):
        raise BadRequest("each group must be a JSON object", where=pointer)
    model, pk = _stream_link(item, pointer)
    components = item.get("components")
    if not isinstance(components, list) or not all(isinstance(c, str) for c in components):
        raise BadRequest(
            "components must be an array of property names", where=f"{pointer}/components"
        )
    unknown = [c for c in components if c not in COMPONENTS]
    if unknown or len(set(components)) != len(components):
        raise BadRequest(
            f"unknown or repeated component(s) {unknown}; allowed: {', '.join(sorted(COMPONENTS))}",
            where=f"{pointer}/components",
        )
    if "result" not in components:
        raise BadRequest("components must include result", where=f"{pointer}/components")
    data = item.get("dataArray")
    if not isinstance(data, list):
        raise BadRequest("dataArray must be an array of rows", where=f"{pointer}/dataArray")
    return _Shape(model, pk, components, data, pointer)


def _stream_link(
    item: dict[str, Any], pointer: str
) -> tuple[type[Datastream] | type[MultiDatastream], int]:
    for key, model in (("Datastream", Datastream), ("MultiDatastream", MultiDatastream)):
        if key in item:
            link = item[key]
            pk = valid_id(link.get("@iot.id")) if isinstance(link, dict) else None
            if isinstance(pk, bool) or not isinstance(pk, int):
                raise BadRequest(f'{key} must be {{"@iot.id": n}}', where=f"{pointer}/{key}")
            return model, pk
    raise BadRequest("each group needs a Datastream or MultiDatastream", where=pointer)


def _prepare(shape: _Shape, strict: bool) -> _Outcome:
    """The group's rows to store; not strict, in a savepoint that is undone when none is."""
    if strict:
        return _outcome(shape, strict)
    try:
        with transaction.atomic():
            outcome = _outcome(shape, strict)
            if outcome.group is None or not outcome.group.columns.count:
                raise _NothingStored
    except _NothingStored:
        return _Outcome(None, len(shape.data), set(range(len(shape.data))))
    return outcome


def _outcome(shape: _Shape, strict: bool) -> _Outcome:
    everything = _Outcome(None, len(shape.data), set(range(len(shape.data))))
    name, pointer = shape.model.__name__, shape.pointer
    stream = shape.model.objects.filter(pk=shape.pk).first()
    if stream is None:
        if strict:
            raise BadRequest(f"no {name} with @iot.id {shape.pk}", where=f"{pointer}/{name}")
        return everything
    components, data = shape.components, shape.data
    default_id = None
    if "FeatureOfInterest/id" not in components:
        try:
            default_id = feature_for_stream(stream, pointer).pk
        except BadRequest:  # its Thing has no Location to generate the feature from
            if strict:
                raise
            return everything
    known = _known_features(components, data)
    multi = isinstance(stream, MultiDatastream)
    columns = build_columns(stream.pk, multi, components, default_id, data, known)
    refused: set[int] = set()
    if columns is None:  # not the common shape, or an error for the RowBuilder to name
        columns, refused = _row_by_row(stream, shape, default_id, known, strict)
    return _Outcome(Group(stream, columns), len(data), refused)


def _known_features(components: list[str], data: list[Any]) -> set[int] | None:
    """The FeatureOfInterest ids the rows name that exist (None without the component)."""
    if "FeatureOfInterest/id" not in components:
        return None
    at, width = components.index("FeatureOfInterest/id"), len(components)
    named = {
        row[at]
        for row in data
        if type(row) is list and len(row) == width and valid_id(row[at]) is not None
    }
    return set(FeatureOfInterest.objects.filter(pk__in=named).values_list("pk", flat=True))


def _row_by_row(
    stream: Datastream | MultiDatastream,
    shape: _Shape,
    default_feature: int | None,
    known: set[int] | None,
    strict: bool,
) -> tuple[Columns, set[int]]:
    multi_size = (
        len(stream.multi_observation_data_types) if isinstance(stream, MultiDatastream) else None
    )
    builder = RowBuilder(stream.pk, multi_size, shape.components, default_feature, _now(), known)
    rows, refused = [], set()
    for index, row in enumerate(shape.data):
        try:
            rows.append(builder.build(row, f"{shape.pointer}/dataArray/{index}"))
        except BadRequest:
            if strict:
                raise
            refused.add(index)
    columns = Columns(
        COLUMNS[1:], list(zip(*rows, strict=True)), len(rows), builder.extent, builder.features
    )
    return columns, refused


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def insert_groups(groups: list[Group]) -> list[int]:
    """Insert validated rows (inside the caller's transaction) and widen stream extents."""
    total = sum(g.columns.count for g in groups)
    if total == 0:
        return []
    first = allocate_ids(total)
    table = Observation._meta.db_table
    start = first
    # groups with the same columns go in one COPY / executemany (MQTT batches hold many
    # streams' groups of the same shape)
    by_names: dict[tuple[str, ...], list[Iterable[Sequence[Any]]]] = {}
    for group in groups:
        columns = group.columns
        if columns.count:
            ids = range(start, start + columns.count)
            # not strict: constant columns are endless repeats
            rows = zip(ids, *columns.data, strict=False)
            by_names.setdefault(tuple(columns.names), []).append(rows)
            start += columns.count
    for names, parts in by_names.items():
        write_rows(table, ("id", *names), None, itertools.chain.from_iterable(parts))
    for group in groups:
        _extend(group)
    created = list(range(first, first + total))
    _announce(created)
    return created


_SEQUENCES: dict[str, str] = {}  # database -> the observation table's id sequence


def allocate_ids(count: int) -> int:
    """Reserve ``count`` consecutive observation ids and return the first."""
    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _SEQUENCES.get(connection.settings_dict["NAME"])
            if sequence is None:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = _SEQUENCES[connection.settings_dict["NAME"]] = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
            return int(cursor.fetchone()[0]) - count + 1
        # SQLite: the transaction holds the write lock (IMMEDIATE), so nobody else inserts.
        cursor.execute(
            "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM sensors_observation "
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        current = cursor.fetchone()[0] or 0
        return int(current) + 1


def _extend(group: Group) -> None:
    extent = group.columns.extent
    if extent is None:
        return
    if not group.bbox_known:
        features = group.columns.features
        boxes = FeatureOfInterest.objects.filter(pk__in=features, bbox_min_x__isnull=False)
        for found in boxes.values_list("bbox_min_x", "bbox_min_y", "bbox_max_x", "bbox_max_y"):
            extent.bbox = BBox(*found).union(extent.bbox)  # type: ignore[arg-type]  # no NULLs
    if isinstance(group.stream, tuple):
        extend_stream(*group.stream, extent)
    else:
        extend_stream(type(group.stream), group.stream.pk, extent)


def _announce(ids: Iterable[int]) -> None:
    events.emit_many_after_commit("sensors.Observation", ids, "create")
