"""Write the demo city into the SensorThings store.

Everything happens in one transaction. Demo Things carry ``properties["demoKey"]``;
a place whose key is already there is skipped, so running the loader twice adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from smartcity.sensors import models as m
from smartcity.sensors.demo.catalog import MEASUREMENT, PROPERTIES, SENSORS, STREAMS
from smartcity.sensors.demo.places import PLACES, SOIL, WATER, Place
from smartcity.sensors.demo.series import Clock, make_clock, make_weather, place_series
from smartcity.sensors.ingest.bulk_insert import write_rows

GEOJSON = "application/geo+json"
DEMO_NOTE = "Demodaten, keine echten Messwerte."

Progress = Callable[[str, int, int], None]


@dataclass
class Site:
    """One place as written: its Thing and the FeatureOfInterest its observations use."""

    place: Place
    thing: m.Thing
    feature: m.FeatureOfInterest


def default_now() -> datetime:
    """The current time, rounded down to the last full ten minutes."""
    now = timezone.now().replace(second=0, microsecond=0)
    return now.replace(minute=now.minute - now.minute % 10)


def load_demo(
    *, days: int = 28, now: datetime | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Build the demo city of Hamm; return how many rows of each kind were created."""
    if days < 1:
        raise ValueError("days must be at least 1")
    end = default_now() if now is None else now
    if timezone.is_naive(end):
        end = end.replace(tzinfo=UTC)
    counts = dict.fromkeys(
        (
            "things",
            "locations",
            "historical_locations",
            "features_of_interest",
            "sensors",
            "observed_properties",
            "datastreams",
            "observations",
            "lorawan_devices",
        ),
        0,
    )
    with transaction.atomic():
        existing = _existing_demo_keys()
        new_places = [place for place in PLACES if place.key not in existing]
        if not new_places:
            return counts
        clock = make_clock(end, days)
        sensors = _ensure_sensors(counts)
        properties = _ensure_properties(counts)
        sites = _create_sites(new_places, clock.times[0], counts)
        _create_streams(sites, clock, sensors, properties, counts, progress)
    _analyze(m.Observation._meta.db_table)
    return counts


def _analyze(table: str) -> None:
    """Fresh statistics after a bulk load, so the planner walks the (stream, time, id)
    index for the newest observations instead of scanning (PostgreSQL's autovacuum would
    catch up only later)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _existing_demo_keys() -> set[str]:
    demo_things = m.Thing.objects.filter(properties__has_key="demoKey")
    rows = demo_things.values_list("properties", flat=True)
    return {str(props["demoKey"]) for props in rows if isinstance(props, dict)}


def _ensure_sensors(counts: dict[str, int]) -> dict[str, m.Sensor]:
    found = {
        str((sensor.properties or {})["demoKey"]): sensor
        for sensor in m.Sensor.objects.filter(properties__has_key="demoKey")
    }
    for spec in SENSORS:
        if spec.key not in found:
            found[spec.key] = m.Sensor.objects.create(
                name=spec.name,
                description=f"{spec.description} {DEMO_NOTE}",
                encoding_type=spec.encoding_type,
                metadata=spec.metadata,
                properties={"demo": True, "demoKey": spec.key},
            )
            counts["sensors"] += 1
    return found


def _ensure_properties(counts: dict[str, int]) -> dict[str, m.ObservedProperty]:
    """Observed properties are shared vocabulary: reuse any with the same definition."""
    found: dict[str, m.ObservedProperty] = {}
    for spec in PROPERTIES:
        existing = m.ObservedProperty.objects.filter(definition=spec.definition).first()
        if existing is None:
            existing = m.ObservedProperty.objects.create(
                name=spec.name,
                definition=spec.definition,
                description=spec.description,
            )
            counts["observed_properties"] += 1
        found[spec.key] = existing
    return found


def _point(place: Place) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [place.lon, place.lat]}


def _bbox(place: Place) -> dict[str, float]:
    return {
        "bbox_min_x": place.lon,
        "bbox_min_y": place.lat,
        "bbox_max_x": place.lon,
        "bbox_max_y": place.lat,
    }


def _create_sites(places: list[Place], start: datetime, counts: dict[str, int]) -> list[Site]:
    """Each place's Thing at its Location, with the HistoricalLocation of ``start`` and
    the FeatureOfInterest generated from the Location, in bulk."""
    things = m.Thing.objects.bulk_create(
        [
            m.Thing(
                name=f"Messstation {place.name}",
                description=f"{place.about} {DEMO_NOTE}",
                properties={
                    "demo": True,
                    "demoKey": place.key,
                    "district": place.district,
                    "kinds": list(place.kinds),
                },
            )
            for place in places
        ]
    )
    locations, history = _place_things(places, things, start)
    features = m.FeatureOfInterest.objects.bulk_create(
        [
            m.FeatureOfInterest(
                name=place.name,
                description=location.description,
                encoding_type=GEOJSON,
                feature=_point(place),
                generated_from=location,
                **_bbox(place),
            )
            for place, location in zip(places, locations, strict=True)
        ]
    )
    for key, rows in (
        ("things", things),
        ("locations", locations),
        ("historical_locations", history),
        ("features_of_interest", features),
    ):
        counts[key] += len(rows)
    return [Site(p, t, f) for p, t, f in zip(places, things, features, strict=True)]


def _place_things(
    places: list[Place], things: list[m.Thing], start: datetime
) -> tuple[list[m.Location], list[m.HistoricalLocation]]:
    """Each Thing's Location (linked) and the HistoricalLocation that records it."""
    locations = m.Location.objects.bulk_create(
        [
            m.Location(
                name=place.name,
                description=f"{place.about} Stadtbezirk {place.district}.",
                encoding_type=GEOJSON,
                location=_point(place),
                **_bbox(place),
            )
            for place in places
        ]
    )
    m.Thing.locations.through.objects.bulk_create(
        [
            m.Thing.locations.through(thing_id=thing.pk, location_id=location.pk)
            for thing, location in zip(things, locations, strict=True)
        ]
    )
    history = m.HistoricalLocation.objects.bulk_create(
        [m.HistoricalLocation(time=start, thing=thing) for thing in things]
    )
    m.HistoricalLocation.locations.through.objects.bulk_create(
        [
            m.HistoricalLocation.locations.through(historicallocation_id=h.pk, location_id=loc.pk)
            for h, loc in zip(history, locations, strict=True)
        ]
    )
    return locations, history


