"""Observations: creation with the automatic FeatureOfInterest (OGC 18-088 clause 10.2,
special case 1) and the Datastream extents (phenomenonTime, resultTime, observedArea)
that the service keeps current as observations arrive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.functions import Coalesce

from smartcity.core import events
from smartcity.core.errors import BadRequest
from smartcity.core.geo import BBox
from smartcity.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    MultiDatastream,
    Observation,
)


@dataclass
class Extent:
    """The span of a batch of observations of one stream."""

    phenomenon_start: datetime
    phenomenon_end: datetime
    result_start: datetime | None = None
    result_end: datetime | None = None
    bbox: BBox | None = None

    def add(self, start: datetime, end: datetime | None, result_time: datetime | None) -> None:
        self.phenomenon_start = min(self.phenomenon_start, start)
        self.phenomenon_end = max(self.phenomenon_end, end or start)
        if result_time is not None:
            self.result_start = min(self.result_start or result_time, result_time)
            self.result_end = max(self.result_end or result_time, result_time)

    def merge(self, other: Extent) -> None:
        """Widen this extent to cover ``other`` too."""
        self.add(other.phenomenon_start, other.phenomenon_end, other.result_start)
        if other.result_end is not None:
            self.add(other.phenomenon_start, None, other.result_end)
        if other.bbox is not None:
            self.bbox = other.bbox.union(self.bbox)


def create_one(columns: dict[str, Any], pointer: str) -> Observation:
    stream = columns.get("datastream") or columns.get("multi_datastream")
    assert stream is not None  # the caller checked the link
    if isinstance(stream, MultiDatastream):
        check_multi_result(stream, columns.get("result"), pointer)
    if columns.get("feature_of_interest") is None:
        columns["feature_of_interest"] = feature_for_stream(stream, pointer)
    observation = Observation.objects.create(**columns)
    extent = Extent(
        observation.phenomenon_time_start,
        observation.phenomenon_time_end or observation.phenomenon_time_start,
    )
    extent.add(
        observation.phenomenon_time_start, observation.phenomenon_time_end, observation.result_time
    )
    extent.bbox = _bbox(columns["feature_of_interest"])
    extend_stream(type(stream), stream.pk, extent)
    events.emit_after_commit(events.EntityChanged("sensors.Observation", observation.pk, "create"))
    return observation


def check_multi_result(stream: MultiDatastream, result: Any, pointer: str) -> None:
    size = len(stream.multi_observation_data_types)
    if not isinstance(result, list) or len(result) != size:
        raise BadRequest(
            f"the result of a MultiDatastream observation must be an array of "
            f"{size} values, one per ObservedProperty",
            where=f"{pointer}/result",
        )


def feature_for_stream(stream: Datastream | MultiDatastream, pointer: str) -> FeatureOfInterest:
    """The FeatureOfInterest generated from the Location of the stream's Thing, created the
    first time and reused while the Location stays as it is: once, also when several
    observations of the Thing arrive at the same moment."""
    location, feature = _newest_location_and_feature(stream.thing_id)
    if feature is None and location is not None:
        with transaction.atomic():
            _generate_alone(location.pk)
            # whoever held the lock before has committed its feature: look again
            location, feature = _newest_location_and_feature(stream.thing_id)
            if feature is None and location is not None:
                feature = _generate(location)
    if feature is None:
        raise BadRequest(
            "the Observation has no FeatureOfInterest and its Thing has no "
            "Location to generate one from",
            where=f"{pointer}/FeatureOfInterest",
        )
    return feature


def _generate(location: Location) -> FeatureOfInterest:
    return FeatureOfInterest.objects.create(
        name=location.name,
        description=location.description,
        encoding_type=location.encoding_type,
        feature=location.location,
        generated_from=location,
        bbox_min_x=location.bbox_min_x,
        bbox_min_y=location.bbox_min_y,
        bbox_max_x=location.bbox_max_x,
        bbox_max_y=location.bbox_max_y,
    )


# The first key of this module's advisory locks on PostgreSQL ("FOI" in ASCII), so they
# meet no other user's locks on the same database.
_GENERATION_LOCK = 0x464F49


def _generate_alone(location_id: int) -> None:
    """Make the generation of a Location's feature one transaction's at a time, until that
    transaction ends. PostgreSQL commits concurrent transactions side by side, so it takes
    an advisory lock for the Location; SQLite needs none, as a write transaction holds the
    one writer from its BEGIN IMMEDIATE on (settings: transaction_mode)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # the two-key form takes 32-bit keys; two Locations sharing one only wait longer
        key = (location_id & 0xFFFFFFFF) - (1 << 31)
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_GENERATION_LOCK, key])


