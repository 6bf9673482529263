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

import json
import math
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from smartcity.core.importers import Importer, ImportReport, Progress
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from smartcity.sensors.ingest import create_observations
from smartcity.sensors.models import Datastream, Observation, ObservedProperty, Sensor, Thing

NAME = "sensor-community"
SOURCE = "sensor.community"
API = "https://data.sensor.community/airrohr/v1/filter/box={north},{west},{south},{east}"
HAMM = (7.65, 51.58, 8.05, 51.78)  # west, south, east, north
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"

_UG = {
    "name": "Mikrogramm pro Kubikmeter",
    "symbol": "µg/m³",
    "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3",
}


@dataclass(frozen=True)
class Quantity:
    label: str  # German, as the demo names its Datastreams
    definition: str  # the ObservedProperty, shared with the city's own sensors
    description: str
    unit: dict[str, str]


QUANTITIES = {
    "P1": Quantity(
        "Feinstaub PM10",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
        "Massenkonzentration von Partikeln mit höchstens 10 µm Durchmesser.",
        _UG,
    ),
    "P2": Quantity(
        "Feinstaub PM2,5",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001",
        "Massenkonzentration von Partikeln mit höchstens 2,5 µm Durchmesser.",
        _UG,
    ),
    "temperature": Quantity(
        "Lufttemperatur",
        "http://mmisw.org/ont/cf/parameter/air_temperature",
        "Temperatur der Außenluft.",
        {"name": "Grad Celsius", "symbol": "°C", "definition": "http://qudt.org/vocab/unit/DEG_C"},
    ),
    "humidity": Quantity(
        "Relative Luftfeuchte",
        "http://mmisw.org/ont/cf/parameter/relative_humidity",
        "Relative Feuchte der Außenluft.",
        {"name": "Prozent", "symbol": "%", "definition": "http://qudt.org/vocab/unit/PERCENT"},
    ),
    "pressure": Quantity(
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


def fetch(*, bbox: tuple[float, float, float, float] = HAMM, timeout: float = 60) -> Any:
    """The current records inside ``bbox`` (west, south, east, north) from the data API."""
    west, south, east, north = bbox
    url = API.format(north=north, west=west, south=south, east=east)
    # the URL is our own https constant with numbers filled in: no file: or other scheme
    request = urllib.request.Request(url, headers={"User-Agent": "smartcity-hamm-importer"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.load(response)


def parse(
    payload: Any, report: ImportReport, bbox: tuple[float, float, float, float] = HAMM
) -> list[Reading]:
    """The valid records inside ``bbox``; every other record is counted or rejected."""
    if not isinstance(payload, list):
        report.rejected.append(("/", "expected a JSON array of records"))
        return []
    readings = []
    for index, record in enumerate(payload):
        try:
            reading = _reading(record, report)
        except (KeyError, TypeError, ValueError) as error:
            report.rejected.append((f"/{index}", _reason(error)))
            continue
        west, south, east, north = bbox
        if not (west <= reading.lon <= east and south <= reading.lat <= north):
            report.count("skipped", "outside the area")
            continue
        readings.append(reading)
    return readings


def _reason(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing member {error.args[0]!r}"
    return str(error) or type(error).__name__


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
        time=_utc(record["timestamp"]),
        values=values,
    )


def _utc(text: Any) -> datetime:
    """``2026-12-01 09:31:05``: UTC, though it says so nowhere."""
    if not isinstance(text, str):
        raise TypeError("timestamp must be a string")
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def run(
    payload: Any,
    *,
    progress: Progress | None = None,
    bbox: tuple[float, float, float, float] = HAMM,
) -> ImportReport:
    report = ImportReport()
    readings = parse(payload, report, bbox)
    streams: dict[tuple[int, str], int] = {}
    for done, reading in enumerate(readings, start=1):
        with transaction.atomic():
            for kind in reading.values:
                key = (reading.sensor_id, kind)
                if key not in streams:
                    streams[key] = _stream(reading, kind, report)
        if progress:
            progress("Sensoren und Datenströme", done, len(readings))
    _write_observations(readings, streams, report)
    return report


def _stream(reading: Reading, kind: str, report: ImportReport) -> int:
    thing = Thing.objects.filter(
        properties__source=SOURCE, properties__sensorId=reading.sensor_id
    ).first()
    if thing is None:
        thing = services.create(
            entity("Thing"),
            {
                "name": f"sensor.community {reading.sensor_type} #{reading.sensor_id}",
                "description": f"Bürgermessstation von sensor.community ({reading.sensor_type}, "
                f"{'innen' if reading.indoor else 'außen'})",
                "properties": {
                    "source": SOURCE,
                    "sensorId": reading.sensor_id,
                    "locationId": reading.location_id,
                    "indoor": reading.indoor,
                },
                "Locations": [
                    {
                        "name": f"sensor.community Standort {reading.location_id}",
                        "description": "vom Betreiber angegebener Standort",
                        "encodingType": "application/geo+json",
                        "location": {"type": "Point", "coordinates": [reading.lon, reading.lat]},
                    }
                ],
            },
        )
        report.count("created", "things")
    quantity = QUANTITIES[kind]
    existing = Datastream.objects.filter(thing=thing, properties__valueType=kind).first()
    if existing is not None:
        return existing.pk
    stream = services.create(
        entity("Datastream"),
        {
            "name": f"{quantity.label} (sensor.community #{reading.sensor_id})",
            "description": f"{quantity.label}, gemessen von einem {reading.sensor_type}",
            "observationType": MEASUREMENT,
            "unitOfMeasurement": quantity.unit,
            "properties": {"source": SOURCE, "valueType": kind},
            "Thing": {"@iot.id": thing.pk},
            "Sensor": _linked_sensor(reading),
            "ObservedProperty": _linked_property(quantity),
        },
    )
    report.count("created", "datastreams")
    return int(stream.pk)


def _linked_sensor(reading: Reading) -> dict[str, Any]:
    found = Sensor.objects.filter(name=reading.sensor_type).first()
    if found is not None:
        return {"@iot.id": found.pk}
    return {
        "name": reading.sensor_type,
        "description": f"{reading.manufacturer} {reading.sensor_type}".strip(),
        "encodingType": "text/html",
        "metadata": "https://sensor.community/de/sensors/",
    }


def _linked_property(quantity: Quantity) -> dict[str, Any]:
    found = ObservedProperty.objects.filter(definition=quantity.definition).first()
    if found is not None:
        return {"@iot.id": found.pk}
    return {
        "name": quantity.label,
        "definition": quantity.definition,
        "description": quantity.description,
    }


def _write_observations(
    readings: list[Reading], streams: dict[tuple[int, str], int], report: ImportReport
) -> None:
    """All new observations in one CreateObservations call: one transaction, nothing
    written twice (an observation at the same time of the same Datastream is skipped)."""
    rows: dict[int, dict[datetime, float]] = {}
    for reading in readings:
        for kind, number in reading.values.items():
            rows.setdefault(streams[(reading.sensor_id, kind)], {})[reading.time] = number
    groups = []
    for stream, values in rows.items():
        stored = set(
            Observation.objects.filter(
                datastream_id=stream,
                phenomenon_time_start__gte=min(values),
                phenomenon_time_start__lte=max(values),
            ).values_list("phenomenon_time_start", flat=True)
        )
        new = [[t.isoformat(), v] for t, v in sorted(values.items()) if t not in stored]
        report.count("skipped", "already stored", len(values) - len(new))
        if new:
            groups.append(
                {
                    "Datastream": {"@iot.id": stream},
                    "components": ["phenomenonTime", "result"],
                    "dataArray": new,
                }
            )
            report.count("created", "observations", len(new))
    if groups:
        create_observations(groups)


IMPORTER = Importer(NAME, "citizens' air sensors from sensor.community (bounding box)", run, fetch)
