"""Loading one GTFS archive into a new, inactive :class:`TransitVersion`, cropped to an area.

Memory stays bounded by what the area keeps, never by the feed (the Germany-wide feed is
over a gigabyte): the stops inside the area are kept (with their parent stations); one
pass over stop_times.txt reading two columns finds the trips that serve them; their
trips, routes, agencies and service days are kept; a second pass writes those trips' stop
times at the kept stops and notes each trip's last stop (for its headsign and for
realtime, which counts stop sequences along the whole trip). Rows are written in batches,
each its own short transaction, so that other writers (sensors) are not held up; the
version stays invisible until :mod:`~smartcity.mobility.gtfs.swap` makes it the active
one. A row that breaks the reference's rules is rejected with its file, line and field;
the rows it would have carried (a trip's stop times, say) are left out with it."""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartcity.core.geo import BBox
from smartcity.core.importers import RECORD_ERRORS, ImportReport, reason
from smartcity.mobility.gtfs import (
    calendar,
    columnar,
    frequencies,
    rows,
    swap,
    tables,
    untimed,
    writing,
)
from smartcity.mobility.gtfs.tables import FieldError, TableError
from smartcity.mobility.gtfs.writing import Loading
from smartcity.mobility.models import (
    Agency,
    Route,
    Stop,
    StopTime,
    TransitVersion,
    Trip,
)

REQUIRED = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")


def load(
    archive: zipfile.ZipFile, version: TransitVersion, area: BBox, report: ImportReport
) -> Loading:
    """Write the archive's timetable within ``area`` into ``version``; returns what the load
    kept (``counts``: the rows per table; ``calls``: the lines at each stop). TableError
    when a required table or column is missing (nothing is then activated; the caller
    removes the version)."""
    loading = Loading(archive, version, area, report, tables.members(archive))
    missing = [name for name in REQUIRED if name not in loading.members]
    if "calendar.txt" not in loading.members and "calendar_dates.txt" not in loading.members:
        missing.append("calendar.txt or calendar_dates.txt")
    if missing:
        raise TableError(f"the feed lacks {', '.join(missing)}")
    _stops(loading)
    served = _served(loading)
    trips = _trip_rows(loading, served)
    routes = _routes(loading, {row.route_id for row in trips.values()})
    _agencies(loading, routes)
    _write_trips(loading, trips, routes)
    last = _stop_times(loading)
    _last_stops(loading, last)
    frequencies.expand(loading)
    calendar.services(loading)
    version.feed_info = calendar.feed_info(loading)
    version.counts = loading.counts
    version.save(update_fields=["feed_info", "counts"])
    return loading


def _stop(version: TransitVersion, row: dict[str, str]) -> Stop:
    writing.whole_row(row)
    kind = tables.enum(row, "location_type", range(5))
    lat = tables.coordinate(row, "stop_lat", 90)
    lon = tables.coordinate(row, "stop_lon", 180)
    if kind <= 2 and (lat is None or lon is None):
        raise FieldError("stop_lat", "a stop, station or entrance needs stop_lat and stop_lon")
    if kind <= 2 and not row.get("stop_name"):
        raise FieldError("stop_name", "a stop, station or entrance needs a name")
    if kind >= 2 and not row.get("parent_station"):
        raise FieldError("parent_station", f"location_type {kind} needs a parent_station")
    return Stop(
        version=version,
        stop_id=tables.required(row, "stop_id"),
        name=row.get("stop_name", "")[:300],
        lat=lat,
        lon=lon,
        location_type=kind,
        parent=row.get("parent_station", ""),
        platform=row.get("platform_code", "")[:64],
        wheelchair=tables.enum(row, "wheelchair_boarding", range(3)),
        timezone=row.get("stop_timezone", ""),
    )


def _stops(loading: Loading) -> None:
    """The stops within the area, and the parent stations of those (wherever they lie)."""
    kept: dict[str, Stop] = {}
    parents: set[str] = set()
    for line, row in loading.rows("stops.txt", ("stop_id",)):
        with loading.report.record(f"stops.txt line {line}"):
            stop = _stop(loading.version, row)
            if stop.lat is not None and loading.area.contains(stop.lon, stop.lat):  # type: ignore[arg-type]
                kept[stop.stop_id] = stop
                if stop.parent:
                    parents.add(stop.parent)
    if parents - kept.keys():
        for _line, row in loading.rows("stops.txt", ("stop_id",)):
            if row.get("stop_id") in parents and row["stop_id"] not in kept:
                with contextlib.suppress(ValueError):  # rejected in the first pass
                    kept[row["stop_id"]] = _stop(loading.version, row)
    for stop in writing.write(Stop, kept.values()):
        loading.stops[stop.stop_id] = (stop.pk, stop.name)
    loading.kept("stops.txt", len(kept))


