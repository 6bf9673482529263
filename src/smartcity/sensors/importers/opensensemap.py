"""openSenseMap: the senseBoxes of schools and citizens, read from the API's box list
(``/boxes?bbox=west,south,east,north&full=true``) and mapped to SensorThings entities.

A box is a Thing (``properties.boxId``) at its ``currentLocation``; each of its sensors
whose phenomenon we know (``title``: PM10, PM2.5, Temperatur, rel. Luftfeuchte, ...) is a
Datastream (``properties.sensorId``), and its ``lastMeasurement`` an Observation. Values
arrive as strings; time stamps are ISO 8601 in UTC with a ``Z``. A re-run stores nothing
twice; a malformed box or sensor is rejected with its reason and stops nothing else.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.db import transaction

from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, json_records
from smartcity.sensors.importers import common

NAME = "opensensemap"
SOURCE = "openSenseMap"
API = "https://api.opensensemap.org/boxes?bbox={west},{south},{east},{north}&full=true"
HECTOPASCAL = {
    "name": "Hektopascal",
    "symbol": "hPa",
    "definition": "http://qudt.org/vocab/unit/HectoPA",
}

# sensor title (as the senseBox templates name them, lower case) -> quantity
QUANTITIES = {
    "pm10": common.PM10,
    "pm2.5": common.PM25,
    "pm25": common.PM25,
    "temperatur": common.AIR_TEMPERATURE,
    "temperature": common.AIR_TEMPERATURE,
    "rel. luftfeuchte": common.HUMIDITY,
    "luftfeuchtigkeit": common.HUMIDITY,
    "humidity": common.HUMIDITY,
    "luftdruck": common.Quantity(
        "Luftdruck",
        "http://mmisw.org/ont/cf/parameter/air_pressure",
        "Luftdruck am Standort.",
        HECTOPASCAL,
    ),
}


def locate(*, bbox: BBox | None = None) -> str:
    """The API's URL for the boxes inside ``bbox`` (default: the city) with their last
    measurements."""
    bbox = common.area(bbox)
    return API.format(west=bbox.min_x, south=bbox.min_y, east=bbox.max_x, north=bbox.max_y)


def read(source: Source, report: ImportReport, *, bbox: BBox | None = None) -> None:
    """The boxes of a JSON array, one at a time."""
    bbox = common.area(bbox)
    records = json_records(source, top=list, shape="expected a JSON array of boxes")
    with common.NewObservations(report) as new:
        for record in records:
            with report.record(record.where):
                station, measurements = _box(record.value, report, bbox)
                if station is None or not measurements:
                    continue
                with transaction.atomic():
                    thing = common.thing_for(station, report)
                    for series, when, number in measurements:
                        stream = common.datastream_for(thing, series, SOURCE, report)
                        new.add(stream, when, number)


def _box(
    box: Any, report: ImportReport, bbox: BBox
) -> tuple[common.Station | None, list[tuple[common.Series, datetime, float]]]:
    if not isinstance(box, dict):
        raise TypeError("a box must be a JSON object")
    lon, lat = (float(c) for c in box["currentLocation"]["coordinates"][:2])
    if not bbox.contains(lon, lat):
        report.count("skipped", "outside the area")
        return None, []
    box_id, name = str(box["_id"]), str(box["name"])
    station = common.Station(
        SOURCE,
        "boxId",
        box_id,
        name=f"senseBox {name}",
        description=f"senseBox auf openSenseMap ({box.get('exposure', 'unbekannt')})",
        lon=lon,
        lat=lat,
        properties={"model": box.get("model"), "exposure": box.get("exposure")},
    )
    measurements = []
    for sensor in box.get("sensors") or []:
        quantity = QUANTITIES.get(str(sensor.get("title", "")).strip().lower())
        if quantity is None:
            report.count("skipped", f"phenomenon {sensor.get('title')}")
            continue
        last = sensor.get("lastMeasurement")
        if not isinstance(last, dict):
            report.count("skipped", "no measurement")
            continue
        number = float(last["value"])
        if not math.isfinite(number):
            report.count("skipped", "value nan")
            continue
        when = common.utc_instant(last["createdAt"])
        sensor_type = str(sensor.get("sensorType") or "unbekannt")
        series = common.Series(
            "sensorId",
            str(sensor["_id"]),
            quantity,
            name=f"{quantity.label} (senseBox {name})",
            description=f"{quantity.label}, gemessen von einem {sensor_type}",
            sensor_name=sensor_type,
            sensor_description=f"{sensor_type} (senseBox)",
            sensor_metadata="https://docs.sensebox.de/",
        )
        measurements.append((series, when, number))
    return station, measurements


IMPORTER = Importer(
    NAME, "schools' and citizens' senseBoxes from openSenseMap (bounding box)", read, locate
)
