"""The demo city's realtime: a GTFS-Realtime FeedMessage built with gtfs-realtime-bindings
around the moment of the load (a few of the next departures from the Hauptbahnhof late,
one cancelled, and a lift out of order at the station) and kept through the realtime
reader's own ``store``, as a message from an operator would be.

It is a snapshot: its feed is never polled (it is demo data with no address), so its
freshness ages and, after three of its ttl, the boards show the timetable alone and say
that the realtime is stale. Each ``smartcity demo`` takes a new snapshot."""

from __future__ import annotations

from datetime import datetime, timedelta

from google.transit import gtfs_realtime_pb2 as rt

from smartcity.core.importers import ImportReport
from smartcity.mobility import board, feeds
from smartcity.mobility.demo.places import STATION_ID, TRACKS
from smartcity.mobility.departures import Departure
from smartcity.mobility.models import Feed, Stop, TransitVersion
from smartcity.mobility.realtime import poll

KEY = "demo-gtfs-rt"
TTL = 900  # seconds: the snapshot counts as current for 45 minutes (three ttl)
DELAYS = (180, 0, 420, None, 120, 60, 300)  # per departure in turn; None: cancelled
TRAIN_DELAY = 720  # the first regional train: twelve minutes late


def realtime_feed(timetable: Feed) -> tuple[Feed, bool]:
    """The demo's realtime feed, correcting ``timetable``; and whether it is new."""
    found, created = Feed.objects.get_or_create(
        key=KEY,
        defaults={
            "kind": Feed.GTFS_RT,
            "provider": "Stadtwerke Hamm Echtzeit (Demo)",
            "is_demo": True,
            "ttl": TTL,
            "options": {"gtfs": timetable.key},
        },
    )
    return found, created


def _update(message: rt.FeedMessage, departure: Departure, delay: int | None) -> None:
    entity = message.entity.add()
    entity.id = f"demo-update-{departure.trip_id}"
    update = entity.trip_update
    update.trip.trip_id = departure.trip_id
    update.trip.route_id = departure.route_id
    update.trip.start_date = departure.service_date.strftime("%Y%m%d")
    if delay is None:
        update.trip.schedule_relationship = rt.TripDescriptor.ScheduleRelationship.Value("CANCELED")
        return
    stop = update.stop_time_update.add()
    stop.stop_sequence = departure.stop_sequence
    stop.stop_id = departure.stop_id
    stop.departure.delay = delay


def _lift_alert(message: rt.FeedMessage, now: datetime, track: str) -> None:
    entity = message.entity.add()
    entity.id = "demo-alert-aufzug-hbf"
    alert = entity.alert
    period = alert.active_period.add()
    period.start = int((now - timedelta(hours=3)).timestamp())
    period.end = int((now + timedelta(days=2)).timestamp())
    alert.informed_entity.add().stop_id = STATION_ID
    alert.cause = rt.Alert.Cause.Value("TECHNICAL_PROBLEM")
    alert.effect = rt.Alert.Effect.Value("ACCESSIBILITY_ISSUE")
    alert.severity_level = rt.Alert.SeverityLevel.Value("WARNING")
    header = f"Hamm (Westf) Hbf: Aufzug zu Gleis {track} außer Betrieb (Demo)"
    text = (
        f"Der Aufzug zu Gleis {track} ist gestört. Bitte nutzen Sie den Aufzug am "
        "Nachbargleis und die Unterführung; das Servicepersonal hilft gern. (Demodaten)"
    )
    alert.header_text.translation.add(text=header, language="de")
    alert.description_text.translation.add(text=text, language="de")


def message(version: TransitVersion, now: datetime) -> rt.FeedMessage:
    """A full dataset as of ``now``: updates for the next departures from the station."""
    built = rt.FeedMessage()
    built.header.gtfs_realtime_version = "2.0"
    built.header.incrementality = rt.FeedHeader.Incrementality.Value("FULL_DATASET")
    built.header.timestamp = int(now.timestamp())
    stops = list(
        Stop.objects.filter(version=version, parent=STATION_ID).values_list("stop_id", flat=True)
    )
    upcoming = board.departures(board.place(version, stops), now, limit=40)
    buses = [d for d in upcoming if d.route_type == 3]
    for departure, delay in zip(buses, DELAYS, strict=False):
        _update(built, departure, delay)
    trains = [d for d in upcoming if d.route_type == 2]
    if trains:
        _update(built, trains[0], TRAIN_DELAY)
    _lift_alert(built, now, TRACKS[2])
    return built


def snapshot(timetable: Feed, now: datetime) -> tuple[int, int, bool]:
    """Store a new snapshot; (trip updates, alerts, whether the feed is new)."""
    target, created = realtime_feed(timetable)
    version = TransitVersion.objects.filter(feed=timetable, active=True).first()
    if version is None:
        return 0, 0, created
    decoded = poll.store(target, message(version, now).SerializeToString(), ImportReport())
    feeds.delivered(target, now)
    return len(decoded.trips), len(decoded.alerts), created
