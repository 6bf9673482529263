"""Environmental data out of the urban data platform: aggregates of a measuring series and
the newest value of every series. Built on ``smartcity.sensors.services``, the data layer
every domain may use; the air quality index, limit values and alerts will live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from smartcity.core.errors import BadRequest, NotFound
from smartcity.core.timeutil import format_instant, local_zone, shifted
from smartcity.environment import airquality, quantities
from smartcity.sensors import services as sensors

Bucket = sensors.Bucket
Latest = sensors.Latest


def series(stream_id: int, start: datetime, end: datetime, interval: str) -> list[Bucket]:
    """Count, mean, minimum and maximum per hour, day or month (local calendar)."""
    if not sensors.datastream_exists(stream_id):
        raise NotFound(f"no Datastream with id {stream_id}", where="datastream")
    return sensors.aggregate(stream_id, start, end, interval)


def latest() -> list[Latest]:
    return sensors.latest_values()


@dataclass(frozen=True)
class LimitReport:
    datastream: int
    pollutant: str
    year: int
    hours: int  # in the local calendar year
    hours_with_data: int
    assessments: list[airquality.Assessment]


def limit_report(stream_id: int, year: int) -> LimitReport:
    """A calendar year (local calendar) of a pollutant's Datastream against every EU limit
    value for it: hourly means from the database, daily means from those."""
    definition = sensors.observed_property_definition(stream_id)
    if definition is None:
        raise NotFound(f"no Datastream with id {stream_id}", where="datastream")
    pollutant = airquality.POLLUTANTS.get(quantities.canonical(definition))
    if pollutant is None:
        raise BadRequest(
            f"Datastream {stream_id} measures {definition}, which has no EU limit value",
            where="datastream",
        )
    if not 1990 <= year <= 2100:
        raise BadRequest("year must lie between 1990 and 2100", where="year")
    zone = local_zone()
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    buckets = sensors.aggregate(stream_id, start, end, "hour")
    hourly = [b.mean if b.count else None for b in buckets]
    days: dict[object, list[float | None]] = {}
    for bucket, mean in zip(buckets, hourly, strict=True):
        days.setdefault(bucket.start.astimezone(zone).date(), []).append(mean)
    assessments = airquality.assess(pollutant, year, hourly, list(days.values()))
    captured = sum(1 for value in hourly if value is not None)
    return LimitReport(stream_id, pollutant, year, len(hourly), captured, assessments)


@dataclass(frozen=True)
class PollutantHour:
    pollutant: str
    datastream: int
    hour: datetime  # start of the newest hour with data, UTC
    mean: float
    level: int


@dataclass(frozen=True)
class StationIndex:
    thing: int
    index: airquality.AirQualityIndex | None
    pollutants: list[PollutantHour]


def station_index(thing_id: int) -> StationIndex:
    """The UBA air quality index of a station (Thing) from the newest hourly mean of each
    pollutant it measures."""
    streams = sensors.thing_datastreams(thing_id)
    if streams is None:
        raise NotFound(f"no Thing with id {thing_id}", where="thing")
    hours = []
    for stream_id, definition in streams:
        pollutant = airquality.POLLUTANTS.get(quantities.canonical(definition))
        newest = sensors.newest_time(stream_id) if pollutant else None
        if pollutant is None or newest is None:
            continue
        hour = newest.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        bucket = sensors.aggregate(stream_id, hour, shifted(hour, timedelta(hours=1)), "hour")[0]
        if bucket.mean is None:
            continue
        level = airquality.index_class(pollutant, bucket.mean)
        hours.append(PollutantHour(pollutant, stream_id, hour, bucket.mean, level))
    index = airquality.air_quality_index({h.pollutant: h.mean for h in hours})
    return StationIndex(thing_id, index, hours)


def index_json(station: StationIndex) -> dict[str, Any]:
    """A station's index as GET /api/v1/environment/things/{id}/air-quality answers it and
    the dashboard's map shows it (one shape, so that both say the same)."""
    index = station.index
    return {
        "thing": station.thing,
        "index": index.level if index else None,
        "label": airquality.CLASSES[index.level - 1] if index else None,
        "labelEn": airquality.CLASSES_EN[index.level - 1] if index else None,
        "determinedBy": index.determined_by if index else None,
        "complete": bool(index and index.complete),
        "pollutants": [
            {
                "pollutant": p.pollutant,
                "datastream": p.datastream,
                "hour": format_instant(p.hour),
                "mean": p.mean,
                "index": p.level,
            }
            for p in station.pollutants
        ],
    }
