"""Umweltbundesamt air data (API v3, ``/api/air_data/v3/``): the official measuring stations
of the federal states' networks, mapped to SensorThings entities.

The API answers positional arrays described by ``indices``: ``stations/json`` one array
per station, ``components/json`` one per pollutant, ``measures/json`` per station a map
from the start of the averaging interval to ``[component id, scope id, value, date end,
index]``. Times are CET all year (UTC+1, no daylight saving time) and hours run from 1 to
24: ``2026-11-30 24:00:00`` is the midnight that ends 30 November. A mean is stored with
the interval it covers as phenomenonTime, ``end - length of the scope`` to ``end``, in UTC.

A station is a Thing (``properties.stationId``) with its Location; each pollutant we know
(NO2, PM10, PM2.5, O3, SO2, CO) and averaging scope (1-hour, 8-hour, daily mean) is a
Datastream (``properties.ubaSeries``, e.g. ``NO2/1SMW``) linked to the ObservedProperty the
city's own sensors use. A source is the three answers together,
``{"stations": ..., "components": ..., "measures": [...]}``, as :func:`locate` streams it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import orjson
from django.db import transaction

from smartcity.core.geo import BBox
from smartcity.core.importers import RECORD_ERRORS, Importer, ImportReport, reason
from smartcity.core.sources import Chunks, Record, Source, json_records
from smartcity.sensors.importers import common
from smartcity.sensors.importers import uba_answers as answers

NAME = "uba"
SOURCE = "Umweltbundesamt"
API = "https://www.umweltbundesamt.de/api/air_data/v3/"

# component code (as components/json names them) -> quantity
QUANTITIES = {
    "NO2": common.NO2,
    "PM10": common.PM10,
    "PM2": common.PM25,  # the API's code for PM2.5
    "O3": common.O3,
    "SO2": common.SO2,
    "CO": common.CO,
}


@dataclass(frozen=True)
class Scope:
    code: str
    label: str  # German, goes into the Datastream's name
    length: timedelta  # the interval a value averages, ending at "date end"


# scope id -> averaging scope; the daily maxima (ids 3 and 5) are not imported
SCOPES = {
    1: Scope("1TMW", "Tagesmittel", timedelta(days=1)),
    2: Scope("1SMW", "Einstundenmittel", timedelta(hours=1)),
    4: Scope("8SMW", "Achtstundenmittel", timedelta(hours=8)),
}
# what fetch() asks for: the scopes the EU limit values and the UBA index use
FETCH_SCOPES = {
    "NO2": (2,),
    "PM10": (2, 1),
    "PM2": (2, 1),
    "O3": (2, 4),
    "SO2": (2, 1),
    "CO": (4,),
}

SHAPE = "expected an object with stations, components and measures"


def locate(
    *, bbox: BBox | None = None, hours: int = 48, now: datetime | None = None, timeout: float = 60
) -> Chunks:
    """The live source: stations, components and the last ``hours`` of measures of the
    active stations inside ``bbox``, as one JSON stream in the shape :func:`read` takes.
    Stations and components are read here (they say which measures to ask for); the
    ``measures/json`` answers, one per station, component and scope, are requested one
    after another while the stream is read."""
    bbox = common.area(bbox)
    stations = common.fetch_json(API + "stations/json?lang=de", timeout)
    components = common.fetch_json(API + "components/json?lang=de", timeout)
    end = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    first, last = answers.uba_hour(end - timedelta(hours=hours - 1)), answers.uba_hour(end)
    try:
        codes = {code: cid for cid, code in answers.components(components).items()}
        rows = answers.station_rows(stations)
    except (KeyError, TypeError, IndexError) as error:  # the CLI reports ValueErrors
        raise ValueError(f"unexpected answer of the UBA API: {reason(error)}") from None
    queries = _queries(rows, codes, bbox, first, last)
    urls = [f"{API}measures/json?{urlencode(query)}" for query in queries]
    head = b'{"stations":' + orjson.dumps(stations) + b',"components":' + orjson.dumps(components)
    return Chunks(_composite(head, urls, timeout))


def _queries(
    rows: list[dict[str, Any]],
    codes: dict[str, int],
    bbox: BBox,
    first: tuple[str, int],
    last: tuple[str, int],
) -> Iterator[dict[str, Any]]:
    for station in rows:
        if not _wanted(station, bbox):
            continue
        for code, scopes in FETCH_SCOPES.items():
            if code not in codes:
                continue
            for scope in scopes:
                yield {
                    "date_from": first[0],
                    "time_from": first[1],
                    "date_to": last[0],
                    "time_to": last[1],
                    "station": station["station id"],
                    "component": codes[code],
                    "scope": scope,
                }


def _composite(head: bytes, urls: list[str], timeout: float) -> Iterator[bytes]:
    yield head + b',"measures":['
    for index, url in enumerate(urls):
        yield (b"," if index else b"") + orjson.dumps(common.fetch_json(url, timeout))
    yield b"]}"


def read(source: Source, report: ImportReport, *, bbox: BBox | None = None) -> None:
    """The three answers of a source (see the module's doc), the measures one answer at a
    time. Measures that come before the stations and components they need are held until
    those have been read (the live source sends them first)."""
    records = json_records(source, top=dict, shape=SHAPE, split=("measures",))
    with common.NewObservations(report) as new:
        reader = _Reader(report, common.area(bbox), new)
        for record in records:
            reader.take(record)
        reader.finish()


class _Reader:
    def __init__(self, report: ImportReport, bbox: BBox, new: common.NewObservations) -> None:
        self.report, self.bbox = report, bbox
        self.stations: dict[str, common.Station | None] | None = None
        self.components: dict[int, str] | None = None
        self.broken = False  # the components cannot be read: no measure can be
        self.seen_measures = False
        self.held: list[Record] = []
        self.streams: dict[tuple[Any, Any], int] = {}
        self.new = new

    def take(self, record: Record) -> None:
        member = record.path[0]
        if member == "stations":
            self.stations = _stations(record.value, self.report, self.bbox)
        elif member == "components":
            try:
                self.components = answers.components(record.value)
            except RECORD_ERRORS as error:
                self.report.reject("/components", reason(error))
                self.broken = True
        elif member == "measures":
            self.seen_measures = True
            if record.path == ("measures",) and record.value == []:
                return  # no answers
            if self.stations is None or self.components is None:
                self.held.append(record)
            else:
                self._answer(record)
        if self.stations is not None and self.components is not None and self.held:
            held, self.held = self.held, []
            for waiting in held:
                self._answer(waiting)

    def _answer(self, record: Record) -> None:
        if self.broken:
            return
        assert self.stations is not None and self.components is not None
        index = record.path[1] if len(record.path) > 1 else 0
        measures = _measures(
            record.value, f"/measures/{index}", self.stations, self.components, self.report
        )
        for station, series, when, number in measures:
            key = (station.key, series.key)
            if key not in self.streams:
                with transaction.atomic():
                    thing = common.thing_for(station, self.report)
                    self.streams[key] = common.datastream_for(thing, series, SOURCE, self.report)
            self.new.add(self.streams[key], when, number)

    def finish(self) -> None:
        missing = self.stations is None or self.components is None or not self.seen_measures
        if missing and not self.broken:
            self.report.reject("/", SHAPE)


def _wanted(station: dict[str, Any], bbox: BBox) -> bool:
    """Whether fetch() asks for a station's measures: still active and inside the area
    (a malformed station is left to run() to reject)."""
    try:
        return not station.get("station active to") and _inside(station, bbox)
    except (KeyError, TypeError, ValueError):
        return False


def _inside(station: dict[str, Any], bbox: BBox) -> bool:
    lon, lat = float(station["station longitude"]), float(station["station latitude"])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("coordinates must be numbers")
    return bbox.contains(lon, lat)


def _stations(
    answer: Any, report: ImportReport, bbox: BBox
) -> dict[str, common.Station | None]:
    """Station id -> Station inside the area, or None for one outside it."""
    found: dict[str, common.Station | None] = {}
    try:
        rows = answers.station_rows(answer)
    except TypeError as error:
        report.rejected.append(("/stations", reason(error)))
        return found
    for row in rows:
        try:
            if not _inside(row, bbox):
                report.count("skipped", "station outside the area")
                found[str(row["station id"])] = None
                continue
            found[str(row["station id"])] = _station(row)
        except (KeyError, TypeError, ValueError) as error:
            report.rejected.append((f"/stations/data/{row['key']}", reason(error)))
    return found


def _station(row: dict[str, Any]) -> common.Station:
    code, name = str(row["station code"]), str(row["station name"])
    setting, kind = row.get("station setting name"), row.get("station type name")
    return common.Station(
        SOURCE,
        "stationId",
        str(row["station id"]),
        name=f"Luftmessstation {name}",
        description=f"Messstation {code} des Messnetzes {row.get('network code') or '?'} "
        f"({kind or 'Typ unbekannt'}, {setting or 'Umgebung unbekannt'}), "
        "Daten: Umweltbundesamt",
        lon=float(row["station longitude"]),
        lat=float(row["station latitude"]),
        properties={"stationCode": code, "network": row.get("network code"), "type": kind},
    )


def _measures(
    answer: Any,
    pointer: str,
    stations: dict[str, common.Station | None],
    components: dict[int, str],
    report: ImportReport,
) -> list[tuple[common.Station, common.Series, common.When, float]]:
    data = answers.data_of(answer)
    if data is None:
        report.rejected.append((pointer, "a measures answer must be an object with data"))
        return []
    names = answers.measure_fields(answer)
    found = []
    for station_id, by_start in data.items():
        where = f"{pointer}/data/{station_id}"
        if station_id not in stations:
            report.rejected.append((where, f"unknown station id {station_id}"))
            continue
        station = stations[station_id]
        if station is None or not isinstance(by_start, dict):
            if station is not None:
                report.rejected.append((where, "expected an object of measures by start time"))
            continue
        for start, record in by_start.items():
            try:
                measure = _measure(start, record, names, components, report, station.name)
            except (KeyError, TypeError, ValueError, IndexError) as error:
                report.rejected.append((f"{where}/{start}", reason(error)))
                continue
            if measure is not None:
                found.append((station, *measure))
    return found


def _measure(
    start: str,
    record: Any,
    names: list[str],
    components: dict[int, str],
    report: ImportReport,
    station_name: str,
) -> tuple[common.Series, common.When, float] | None:
    if not isinstance(record, list):
        raise TypeError("a measure must be an array")
    fields = dict(zip(names, record, strict=False))
    component, scope_id = int(fields["component id"]), int(fields["scope id"])
    if component not in components:
        raise ValueError(f"unknown component id {component}")
    code = components[component]
    quantity, scope = QUANTITIES.get(code), SCOPES.get(scope_id)
    if quantity is None or scope is None:
        report.count("skipped", f"component {code}" if quantity is None else f"scope {scope_id}")
        return None
    answers.cet_instant(start)  # the key must be a time stamp too
    end = answers.cet_instant(fields["date end"])
    value = fields["value"]
    if value is None:
        report.count("skipped", "value null")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError("a value must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("a value must be a finite number")
    series = common.Series(
        "ubaSeries",
        f"{code}/{scope.code}",
        quantity,
        name=f"{quantity.label}, {scope.label} ({station_name})",
        description=f"{quantity.label} als {scope.label} (Umweltbundesamt, {scope.code})",
        sensor_name="UBA-Luftmessstation",
        sensor_description="Automatische Messstation der Luftmessnetze der Länder und des Bundes",
        sensor_metadata="https://www.umweltbundesamt.de/daten/luft/luftdaten",
    )
    return series, (end - scope.length, end), number


IMPORTER = Importer(
    NAME, "official air quality stations from the Umweltbundesamt (bounding box)", read, locate
)
