"""What every importer does the same way: find or create a source's station (Thing) and
its series (Datastream) by the source's own keys, and write only new observations.

A station is found by ``properties.source`` and the source's key for it
(``properties.<key>``), a series by ``properties.<key>`` below its station, so a re-run
finds what the first run created. Sensors and ObservedProperties are shared: a series
links the ObservedProperty with the same definition as the city's own sensors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from smartcity.core.city import city
from smartcity.core.geo import BBox
from smartcity.core.importers import ImportReport
from smartcity.core.sources import Rejected, SourceError, open_url
from smartcity.core.timeutil import as_utc
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from smartcity.sensors.ingest.groups import create_observations
from smartcity.sensors.models import Datastream, Observation, ObservedProperty, Sensor, Thing


def area(bbox: BBox | None) -> BBox:
    """The area to import: the one asked for, else the city's extent (core.city)."""
    return bbox if bbox is not None else city().extent


MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
MICROGRAM_PER_M3 = {
    "name": "Mikrogramm pro Kubikmeter",
    "symbol": "µg/m³",
    "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3",
}
DEGREE_CELSIUS = {
    "name": "Grad Celsius",
    "symbol": "°C",
    "definition": "http://qudt.org/vocab/unit/DEG_C",
}
MILLIGRAM_PER_M3 = {
    "name": "Milligramm pro Kubikmeter",
    "symbol": "mg/m³",
    "definition": "http://qudt.org/vocab/unit/MilliGM-PER-M3",
}
PERCENT = {"name": "Prozent", "symbol": "%", "definition": "http://qudt.org/vocab/unit/PERCENT"}


@dataclass(frozen=True)
class Quantity:
    label: str  # German, as the demo names its Datastreams
    definition: str  # the ObservedProperty, shared with the city's own sensors
    description: str
    unit: dict[str, str]


PM10 = Quantity(
    "Feinstaub PM10",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
    "Massenkonzentration von Partikeln mit höchstens 10 µm Durchmesser.",
    MICROGRAM_PER_M3,
)
PM25 = Quantity(
    "Feinstaub PM2,5",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001",
    "Massenkonzentration von Partikeln mit höchstens 2,5 µm Durchmesser.",
    MICROGRAM_PER_M3,
)
NO2 = Quantity(
    "Stickstoffdioxid (NO₂)",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8",
    "Massenkonzentration von Stickstoffdioxid in der Außenluft.",
    MICROGRAM_PER_M3,
)
O3 = Quantity(
    "Ozon (O₃)",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/7",
    "Massenkonzentration von Ozon in der Außenluft.",
    MICROGRAM_PER_M3,
)
SO2 = Quantity(
    "Schwefeldioxid (SO₂)",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/1",
    "Massenkonzentration von Schwefeldioxid in der Außenluft.",
    MICROGRAM_PER_M3,
)
CO = Quantity(
    "Kohlenmonoxid (CO)",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/10",
    "Massenkonzentration von Kohlenmonoxid in der Außenluft.",
    MILLIGRAM_PER_M3,
)
AIR_TEMPERATURE = Quantity(
    "Lufttemperatur",
    "http://mmisw.org/ont/cf/parameter/air_temperature",
    "Temperatur der Außenluft.",
    DEGREE_CELSIUS,
)
HUMIDITY = Quantity(
    "Relative Luftfeuchte",
    "http://mmisw.org/ont/cf/parameter/relative_humidity",
    "Relative Feuchte der Außenluft.",
    PERCENT,
)


@dataclass(frozen=True)
class Station:
    source: str  # e.g. "sensor.community"
    key_name: str  # the member of properties that holds the source's key
    key: Any
    name: str
    description: str
    lon: float
    lat: float
    properties: dict[str, Any]


@dataclass(frozen=True)
class Series:
    key_name: str
    key: Any
    quantity: Quantity
    name: str
    description: str
    sensor_name: str  # Sensor entities are shared by name
    sensor_description: str
    sensor_metadata: str  # a URL


def fetch_json(url: str, timeout: float) -> Any:
    """GET a small JSON answer of a source over HTTPS (an index a source is located by,
    not the records themselves: those are streamed)."""
    with open_url(url, timeout) as response:
        return orjson.loads(response.read())


