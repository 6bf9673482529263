"""Realtime onto a board: each :class:`Departure` corrected by its trip's update, as the
GTFS-Realtime reference says updates propagate (gtfs-realtime-reference.md,
StopTimeUpdate and its ScheduleRelationship). Framework-free.

For a departure at stop sequence *n* of a trip:

- a cancelled (or deleted) trip cancels it;
- an update for this very stop gives its time: the departure's ``time`` or ``delay``,
  else the arrival's (a bus does not leave before it arrives, nor before its time);
  ``SKIPPED`` marks it skipped; ``NO_DATA`` says nothing is known;
- otherwise the nearest earlier update's delay propagates (over ``SKIPPED`` stops, which
  do not themselves propagate); an earlier ``NO_DATA`` stops propagation; an update that
  gives only a ``time`` is turned into a delay against the static schedule of its stop;
- with no stop update before it, the trip-level ``delay`` (experimental) applies;
- an update without arrival or departure counts as on time (the reference's example).

An update that names only a ``stop_id`` is placed by the trip's timetable (the first
visit of that stop); one that can be placed neither way is left out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from smartcity.mobility.departures import Departure

CANCELED, DELETED = 3, 7  # TripDescriptor.ScheduleRelationship
SKIPPED, NO_DATA = 1, 2  # StopTimeUpdate.ScheduleRelationship


@dataclass(frozen=True)
class Update:
    """One trip's realtime, as stored (models.TripUpdate)."""

    trip_id: str
    start_date: Any  # date or None
    relationship: int
    delay: int | None
    stops: list[dict[str, Any]]


# a trip's timetable, for placing and converting updates: sequence -> (stop_id, departure
# as an aware datetime, or None when untimed), for the stops the platform keeps
Schedule = Mapping[int, tuple[str, datetime | None]]


def apply(
    departures: Iterable[Departure],
    updates: Mapping[str, list[Update]],
    schedules: Mapping[tuple[str, Any], Schedule],
) -> None:
    """Correct ``departures`` in place by ``updates`` (by trip_id; an update with a
    start_date applies to that service date only). ``schedules`` by (trip_id,
    service_date). An update without start_date is for the trip's next run: the first
    service date of that trip on the board."""
    undated_day: dict[str, Any] = {}
    for departure in departures:
        day = undated_day.setdefault(departure.trip_id, departure.service_date)
        update = _for(departure, updates.get(departure.trip_id, []), day)
        if update is None:
            continue
        departure.realtime = True
        if update.relationship in (CANCELED, DELETED):
            departure.cancelled = True
            continue
        schedule = schedules.get((departure.trip_id, departure.service_date), {})
        delay = _delay(departure, update, schedule)
        if delay is not None:
            departure.delay = delay
            departure.expected = departure.scheduled + timedelta(seconds=delay)


def _for(departure: Departure, candidates: list[Update], next_run: Any) -> Update | None:
    dated = [u for u in candidates if u.start_date == departure.service_date]
    undated = [u for u in candidates if u.start_date is None]
    if departure.service_date != next_run:
        undated = []
    return (dated or undated)[0] if dated or undated else None


def _placed(update: Update, schedule: Schedule) -> list[tuple[int, dict[str, Any]]]:
    first_visit: dict[str, int] = {}
    for planned in sorted(schedule):
        first_visit.setdefault(schedule[planned][0], planned)
    placed = []
    for stop in update.stops:
        sequence: int | None = stop.get("seq", first_visit.get(stop.get("stop", "")))
        if sequence is not None:
            placed.append((sequence, stop))
    placed.sort(key=lambda item: item[0])
    return placed


def _delay(departure: Departure, update: Update, schedule: Schedule) -> int | None:
    here = departure.stop_sequence
    earlier: list[tuple[int, dict[str, Any]]] = []
    for sequence, stop in _placed(update, schedule):
        if sequence == here:
            return _here(departure, stop)
        if sequence < here:
            earlier.append((sequence, stop))
    for sequence, stop in reversed(earlier):
        if stop["rel"] == NO_DATA:
            return None
        if stop["rel"] == SKIPPED:
            continue
        return _propagated(sequence, stop, schedule)
    return update.delay


def _here(departure: Departure, stop: dict[str, Any]) -> int | None:
    if stop["rel"] == SKIPPED:
        departure.skipped = True
        return None
    if stop["rel"] == NO_DATA:
        return None
    planned = departure.scheduled.timestamp()
    departs, arrives = stop.get("dep") or {}, stop.get("arr") or {}
    if "time" in departs:
        return int(departs["time"] - planned)
    if "delay" in departs:
        return int(departs["delay"])
    if "time" in arrives:  # arriving early, it still leaves as planned
        return max(0, int(arrives["time"] - planned))
    if "delay" in arrives:
        return int(arrives["delay"])
    return 0


def _propagated(sequence: int, stop: dict[str, Any], schedule: Schedule) -> int | None:
    for event in (stop.get("dep"), stop.get("arr")):
        if event and "delay" in event:
            return int(event["delay"])
    planned = schedule.get(sequence, ("", None))[1]
    for event in (stop.get("dep"), stop.get("arr")):
        if event and "time" in event:
            return int(event["time"] - planned.timestamp()) if planned else None
    return 0