def _newest_location_and_feature(
    thing_id: int,
) -> tuple[Location | None, FeatureOfInterest | None]:
    """The Thing's newest Location and the FeatureOfInterest generated from it, if that
    still has the Location's geometry."""
    location = Location.objects.filter(things=thing_id).order_by("-id").first()
    if location is None:
        return None, None
    feature = FeatureOfInterest.objects.filter(generated_from=location).order_by("-id").first()
    if feature is not None and feature.feature == location.location:
        return location, feature
    return location, None


def _bbox(feature: FeatureOfInterest) -> BBox | None:
    if feature.bbox_min_x is None:
        return None
    return BBox(feature.bbox_min_x, feature.bbox_min_y, feature.bbox_max_x, feature.bbox_max_y)  # type: ignore[arg-type]


def extend_stream(model: type[Datastream] | type[MultiDatastream], pk: int, extent: Extent) -> None:
    """Widen the stream's stored extents to cover ``extent``, in one UPDATE."""
    sql, params = extent_update(model, pk, extent)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def extent_update(
    model: type[Datastream] | type[MultiDatastream], pk: int, extent: Extent
) -> tuple[str, list[Any]]:
    """The UPDATE that widens a stream's extents, as SQL and parameters.

    Plain SQL on purpose: this runs for every observation written, and compiling the
    equivalent Django expressions costs several times the statement itself."""
    changes: list[tuple[str, str, Any]] = [
        ("phenomenon_time_start", "<", extent.phenomenon_start),
        ("phenomenon_time_end", ">", extent.phenomenon_end),
    ]
    if extent.result_start is not None:
        changes += [
            ("result_time_start", "<", extent.result_start),
            ("result_time_end", ">", extent.result_end),
        ]
    if extent.bbox is not None:
        changes += [
            (f"bbox_{name}", op, value)
            for (name, op), value in zip(
                (("min_x", "<"), ("min_y", "<"), ("max_x", ">"), ("max_y", ">")),
                (extent.bbox.min_x, extent.bbox.min_y, extent.bbox.max_x, extent.bbox.max_y),
                strict=True,
            )
        ]
    assignments, params = [], []
    for column, op, value in changes:
        # keep the stored value unless it is NULL or the new one lies beyond it
        assignments.append(
            f"{column} = CASE WHEN {column} IS NULL OR %s {op} {column} THEN %s ELSE {column} END"
        )
        adapted = (
            connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime)
            else value
        )
        params += [adapted, adapted]
    table = connection.ops.quote_name(model._meta.db_table)
    return f"UPDATE {table} SET {', '.join(assignments)} WHERE id = %s", [*params, pk]


def recompute_extents(model: type[Datastream] | type[MultiDatastream], pk: int) -> None:
    """Recompute a stream's extents from its observations (after updates and deletes)."""
    field = "datastream" if model is Datastream else "multi_datastream"
    rows = Observation.objects.filter(**{field: pk})
    spans = rows.aggregate(
        p_start=Min("phenomenon_time_start"),
        p_end=Max(Coalesce("phenomenon_time_end", "phenomenon_time_start")),
        r_start=Min("result_time"),
        r_end=Max("result_time"),
    )
    boxes = FeatureOfInterest.objects.filter(observations__in=rows.values("pk")).aggregate(
        a=Min("bbox_min_x"), b=Min("bbox_min_y"), c=Max("bbox_max_x"), d=Max("bbox_max_y")
    )
    model.objects.filter(pk=pk).update(
        phenomenon_time_start=spans["p_start"],
        phenomenon_time_end=spans["p_end"],
        result_time_start=spans["r_start"],
        result_time_end=spans["r_end"],
        bbox_min_x=boxes["a"],
        bbox_min_y=boxes["b"],
        bbox_max_x=boxes["c"],
        bbox_max_y=boxes["d"],
    )