def _create_streams(
    sites: list[Site],
    clock: Clock,
    sensors: dict[str, m.Sensor],
    properties: dict[str, m.ObservedProperty],
    counts: dict[str, int],
    progress: Progress | None,
) -> None:
    weather = make_weather(clock)
    db_times = _db_times(clock.times)
    total = sum(len(STREAMS[kind]) for site in sites for kind in site.place.kinds)
    done = 0
    for site in sites:
        series = place_series(site.place, clock, weather)
        for kind in site.place.kinds:
            for spec in STREAMS[kind]:
                stream = m.Datastream.objects.create(
                    name=f"{spec.label} ({site.place.name})",
                    description=f"{spec.label}, Zehn-Minuten-Werte. {DEMO_NOTE}",
                    observation_type=MEASUREMENT,
                    unit_of_measurement=spec.unit,
                    thing=site.thing,
                    sensor=sensors[spec.sensor],
                    observed_property=properties[spec.observed_property],
                    properties={"demo": True, "demoKey": f"{site.place.key}:{spec.key}"},
                    phenomenon_time_start=clock.times[0],
                    phenomenon_time_end=clock.times[-1],
                    result_time_start=clock.times[0],
                    result_time_end=clock.times[-1],
                    **_bbox(site.place),
                )
                counts["datastreams"] += 1
                if kind in (SOIL, WATER):  # the city's LoRaWAN sensors
                    _map_lorawan(site, spec.key, stream, counts)
                counts["observations"] += _write_observations(
                    stream, site.feature, db_times, series[spec.key]
                )
                done += 1
                if progress is not None:
                    progress("datastreams", done, total)


def _map_lorawan(site: Site, key: str, stream: m.Datastream, counts: dict[str, int]) -> None:
    """A LoRaWAN device for the site (a DevEUI made from its key) whose payload member
    ``key`` (e.g. ``soil_temperature``) goes to ``stream``, as the admin would map it."""
    dev_eui = "0DE0" + hashlib.sha256(site.place.key.encode()).hexdigest()[:12].upper()
    device, created = m.LoRaWANDevice.objects.get_or_create(
        dev_eui=dev_eui,
        defaults={"thing": site.thing, "name": f"Demo: Funksensor {site.place.name}"},
    )
    counts["lorawan_devices"] += int(created)
    m.LoRaWANField.objects.create(device=device, key=key, datastream=stream)


_OBSERVATION_COLUMNS = (
    "phenomenon_time_start",
    "result_time",
    "result",
    "result_number",
    "datastream_id",
    "feature_of_interest_id",
)


def _db_times(times: list[datetime]) -> list[Any]:
    return [connection.ops.adapt_datetimefield_value(time) for time in times]


def _write_observations(
    stream: m.Datastream,
    feature: m.FeatureOfInterest,
    db_times: list[Any],
    values: Iterable[float],
) -> int:
    """Plain rows through the platform's bulk writer (executemany on SQLite, COPY on
    PostgreSQL): bulk_create would compile every row through the ORM, which makes 300,000
    rows take half a minute."""
    rows = [
        (time, time, orjson.dumps(value).decode(), value, stream.pk, feature.pk)
        for time, value in zip(db_times, values, strict=True)
    ]
    write_rows(m.Observation._meta.db_table, _OBSERVATION_COLUMNS, None, rows)
    return len(rows)
