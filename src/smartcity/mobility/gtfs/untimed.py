"""Stop times without a time (GTFS allows arrival_time and departure_time empty on the
stops between two timepoints, ``timepoint`` 0): given the times of the trip's nearest
timed stops before and after, interpolated linearly along the trip, by
``shape_dist_traveled`` where the three stops have it (and it grows), else by the stops'
places in the sequence, as the reference describes for consumers.

The load's pass over stop_times.txt writes the timed rows as it reads them and holds the
untimed ones at kept stops (:meth:`Untimed.hold`); the timed neighbours may lie anywhere
on the trip, also outside the area and so not kept. Only when something is held does
:meth:`Untimed.filled` read the table once more, for the held trips alone (on the fast
path, ``columnar``, where it can; the general path otherwise: the same values either
way), so a feed that times every stop costs nothing and memory stays bounded by the
trips that need it. A stop that has no timed stop on one side (the reference requires
the first and last stop of a trip to be timed) stays untimed: it is no departure."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from smartcity.core.importers import RECORD_ERRORS
from smartcity.mobility.gtfs import columnar, tables

SEQUENCE, ARRIVAL, DEPARTURE = 3, 4, 5  # in a stop time row as load.py writes it
_COLUMNS = ["trip_id", "stop_sequence", "arrival_time", "departure_time", "shape_dist_traveled"]

# one stop of a trip: (stop_sequence, arrival, departure, shape_dist_traveled)
Point = tuple[int, int | None, int | None, float | None]


class Untimed:
    """The untimed stop times at kept stops, by trip_id, until their trips are read."""

    def __init__(self) -> None:
        self.held: dict[str, list[tuple[Any, ...]]] = defaultdict(list)

    def hold(self, trip_id: str, row: tuple[Any, ...]) -> None:
        self.held[trip_id].append(row)

    def filled(self, table: tables.Table) -> Iterator[tuple[Any, ...]]:
        """The held rows, timed where their trip's neighbours allow."""
        if not self.held:
            return
        trips = _points(table, set(self.held))
        for trip_id, rows in self.held.items():
            points = sorted(trips.get(trip_id, []))
            for row in rows:
                found = interpolate(points, row[SEQUENCE])
                yield (
                    row if found is None else (*row[:ARRIVAL], found, found, *row[DEPARTURE + 1 :])
                )
        self.held.clear()


def interpolate(points: list[Point], sequence: int) -> int | None:
    """The time of the stop ``sequence`` of a trip (``points`` sorted by sequence): on the
    straight line from the departure of the timed stop before it to the arrival of the
    timed stop after it; None without one on either side."""
    at = bisect_left(points, (sequence,))
    if at >= len(points) or points[at][0] != sequence:
        return None
    before = next((i for i in range(at - 1, -1, -1) if _timed(points[i])), None)
    after = next((i for i in range(at + 1, len(points)) if _timed(points[i])), None)
    if before is None or after is None:
        return None
    start = points[before][2] if points[before][2] is not None else points[before][1]
    end = points[after][1] if points[after][1] is not None else points[after][2]
    assert start is not None and end is not None  # both are timed
    low, here, high = points[before][3], points[at][3], points[after][3]
    if low is not None and here is not None and high is not None and high > low:
        share = min(1.0, max(0.0, (here - low) / (high - low)))
    else:
        share = (at - before) / (after - before)
    return round(start + share * (end - start))


def _timed(point: Point) -> bool:
    return point[1] is not None or point[2] is not None


def _points(table: tables.Table, trips: set[str]) -> dict[str, list[Point]]:
    """Every stop of ``trips`` (the rows the load did not reject), from stop_times.txt."""
    if columnar.available():
        try:
            present = columnar.header(table)
            columns = [c for c in _COLUMNS if c in present]
            at = [columns.index(c) if c in columns else -1 for c in _COLUMNS]
            return _collect(columnar.rows(table, columns, "trip_id", trips), at, trips)
        except (columnar.Fallback, UnicodeDecodeError):
            pass  # the general path reads it as the load did
    return _collect(table.lines(), None, trips, table)


def _collect(
    lines: Iterator[tuple[int, list[str]]],
    at: list[int] | None,
    trips: set[str],
    table: tables.Table | None = None,
) -> dict[str, list[Point]]:
    found: dict[str, list[Point]] = defaultdict(list)
    for _line, values in lines:
        if at is None:
            assert table is not None
            at = [table.index.get(column, -1) for column in _COLUMNS]
        trip_id = values[at[0]].strip()
        if trip_id not in trips:
            continue
        try:
            found[trip_id].append(_point(values, at))
        except RECORD_ERRORS:
            continue  # rejected by the load already
    return found


def _point(values: list[str], at: list[int]) -> Point:
    sequence = int(values[at[1]].strip())
    arrival = tables.seconds(values[at[2]], "arrival_time") if at[2] >= 0 else None
    departure = tables.seconds(values[at[3]], "departure_time") if at[3] >= 0 else None
    text = values[at[4]].strip() if 0 <= at[4] < len(values) else ""
    distance = float(text) if text else None
    return (
        sequence,
        arrival,
        departure,
        distance if distance is None or math.isfinite(distance) else None,
    )
