"""A stop's board as people see it: the timetable's next departures (board.py), corrected
by the realtime feeds that belong to that timetable (realtime/apply.py), with the service
alerts that concern the stop or its lines, and how fresh the realtime is. Realtime that
is stale (older than three of its feed's ttl) is not applied: the board then shows the
timetable and says so."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from smartcity.mobility import board, feeds
from smartcity.mobility.departures import Departure
from smartcity.mobility.models import (
    Feed,
    Route,
    ServiceAlert,
    Stop,
    StopTime,
    TransitVersion,
    TripUpdate,
)
from smartcity.mobility.realtime import added
from smartcity.mobility.realtime.apply import Schedule, Update, apply


class NotAStop(LookupError):
    """The offer is not a stop of a timetable in use."""


NEARBY_BOARDS, NEARBY_DEPARTURES = 3, 3  # what an answer of nearby shows of departures


def attach(found: list[tuple[dict[str, Any], float]], answers: list[dict[str, Any]],
           now: datetime) -> None:  # fmt: skip
    """Give the nearest few stops of a nearby answer their next departures (with
    realtime): ``departures`` beside each of those offers, in place."""
    boards = 0
    for (row, _metres), answer in zip(found, answers, strict=True):
        if boards >= NEARBY_BOARDS:
            return
        if row["mode"] != "transit" or row["kind"] == "vehicle" or row["feed"].kind != Feed.GTFS:
            continue  # only a timetable's stops have boards
        boards += 1  # tries, not successes: the answer's cost stays bounded
        try:
            board_now = departures(row, now, NEARBY_DEPARTURES, now)
        except NotAStop:
            continue
        answer["departures"] = board_now["departures"]


def realtime_feeds(timetable: Feed) -> list[Feed]:
    """The realtime feeds that correct ``timetable`` (their option ``gtfs``, default
    ``gtfs``)."""
    found = []
    for feed in Feed.objects.filter(kind=Feed.GTFS_RT):
        if (feed.options or {}).get("gtfs", "gtfs") == timetable.key:
            found.append(feed)
    return found


def stop_place(offer: dict[str, Any]) -> tuple[TransitVersion, board.Place]:
    """The timetable version in use and the stops (platforms) of a stop offer (a row of
    nearby.rows); NotAStop for any other offer."""
    timetable: Feed = offer["feed"]
    version = TransitVersion.objects.filter(feed_id=timetable.pk, active=True).first()
    if offer["mode"] != "transit" or offer["kind"] == "vehicle" or version is None:
        raise NotAStop(f"offer {offer['id']} is not a stop of a timetable in use")
    return version, board.place(version, list(offer["details"].get("stops") or [offer["ref"]]))


REALTIME_AHEAD = timedelta(hours=12)  # realtime speaks of the trips running now and soon


def departures(offer: dict[str, Any], at: datetime, limit: int, now: datetime) -> dict[str, Any]:
    """The board of a transit offer (a row of nearby.rows) from ``at``: departures,
    alerts, and the realtime feeds' freshness (as of ``now``). A board of a moment more
    than twelve hours ahead is the timetable alone."""
    timetable: Feed = offer["feed"]
    version, place = stop_place(offer)
    found = board.departures(place, at, limit=limit)
    live = [(feed, feeds.freshness(feed, None, now)) for feed in realtime_feeds(timetable)]
    soon = at - now < REALTIME_AHEAD
    fresh = [feed for feed, freshness in live if not freshness.stale and soon]
    if fresh and found:
        apply(found, _updates(fresh, found), _schedules(version, found, place))
    if fresh:
        found = added.merged(found, _added(fresh, version, place, at), limit)
    return {
        "departures": [d.as_json() for d in found],
        "alerts": _alerts(fresh, offer, found, max(at, now)),
        "realtime": [
            {"feed": feed.key, "applied": feed in fresh, **freshness.as_json()}
            for feed, freshness in live
        ],
    }


def _updates(sources: list[Feed], found: list[Departure]) -> dict[str, list[Update]]:
    """The realtime of the board's trips by their trip_id; a run of a trip given by headway
    (``TRIP@HH:MM:SS``, gtfs/frequencies.py) by its trip_id and start_time."""
    updates: dict[str, list[Update]] = defaultdict(list)
    trips = {d.trip_id for d in found}
    wanted = trips | {trip.partition("@")[0] for trip in trips}
    for row in TripUpdate.objects.filter(feed__in=sources, trip_id__in=wanted):
        run = f"{row.trip_id}@{row.start_time}"
        key = run if row.start_time and run in trips else row.trip_id
        updates[key].append(Update(key, row.start_date, row.relationship, row.delay, row.stops))
    return updates


def _added(
    sources: list[Feed], version: TransitVersion, place: board.Place, at: datetime
) -> list[Departure]:
    """The departures of the trips the realtime feeds add (NEW, ADDED) from the board's
    stops within a day of ``at``."""
    rows = TripUpdate.objects.filter(feed__in=sources, relationship__in=(added.ADDED, added.NEW))
    trips = [
        added.AddedTrip(row.trip_id, row.start_date, row.route_id, row.headsign, row.stops)
        for row in rows
    ]
    if not trips:
        return []
    platforms = dict(Stop.objects.filter(pk__in=place.stops).values_list("stop_id", "platform"))
    named = {s["stop"] for t in trips for s in t.stops[-1:] if s.get("stop")}
    names = dict(
        Stop.objects.filter(version=version, stop_id__in=named).values_list("stop_id", "name")
    )
    lines = {
        route_id: added.Line(short or long, route_type, color)
        for route_id, short, long, route_type, color in Route.objects.filter(
            version=version, route_id__in={t.route_id for t in trips}
        ).values_list("route_id", "short_name", "long_name", "route_type", "color")
    }
    where = added.Board(platforms, at, timedelta(seconds=board.DAY), place.zone, lines, names)
    return added.departures(trips, where)


def _schedules(
    version: TransitVersion, found: list[Departure], place: board.Place
) -> dict[tuple[str, Any], Schedule]:
    """The kept stop times of the board's trips, per (trip, service day), as times."""
    rows = StopTime.objects.filter(
        version=version, trip__trip_id__in={d.trip_id for d in found}
    ).values_list("trip__trip_id", "sequence", "stop__stop_id", "departure")
    by_trip: dict[str, list[tuple[int, str, int | None]]] = defaultdict(list)
    for trip_id, sequence, stop_id, departure in rows:
        by_trip[trip_id].append((sequence, stop_id, departure))
    schedules: dict[tuple[str, Any], Schedule] = {}
    for d in found:
        start = board.day_start(d.service_date, place.zone)
        schedules[(d.trip_id, d.service_date)] = {
            sequence: (stop_id, None if t is None else start + timedelta(seconds=t))
            for sequence, stop_id, t in by_trip[d.trip_id]
        }
    return schedules


