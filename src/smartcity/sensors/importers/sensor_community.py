"""sensor.community (formerly luftdaten.info): citizens' particulate matter and weather
sensors, read from the data API's JSON (``/airrohr/v1/filter/box=...`` or the 5-minute
``data.json``) and mapped to SensorThings entities.

One record is one measurement of one sensor: a Thing per sensor.community sensor (its id
in ``properties.sensorId``), a Location from the record's coordinates, a Datastream per
value type (P1 = PM10, P2 = PM2.5, temperature, ...). Values arrive as strings and may be
``"nan"``; time stamps are UTC without an offset. A re-run creates no duplicates: an
observation already stored for the same Datastream and time is skipped. A malformed record
is rejected with its reason and stops nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, json_records
from smartcity.sensors.importers import common

NAME = "sensor-community"
SOURCE = "sensor.community"
API = "https://data.sensor.community/airrohr/v1/filter/box={north},{west},{south},{east}"

QUANTITIES = {
    "P1": common.PM10,
    "P2": common.PM25,
    "temperature": common.AIR_TEMPERATURE,
    "humidity": common.HUMIDITY,
    "pressure": common.Quantity(
        "Luftdruck",
        "http://mmisw.org/ont/cf/parameter/air_pressure",
        "Luftdruck am Standort.",
        {"name": "Pascal", "symbol": "Pa", "definition": "http://qudt.org/vocab/unit/PA"},
    ),
}


@dataclass(frozen=True)
class Reading:
    sensor_id: int
    sensor_type: str
    manufacturer: str
    location_id: int | None
    lon: float
    lat: float
    indoor: bool
    time: datetime
    values: dict[str, float]  # value type -> number, "nan" and unknown types left out


def locate(*, bbox: BBox | None = None) -> str:
    """The data API's URL for the current records inside ``bbox`` (default: the city)."""
    bbox = common.area(bbox)
    return API.format(north=bbox.max_y, west=bbox.min_x, south=bbox.min_y, east=bbox.max_x)


def read(source: Source, report: ImportReport, *, bbox: BBox | None = None) -> None:
    """The records of a JSON array, one at a time: those inside ``bbox`` (default: the
    city) are stored, every other one is counted or rejected."""
    bbox = common.area(bbox)
    streams: dict[tuple[int, str], int] = {}
    records = json_records(source, top=list, shape="expected a JSON array of records")
    with common.NewObservations(report) as new:
        for record in records:
            with report.record(record.where):
                reading = _reading(record.value, report)
                if not bbox.contains(reading.lon, reading.lat):
                    report.count("skipped", "outside the area")
                    continue
                _store(reading, streams, new, report)


def _store(
    reading: Reading,
    streams: dict[tuple[int, str], int],
    new: common.NewObservations,
    report: ImportReport,
) -> None:
    for kind, number in reading.values.items():
        key = (reading.sensor_id, kind)
        if key not in streams:  # a station and series seen first: found or created once
            with transaction.atomic():
                thing = common.thing_for(_station(reading), report)
                series = _series(reading, kind)
                streams[key] = common.datastream_for(thing, series, SOURCE, report)
        new.add(streams[key], reading.time, number)


def _reading(record: Any, report: ImportReport) -> Reading:
    if not isinstance(record, dict):
        raise TypeError("a record must be a JSON object")
    location, sensor = record["location"], record["sensor"]
    sensor_type = sensor["sensor_type"]
    lon, lat = float(location["longitude"]), float(location["latitude"])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("coordinates must be numbers")
    values: dict[str, float] = {}
    for item in record["sensordatavalues"]:
        kind, text = item["value_type"], item["value"]
        if kind not in QUANTITIES:
            report.count("skipped", f"value type {kind}")
            continue
        number = float(text)  # "12.30"; "nan" parses and is left out below
        if not math.isfinite(number):
            report.count("skipped", "value nan")
            continue
        values[kind] = number
    return Reading(
        sensor_id=int(sensor["id"]),
        sensor_type=str(sensor_type["name"]),
        manufacturer=str(sensor_type.get("manufacturer") or ""),
        location_id=int(location["id"]) if location.get("id") is not None else None,
        lon=lon,
        lat=lat,
        indoor=bool(int(location.get("indoor") or 0)),
        time=common.utc_instant(record["timestamp"]),
        values=values,
    )


def _station(reading: Reading) -> common.Station:
    return common.Station(
        SOURCE,
        "sensorId",
        reading.sensor_id,
        name=f"sensor.community {reading.sensor_type} #{reading.sensor_id}",
        description=f"Bürgermessstation von sensor.community ({reading.sensor_type}, "
        f"{'innen' if reading.indoor else 'außen'})",
        lon=reading.lon,
        lat=reading.lat,
        properties={"locationId": reading.location_id, "indoor": reading.indoor},
    )


def _series(reading: Reading, kind: str) -> common.Series:
    quantity = QUANTITIES[kind]
    return common.Series(
        "valueType",
        kind,
        quantity,
        name=f"{quantity.label} (sensor.community #{reading.sensor_id})",
        description=f"{quantity.label}, gemessen von einem {reading.sensor_type}",
        sensor_name=reading.sensor_type,
        sensor_description=f"{reading.manufacturer} {reading.sensor_type}".strip(),
        sensor_metadata="https://sensor.community/de/sensors/",
    )


IMPORTER = Importer(
    NAME, "citizens' air sensors from sensor.community (bounding box)", read, locate
)