def utc_instant(text: Any) -> datetime:
    """An ISO 8601 time stamp of a source; without an offset it is UTC (as the public
    sources send them), not local time."""
    if not isinstance(text, str):
        raise TypeError("a time stamp must be a string")
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else as_utc(value, text)


def thing_for(station: Station, report: ImportReport) -> Thing:
    lookup = {"properties__source": station.source, f"properties__{station.key_name}": station.key}
    found = Thing.objects.filter(**lookup).first()
    if found is not None:
        return found
    created: Thing = services.create(
        entity("Thing"),
        {
            "name": station.name,
            "description": station.description,
            "properties": {
                "source": station.source,
                station.key_name: station.key,
                **station.properties,
            },
            "Locations": [
                {
                    "name": f"Standort {station.name}",
                    "description": "vom Betreiber angegebener Standort",
                    "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": [station.lon, station.lat]},
                }
            ],
        },
    )
    report.count("created", "things")
    return created


def datastream_for(thing: Thing, series: Series, source: str, report: ImportReport) -> int:
    found = Datastream.objects.filter(
        thing=thing, **{f"properties__{series.key_name}": series.key}
    ).first()
    if found is not None:
        return found.pk
    sensor = Sensor.objects.filter(name=series.sensor_name).first()
    prop = ObservedProperty.objects.filter(definition=series.quantity.definition).first()
    stream = services.create(
        entity("Datastream"),
        {
            "name": series.name,
            "description": series.description,
            "observationType": MEASUREMENT,
            "unitOfMeasurement": series.quantity.unit,
            "properties": {"source": source, series.key_name: series.key},
            "Thing": {"@iot.id": thing.pk},
            "Sensor": {"@iot.id": sensor.pk}
            if sensor
            else {
                "name": series.sensor_name,
                "description": series.sensor_description,
                "encodingType": "text/html",
                "metadata": series.sensor_metadata,
            },
            "ObservedProperty": {"@iot.id": prop.pk}
            if prop
            else {
                "name": series.quantity.label,
                "definition": series.quantity.definition,
                "description": series.quantity.description,
            },
        },
    )
    report.count("created", "datastreams")
    return int(stream.pk)


# When a value was observed: an instant, or an interval (start, end) such as the hour an
# hourly mean covers.
When = datetime | tuple[datetime, datetime]


def _start(when: When) -> datetime:
    return when[0] if isinstance(when, tuple) else when


def _phenomenon_time(when: When) -> str:
    if isinstance(when, tuple):
        return f"{when[0].isoformat()}/{when[1].isoformat()}"
    return when.isoformat()


BATCH = 50_000  # observations an import writes at once (one CreateObservations call)


class NewObservations:
    """The observations an import has mapped, by Datastream and time, written in batches
    of ``batch`` values so that a source of any length is held in bounded memory (use it
    in a ``with`` block: the rest is written at its end). One
    already stored with the same (start) time in the same Datastream is skipped; within a
    batch the last value for a time wins."""

    def __init__(self, report: ImportReport, batch: int | None = None) -> None:
        self.report, self.batch = report, batch or BATCH
        self._values: dict[int, dict[When, Any]] = {}
        self._pending = 0

    def add(self, stream: int, when: When, value: Any) -> None:
        self._values.setdefault(stream, {})[when] = value
        self._pending += 1
        if self._pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        write_new(self._values, self.report)
        self._values, self._pending = {}, 0

    def __enter__(self) -> NewObservations:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """Write the rest, also when the source broke off after them (what was read is
        good); not after an error of our own."""
        if kind is None or issubclass(kind, SourceError | Rejected):
            self.flush()


def write_new(values: dict[int, dict[When, Any]], report: ImportReport) -> None:
    """Observations by Datastream and time, in one CreateObservations call (one
    transaction); one already stored with the same (start) time in the same Datastream is
    skipped."""
    groups = []
    for stream, by_time in values.items():
        if not by_time:
            continue
        starts = [_start(when) for when in by_time]
        stored = set(
            Observation.objects.filter(
                datastream_id=stream,
                phenomenon_time_start__gte=min(starts),
                phenomenon_time_start__lte=max(starts),
            ).values_list("phenomenon_time_start", flat=True)
        )
        new = [
            [_phenomenon_time(when), v]
            for when, v in sorted(by_time.items(), key=lambda item: _start(item[0]))
            if _start(when) not in stored
        ]
        report.count("skipped", "already stored", len(by_time) - len(new))
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