def _served(loading: Loading) -> set[str]:
    """The trips that stop at a kept stop: one pass over stop_times.txt, two columns."""
    stops = loading.stops
    table = loading.table("stop_times.txt", ("trip_id", "stop_id"))
    assert table is not None  # a required table
    if columnar.available():
        with contextlib.suppress(columnar.Fallback):
            return columnar.served(table, set(stops), "trip_id", "stop_id")
    served: set[str] = set()
    trip = stop = -1
    for _line, values in table.lines():
        if trip < 0:
            trip, stop = table.index["trip_id"], table.index["stop_id"]
        if values[stop].strip() in stops:
            served.add(values[trip].strip())
    return served


@dataclass
class _TripRow:
    line: int
    route_id: str
    fields: dict[str, Any]


def _trip_rows(loading: Loading, served: set[str]) -> dict[str, _TripRow]:
    found: dict[str, _TripRow] = {}
    for line, row in loading.rows("trips.txt", ("route_id", "service_id", "trip_id")):
        if row.get("trip_id") not in served:
            continue
        with loading.report.record(f"trips.txt line {line}"):
            writing.whole_row(row)
            direction = row.get("direction_id", "")
            found[row["trip_id"]] = _TripRow(
                line,
                tables.required(row, "route_id"),
                {
                    "trip_id": row["trip_id"],
                    "service_id": tables.required(row, "service_id"),
                    "headsign": row.get("trip_headsign", "")[:300],
                    "short_name": row.get("trip_short_name", "")[:64],
                    "direction": tables.enum(row, "direction_id", range(2)) if direction else None,
                    "wheelchair": tables.enum(row, "wheelchair_accessible", range(3)),
                    "bikes": tables.enum(row, "bikes_allowed", range(3)),
                },
            )
    return found


def _routes(loading: Loading, needed: set[str]) -> dict[str, Route]:
    kept: list[Route] = []
    for line, row in loading.rows("routes.txt", ("route_id", "route_type")):
        if row.get("route_id") not in needed:
            continue
        with loading.report.record(f"routes.txt line {line}"):
            writing.whole_row(row)
            if not (row.get("route_short_name") or row.get("route_long_name")):
                raise FieldError("route_short_name", "a route needs a short or a long name")
            kept.append(
                Route(
                    version=loading.version,
                    route_id=row["route_id"],
                    agency_id=row.get("agency_id", ""),
                    short_name=row.get("route_short_name", "")[:64],
                    long_name=row.get("route_long_name", "")[:300],
                    route_type=tables.whole(row, "route_type"),
                    color=tables.color(row, "route_color"),
                    text_color=tables.color(row, "route_text_color"),
                )
            )
    loading.kept("routes.txt", len(kept))
    return {route.route_id: route for route in writing.write(Route, kept)}


def _agencies(loading: Loading, routes: dict[str, Route]) -> None:
    needed = {route.agency_id for route in routes.values()}
    kept: list[Agency] = []
    for line, row in loading.rows("agency.txt", ("agency_name", "agency_timezone")):
        if len(needed) > 1 and row.get("agency_id", "") not in needed:
            continue
        with loading.report.record(f"agency.txt line {line}"):
            writing.whole_row(row)
            zone = tables.required(row, "agency_timezone")
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise FieldError("agency_timezone", f"{zone!r} is not a time zone") from None
            kept.append(
                Agency(
                    version=loading.version,
                    agency_id=row.get("agency_id", ""),
                    name=tables.required(row, "agency_name")[:300],
                    url=row.get("agency_url", "")[:500],
                    timezone=zone,
                    phone=row.get("agency_phone", "")[:64],
                )
            )
    zones = {agency.timezone for agency in kept}
    if len(zones) > 1:
        raise TableError(f"agency.txt: the agencies name different time zones {sorted(zones)}")
    list(writing.write(Agency, kept))
    loading.kept("agency.txt", len(kept))


_TRIP_COLUMNS = (
    "version_id", "route_id", "trip_id", "service_id", "headsign", "short_name", "direction",
    "wheelchair", "bikes", "last_stop",
)  # fmt: skip


def _write_trips(loading: Loading, trips: dict[str, _TripRow], routes: dict[str, Route]) -> None:
    """Write the kept trips, built a batch at a time (only their keys stay in memory), as
    plain rows (the ORM's bulk_create spent seconds compiling 80,000 of them); their keys
    are then read back in one statement."""
    version = loading.version.pk

    def kept() -> Iterator[tuple[Any, ...]]:
        while trips:
            _trip_id, trip = trips.popitem()
            route = routes.get(trip.route_id)
            if route is None:
                loading.report.reject(
                    f"trips.txt line {trip.line}",
                    f"route_id: {trip.route_id!r} is not a route of routes.txt",
                )
                continue
            f = trip.fields
            yield (version, route.pk, f["trip_id"], f["service_id"], f["headsign"],
                   f["short_name"], f["direction"], f["wheelchair"], f["bikes"], "")  # fmt: skip

    count = writing.insert_all(Trip._meta.db_table, _TRIP_COLUMNS, kept())
    written = Trip.objects.filter(version_id=version).values_list("trip_id", "pk", "route_id")
    for trip_id, pk, route_pk in written.iterator(chunk_size=10_000):
        loading.trips[trip_id] = pk
        loading.calling[pk] = loading.calls.setdefault(route_pk, set())
    loading.services.update(
        Trip.objects.filter(version_id=version).values_list("service_id", flat=True).distinct()
    )
    loading.kept("trips.txt", count)