def _active(periods: list[list[int | None]], at: datetime) -> bool:
    """An alert without periods is active until it leaves the feed."""
    now = at.timestamp()
    return not periods or any(
        (start or 0) <= now and (end is None or now < end) for start, end in periods
    )


def _alerts(
    sources: list[Feed], offer: dict[str, Any], found: list[Departure], at: datetime
) -> list[Any]:
    stops = {offer["ref"], *(offer["details"].get("stops") or [])}
    routes = {d.route_id for d in found}
    trips = {d.trip_id for d in found}
    chosen = []
    for alert in ServiceAlert.objects.filter(feed__in=sources):
        if _active(alert.periods, at) and any(
            _selects(e, stops, routes, trips) for e in alert.entities
        ):
            chosen.append(
                {
                    "id": alert.ref,
                    "cause": alert.cause,
                    "effect": alert.effect,
                    "severity": alert.severity,
                    "header": alert.header,
                    "description": alert.description,
                    "url": alert.url,
                    "periods": alert.periods,
                }
            )
    return chosen


def _selects(entity: dict[str, Any], stops: set[str], routes: set[str], trips: set[str]) -> bool:
    """An informed_entity selects what matches all of its fields (route 100 at stop 7)."""
    if "stop_id" in entity and entity["stop_id"] not in stops:
        return False
    if "route_id" in entity and entity["route_id"] not in routes:
        return False
    if "trip_id" in entity and entity["trip_id"] not in trips:
        return False
    return any(key in entity for key in ("stop_id", "route_id", "trip_id"))
