"""Bulk observation ingest: ``CreateObservations`` (OGC 18-088 clause 13.2, the dataArray
extension) and, later, MQTT and importers.

The whole request is validated before anything is written, and then written in one
transaction: a malformed row is a 400 that names it, and nothing of the request is stored
(the standard's per-row "error" entries never occur). Rows go to the database with one
``executemany`` of a plain INSERT with ids allocated up front, because building a Django
model instance per row costs more than the insert itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


def create_observations(body: Any) -> list[int]:
    """Validate every group and row of a CreateObservations body, then insert them all."""
    if not isinstance(body, list):
        raise BadRequest("CreateObservations expects a JSON array of groups", where="/")
    with transaction.atomic():
        groups = [_group(item, f"/{i}") for i, item in enumerate(body)]
        ids = insert_groups(groups)
    return ids


def _group(item: Any, pointer: str) -> Group:
    if not isinstance(item, dict):
        raise BadRequest("each group must be a JSON object", where=pointer)
    stream = _stream(item, pointer)
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
    default_feature = (
        None if "FeatureOfInterest/id" in components else feature_for_stream(stream, pointer)
    )
    default_id = default_feature.pk if default_feature else None
    multi = isinstance(stream, MultiDatastream)
    columns = build_columns(stream.pk, multi, components, default_id, data)
    if columns is None:  # not the common shape, or an error for the RowBuilder to name
        columns = _row_by_row(stream, components, default_id, data, pointer)
    group = Group(stream, columns)
    _check_features(group, components, pointer)
    return group


def _row_by_row(
    stream: Datastream | MultiDatastream,
    components: list[str],
    default_feature: int | None,
    data: list[Any],
    pointer: str,
) -> Columns:
    multi_size = (
        len(stream.multi_observation_data_types) if isinstance(stream, MultiDatastream) else None
    )
    builder = RowBuilder(stream.pk, multi_size, components, default_feature, _now())
    rows = [builder.build(row, f"{pointer}/dataArray/{index}") for index, row in enumerate(data)]
    return Columns(
        COLUMNS[1:], list(zip(*rows, strict=True)), len(rows), builder.extent, builder.features
    )


def _stream(item: dict[str, Any], pointer: str) -> Datastream | MultiDatastream:
    for key, model in (("Datastream", Datastream), ("MultiDatastream", MultiDatastream)):
        if key in item:
            link = item[key]
            pk = valid_id(link.get("@iot.id")) if isinstance(link, dict) else None
            if isinstance(pk, bool) or not isinstance(pk, int):
                raise BadRequest(f'{key} must be {{"@iot.id": n}}', where=f"{pointer}/{key}")
            found = model.objects.filter(pk=pk).first()
            if found is None:
                raise BadRequest(f"no {key} with @iot.id {pk}", where=f"{pointer}/{key}")
            return found
    raise BadRequest("each group needs a Datastream or MultiDatastream", where=pointer)


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _check_features(group: Group, components: list[str], pointer: str) -> None:
    if "FeatureOfInterest/id" not in components:
        return
    wanted = group.columns.features
    found = set(FeatureOfInterest.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - found:
        raise BadRequest(
            f"no FeatureOfInterest with id(s) {sorted(wanted - found)}",
            where=f"{pointer}/dataArray",
        )


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