_COLUMNS = (
    "version_id", "trip_id", "stop_id", "sequence", "arrival", "departure", "headsign",
    "pickup", "drop_off",
)  # fmt: skip
_STOP_TIME = ("trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time")
_OPTIONAL = ("stop_headsign", "pickup_type", "drop_off_type")


def _stop_times(loading: Loading) -> dict[str, tuple[int, str]]:
    """Write the kept trips' stop times at the kept stops; returns each kept trip's last
    (stop_sequence, stop_id), wherever that stop lies. The hot path of a load: the kept
    trips' rows picked by the fast path (``columnar``) where it can, values by position,
    the common time format without an expression."""
    table = loading.table("stop_times.txt", ("trip_id", "stop_id", "stop_sequence"))
    assert table is not None  # a required table
    if columnar.available():
        try:
            present = columnar.header(table)
            table.width = len(present)
            columns = [column for column in _STOP_TIME + _OPTIONAL if column in present]
            at = [columns.index(c) if c in columns else -1 for c in _STOP_TIME + _OPTIONAL]
            rows = columnar.rows(table, columns, "trip_id", set(loading.trips))
            return _write_stop_times(loading, table, rows, at)
        except (columnar.Fallback, UnicodeDecodeError):
            swap.remove_stop_times(loading.version.pk)  # what the fast path wrote
            loading.starts.clear()
            for stops in loading.calls.values():
                stops.clear()
    return _write_stop_times(loading, table, table.lines(), None)


def _write_stop_times(
    loading: Loading,
    table: tables.Table,
    lines: Iterator[tuple[int, list[str]]],
    at: list[int] | None,
) -> dict[str, tuple[int, str]]:
    """Write the rows of ``lines`` (positions ``at``, else the header's) that belong to a
    kept trip. On the fast path (``at`` given) a row that would be rejected raises
    columnar.Fallback instead: the general path knows its true line."""
    trips, stops, version = loading.trips, loading.stops, loading.version.pk
    calling = loading.calling
    last: dict[str, tuple[int, str]] = {}
    fast, held = at is not None, untimed.Untimed()
    with writing.Writer(StopTime._meta.db_table, _COLUMNS) as writer:
        for line, values in lines:
            if not at:
                at = [table.index.get(column, -1) for column in _STOP_TIME + _OPTIONAL]
            trip_id = values[at[0]].strip()
            trip = trips.get(trip_id)
            if trip is None:
                continue
            try:
                row = rows.stop_time(table, values, at)
            except RECORD_ERRORS as error:
                if fast:
                    raise columnar.Fallback(f"line {line}: {reason(error)}") from None
                loading.report.reject(f"stop_times.txt line {line}", reason(error))
                continue
            stop_id, sequence = row[0], row[1]
            if sequence >= last.get(trip_id, (-1, ""))[0]:
                last[trip_id] = (sequence, stop_id)
            if sequence < loading.starts.get(trip_id, (1 << 62, None))[0]:
                loading.starts[trip_id] = (sequence, row[3])
            stop = stops.get(stop_id)
            if stop is None:
                continue
            calling[trip].add(stop[0])
            if row[2] is None:
                held.hold(trip_id, (version, trip, stop[0], *row[1:]))  # untimed.py
            else:
                writer.add((version, trip, stop[0], *row[1:]))
        for filled in held.filled(table):
            writer.add(filled)
        loading.kept("stop_times.txt", writer.close())
    return last


def _last_stops(loading: Loading, last: dict[str, tuple[int, str]]) -> None:
    """Each trip's last stop sequence and that stop's name (a third, narrow pass over
    stops.txt for the last stops outside the area)."""
    names = {stop_id: name for stop_id, (_pk, name) in loading.stops.items()}
    wanted = {stop_id for _seq, stop_id in last.values()} - names.keys()
    if wanted:
        for _line, row in loading.rows("stops.txt", ("stop_id",), only=("stop_id", "stop_name")):
            if row.get("stop_id") in wanted:
                names[row["stop_id"]] = row.get("stop_name", "")[:300]
    updates = [
        (sequence, names.get(stop_id, ""), loading.trips[trip_id])
        for trip_id, (sequence, stop_id) in last.items()
    ]
    sql = f"UPDATE {Trip._meta.db_table} SET last_sequence = %s, last_stop = %s WHERE id = %s"
    for batch in writing.batches(updates):
        writing.flush(sql, batch)
