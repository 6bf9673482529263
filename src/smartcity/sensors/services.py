"""The sensors domain's one public face: what other domains may use of the data layer,
as plain functions that know nothing of HTTP.

Writes: :func:`create` (a deep insert in one transaction; ``creation.py``), and bulk
ingest through :mod:`smartcity.sensors.ingest.observations`. Reads: :func:`aggregate`,
:func:`latest_values`, :func:`newest_observation_id`, :func:`observations_after`,
:func:`stream_catalogue`, :func:`last_times`, :func:`datastream_exists` and the helpers below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smartcity.sensors.aggregates import (
    Bucket,
    Latest,
    NewValue,
    aggregate,
    latest_values,
    newest_observation_id,
    observations_after,
)
from smartcity.sensors.creation import create, get_one
from smartcity.sensors.models import Datastream


def thing_datastreams(thing_pk: int) -> list[tuple[int, str]] | None:
    """(Datastream id, ObservedProperty definition) of each Datastream of a Thing; None
    when there is no such Thing."""
    from smartcity.sensors.models import Thing

    if not Thing.objects.filter(pk=thing_pk).exists():
        return None
    return list(
        Datastream.objects.filter(thing_id=thing_pk)
        .order_by("id")
        .values_list("id", "observed_property__definition")
    )


def newest_time(datastream_pk: int) -> datetime | None:
    """The phenomenonTime (start) of a Datastream's newest observation."""
    from smartcity.sensors.models import Observation

    return (
        Observation.objects.filter(datastream_id=datastream_pk)
        .order_by("-phenomenon_time_start", "-id")
        .values_list("phenomenon_time_start", flat=True)
        .first()
    )


def last_times(stream_ids: list[int]) -> dict[int, datetime | None]:
    """The end of each Datastream's phenomenonTime (its newest value's time; None before
    the first), from the Datastream rows the writers keep up to date: no observation is
    read."""
    return dict(
        Datastream.objects.filter(pk__in=stream_ids).values_list("pk", "phenomenon_time_end")
    )


def datastream_exists(pk: int) -> bool:
    return Datastream.objects.filter(pk=pk).exists()


def observed_property_definition(datastream_pk: int) -> str | None:
    """The definition (a URI) of what a Datastream measures; None when there is no such
    Datastream."""
    found = (
        Datastream.objects.filter(pk=datastream_pk)
        .values_list("observed_property__definition", flat=True)
        .first()
    )
    return found


@dataclass(frozen=True)
class StreamInfo:
    """What a dashboard shows of a Datastream besides its values."""

    datastream: int
    name: str
    thing: int
    thing_name: str
    thing_properties: dict[str, Any]
    property_name: str
    property_definition: str
    unit_symbol: str | None
    point: tuple[float, float] | None  # lon, lat of the Thing's newest Point Location
    locations: tuple[Any, ...]  # the GeoJSON of all the Thing's Locations, oldest first


def stream_catalogue(
    thing: int | None = None,
    *,
    observed_property: int | None = None,
    things: list[int] | None = None,
    datastream: int | None = None,
) -> list[StreamInfo]:
    """The Datastreams (all, or a Thing's, those of an ObservedProperty and maybe only of
    some Things, or one) with their Thing, ObservedProperty, unit and places, in two
    queries, ordered by Thing and Datastream id."""
    from smartcity.sensors.models import Thing

    streams = Datastream.objects.order_by("thing_id", "id")
    if thing is not None:
        streams = streams.filter(thing_id=thing)
    if observed_property is not None:
        streams = streams.filter(observed_property_id=observed_property)
    if things is not None:
        streams = streams.filter(thing_id__in=things)
    if datastream is not None:
        streams = streams.filter(pk=datastream)
    rows = list(
        streams.values_list(
            "id",
            "name",
            "thing_id",
            "thing__name",
            "thing__properties",
            "observed_property__name",
            "observed_property__definition",
            "unit_of_measurement",
        )
    )
    links = Thing.locations.through.objects.filter(thing_id__in={row[2] for row in rows})
    places: dict[int, list[Any]] = {}
    for thing_id, geometry in links.order_by("thing_id", "location_id").values_list(
        "thing_id", "location__location"
    ):
        places.setdefault(thing_id, []).append(geometry)
    return [
        StreamInfo(
            pk,
            name,
            thing_id,
            thing_name,
            properties if isinstance(properties, dict) else {},
            property_name,
            definition,
            unit.get("symbol") if isinstance(unit, dict) else None,
            _newest_point(places.get(thing_id, [])),
            tuple(places.get(thing_id, [])),
        )
        for pk, name, thing_id, thing_name, properties, property_name, definition, unit in rows
    ]


def _newest_point(geometries: list[Any]) -> tuple[float, float] | None:
    points = [p for p in map(_point, geometries) if p is not None]
    return points[-1] if points else None


def _point(geometry: Any) -> tuple[float, float] | None:
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    lon, lat = coordinates[0], coordinates[1]
    if not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in (lon, lat)):
        return None
    return float(lon), float(lat)


def numeric_observations_after(
    stream_ids: list[int], after_id: int, up_to_id: int, limit: int
) -> list[tuple[int, int, datetime, float]]:
    """(id, Datastream id, phenomenonTime start, number) of the observations with a
    numeric result in ``after_id < id <= up_to_id``, in id order: a range of the primary
    key, so reading what arrived since the last look costs what arrived."""
    from smartcity.sensors.models import Observation

    rows = (
        Observation.objects.filter(
            id__gt=after_id,
            id__lte=up_to_id,
            datastream_id__in=stream_ids,
            result_number__isnull=False,
        )
        .order_by("id")
        .values_list("id", "datastream_id", "phenomenon_time_start", "result_number")[:limit]
    )
    return [(pk, stream, when, float(number or 0)) for pk, stream, when, number in rows]


def numeric_values_between(
    stream_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, float]]:
    """(phenomenonTime start, number) of a Datastream's numeric observations with
    ``start <= time <= end``, in time order: one range of the (stream, time, id) index."""
    from smartcity.sensors.models import Observation

    rows = (
        Observation.objects.filter(
            datastream_id=stream_id,
            phenomenon_time_start__gte=start,
            phenomenon_time_start__lte=end,
            result_number__isnull=False,
        )
        .order_by("phenomenon_time_start", "id")
        .values_list("phenomenon_time_start", "result_number")
    )
    return [(when, float(number or 0)) for when, number in rows]


__all__ = [
    "Bucket",
    "Latest",
    "NewValue",
    "StreamInfo",
    "aggregate",
    "create",
    "datastream_exists",
    "get_one",
    "latest_values",
    "newest_observation_id",
    "newest_time",
    "numeric_observations_after",
    "numeric_values_between",
    "observations_after",
    "observed_property_definition",
    "stream_catalogue",
    "thing_datastreams",
]
