"""frequencies.txt: trips given by headway (gtfs-reference.md, "frequencies.txt"). A trip
listed there is a template: its stop times give the times relative to its first stop, and
each row of frequencies.txt says that a trip starts every ``headway_secs`` from
``start_time`` while the start is before ``end_time``. The load expands each template
into one trip per start, named ``TRIP@HH:MM:SS`` (its trip_id and start time, as
GTFS-Realtime names such a trip), with the template's stop times shifted; the template's
own stop times are then removed (they are no departures of their own). Trips with
``exact_times`` 0 run about that often: their expanded times are nominal.

The expansion is bounded: at most SMARTCITY_MOBILITY_GTFS_MAX_FREQUENCY_TRIPS trips per
feed; the frequencies of a template that would exceed it are rejected with their line.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from smartcity.core import config
from smartcity.mobility.gtfs import tables, writing
from smartcity.mobility.gtfs.tables import FieldError
from smartcity.mobility.gtfs.writing import Loading
from smartcity.mobility.models import StopTime, Trip

_COPIED = ("stop_id", "sequence", "arrival", "departure", "headsign", "pickup", "drop_off")
_COLUMNS = ("version_id", "trip_id", *_COPIED)


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _windows(loading: Loading) -> dict[str, tuple[int, list[int]]]:
    """The starts of each kept template trip, with the line of its first row."""
    found: dict[str, tuple[int, list[int]]] = {}
    rows = loading.rows("frequencies.txt", ("trip_id", "start_time", "end_time", "headway_secs"))
    for line, row in rows:
        if row.get("trip_id") not in loading.trips:
            continue
        with loading.report.record(f"frequencies.txt line {line}"):
            writing.whole_row(row)
            start, end = tables.time(row, "start_time"), tables.time(row, "end_time")
            if start is None or end is None:
                raise FieldError("start_time" if start is None else "end_time", "is required")
            if end <= start:
                raise FieldError("end_time", "is not after start_time")
            headway = tables.whole(row, "headway_secs", minimum=1)
            tables.enum(row, "exact_times", range(2))
            _first, starts = found.setdefault(row["trip_id"], (line, []))
            starts.extend(range(start, end, headway))
    return found


def expand(loading: Loading) -> None:
    """Replace each template trip of frequencies.txt by its trips, one per start."""
    budget = config.get("MOBILITY_GTFS_MAX_FREQUENCY_TRIPS")
    expanded: dict[str, int] = defaultdict(int)
    for trip_id, (line, starts) in _windows(loading).items():
        origin = loading.starts.get(trip_id, (0, None))[1]
        where = f"frequencies.txt line {line}"
        if origin is None:
            loading.report.reject(where, f"trip_id: {trip_id!r} has no time at its first stop")
            continue
        unique = sorted(set(starts))
        if len(unique) > budget:
            loading.report.reject(
                where, f"trip_id: {trip_id!r} would start {len(unique)} times, more than "
                f"the {budget} trips SMARTCITY_MOBILITY_GTFS_MAX_FREQUENCY_TRIPS leaves"
            )  # fmt: skip
            continue
        budget -= len(unique)
        expanded["trips"] += _copy(loading, trip_id, [start - origin for start in unique])
    if expanded:
        loading.kept("frequencies.txt", expanded["trips"])


def _copy(loading: Loading, trip_id: str, shifts: list[int]) -> int:
    """The template trip's copies, one per shift (seconds), with its stop times shifted;
    the template's own stop times removed. Returns the trips made."""
    template = Trip.objects.get(pk=loading.trips[trip_id])
    times = list(StopTime.objects.filter(trip_id=template.pk).values_list(*_COPIED))
    origin = loading.starts[trip_id][1] or 0
    copies = (
        Trip(
            version_id=template.version_id, route_id=template.route_id,
            trip_id=f"{trip_id}@{clock(origin + shift)}"[:200], service_id=template.service_id,
            headsign=template.headsign, short_name=template.short_name,
            direction=template.direction, wheelchair=template.wheelchair, bikes=template.bikes,
            last_sequence=template.last_sequence, last_stop=template.last_stop,
        )
        for shift in shifts
    )  # fmt: skip
    made = list(writing.write(Trip, copies))
    with writing.Writer(StopTime._meta.db_table, _COLUMNS) as writer:
        for trip, shift in zip(made, shifts, strict=True):
            for stop, sequence, arrival, departure, headsign, pickup, drop_off in times:
                writer.add((
                    template.version_id, trip.pk, stop, sequence,
                    None if arrival is None else arrival + shift,
                    None if departure is None else departure + shift,
                    headsign, pickup, drop_off,
                ))  # fmt: skip
        writer.close()
    with transaction.atomic():
        StopTime.objects.filter(trip_id=template.pk).delete()
    loading.kept("stop_times.txt", (len(made) - 1) * len(times))  # the template's are gone
    return len(made)
