"""Trips that realtime adds to the timetable (gtfs-realtime-reference.md,
TripDescriptor.ScheduleRelationship ``NEW``, and the deprecated ``ADDED``): extra runs the
static feed does not know, whose StopTimeUpdates give the times. They become departures
of their own on a board, marked ``added``, from a fresh realtime feed only, so they leave
the board when the feed goes stale or its next message no longer holds them.

Per stop update of such a trip: its stop is named by ``stop_id`` (there is no timetable
to place a sequence by) and its time is the departure's ``time``, else the arrival's; a
``delay`` means nothing without a plan, so an update with only delays is left out, as
is a ``SKIPPED`` stop and the trip's last stop update (it only arrives there). The line
is the timetable's route of ``route_id`` (else the route_id itself), the headsign
TripProperties' ``trip_headsign``, else the name of the last stop the update names.
``DUPLICATED`` (a copy of a planned trip at another time) is not shown yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smartcity.mobility.departures import Departure

ADDED, NEW = 1, 8  # TripDescriptor.ScheduleRelationship
SKIPPED = 1  # StopTimeUpdate.ScheduleRelationship


@dataclass(frozen=True)
class AddedTrip:
    """An added trip as stored (models.TripUpdate with relationship NEW or ADDED)."""

    trip_id: str
    start_date: Any  # date or None
    route_id: str
    headsign: str
    stops: list[dict[str, Any]]


@dataclass(frozen=True)
class Line:
    """What a board shows of a route: as board.py takes it from routes.txt."""

    name: str
    route_type: int
    color: str = ""


@dataclass(frozen=True)
class Board:
    """Where and when: the board's stops (stop_id -> platform), from ``at`` (aware) for
    ``horizon``, in the timetable's zone; the routes and stop names it knows."""

    platforms: dict[str, str]
    at: datetime
    horizon: timedelta
    zone: ZoneInfo
    lines: dict[str, Line]
    names: dict[str, str]


def _moment(stop: dict[str, Any]) -> int | None:
    for event in (stop.get("dep"), stop.get("arr")):
        if event and "time" in event:
            return int(event["time"])
    return None


def _departures_of(trip: AddedTrip, board: Board) -> list[Departure]:
    stops = trip.stops[:-1] if len(trip.stops) > 1 else []  # the last stop only arrives
    named = [s["stop"] for s in trip.stops if s.get("stop")]
    headsign = trip.headsign or (board.names.get(named[-1], "") if named else "")
    line = board.lines.get(trip.route_id) or Line(trip.route_id, 3)
    found = []
    for position, stop in enumerate(stops):
        stop_id, seconds = stop.get("stop", ""), _moment(stop)
        if stop_id not in board.platforms or seconds is None or stop["rel"] == SKIPPED:
            continue
        when = datetime.fromtimestamp(seconds, UTC).astimezone(board.zone)
        if not board.at <= when < board.at + board.horizon:
            continue
        found.append(Departure(
            trip_id=trip.trip_id, route_id=trip.route_id, line=line.name,
            route_type=line.route_type, headsign=headsign, stop_id=stop_id,
            stop_sequence=stop.get("seq", position + 1),
            service_date=trip.start_date or when.date(), scheduled=when,
            platform=board.platforms[stop_id], color=line.color, delay=0, expected=when,
            realtime=True, added=True,
        ))  # fmt: skip
    return found


def departures(trips: Iterable[AddedTrip], board: Board) -> list[Departure]:
    """The departures of ``trips`` from the board's stops, earliest first."""
    found = [d for trip in trips for d in _departures_of(trip, board)]
    found.sort(key=lambda d: (d.scheduled, d.line, d.trip_id))
    return found


def merged(planned: list[Departure], added: list[Departure], limit: int) -> list[Departure]:
    """The board's first ``limit`` departures of both, earliest first (as board.py
    orders them: by the time in the timetable, an added trip's being the feed's)."""
    both = planned + added
    both.sort(key=lambda d: (d.scheduled, d.line, d.trip_id))
    return both[:limit]
