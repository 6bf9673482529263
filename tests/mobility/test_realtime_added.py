"""Trips that GTFS-Realtime adds (NEW, and the deprecated ADDED): real FeedMessages built
with gtfs-realtime-bindings, read by the gtfs-rt importer, shown on the board as extra
departures marked as such, in time order among the planned ones, gone when the feed is
stale or its next message no longer holds them; and CANCELED and DELETED trips cancel."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from google.transit import gtfs_realtime_pb2 as rt

from smartcity.core import importers
from smartcity.mobility import page
from smartcity.mobility.models import Feed, Offer, TripUpdate
from tests.mobility import gtfs_feeds

pytestmark = pytest.mark.django_db(transaction=True)
BOARD = "/api/v1/mobility/stops/{}/departures"
BERLIN = ZoneInfo("Europe/Berlin")


def _at(hour: int, minute: int) -> int:
    return int(datetime(2026, 3, 2, hour, minute, tzinfo=BERLIN).timestamp())


def _extra(message: rt.FeedMessage, ref: str, relationship: int, headsign: str = "") -> None:
    """A trip the timetable does not know: line 1 from the Hbf (07:45) to the
    Willy-Brandt-Platz (07:49), X1 on to Dortmund (its last stop, 08:30, outside the
    city: not in the cropped timetable), the others ending there."""
    entity = message.entity.add(id=ref)
    update = entity.trip_update
    update.trip.trip_id = ref
    update.trip.route_id = "R1"
    update.trip.start_date = "20260302"
    update.trip.schedule_relationship = relationship
    if headsign:
        update.trip_properties.trip_headsign = headsign
    for sequence, (stop_id, hour, minute) in enumerate(
        [("HBF2", 7, 45), ("WBP", 7, 49), ("DO", 8, 30)][: 3 if ref == "X1" else 2], start=1
    ):
        stop = update.stop_time_update.add(stop_sequence=sequence, stop_id=stop_id)
        stop.arrival.time = _at(hour, minute)
        if stop_id != "DO":
            stop.departure.time = _at(hour, minute) + 30


def _message(*relationships: tuple[str, int]) -> bytes:
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(timezone.now().timestamp())
    for ref, relationship in relationships:
        if relationship in (rt.TripDescriptor.NEW, rt.TripDescriptor.ADDED):
            _extra(
                message, ref, relationship, headsign="Sonderfahrt Heessen" if ref == "X1" else ""
            )
        else:
            entity = message.entity.add(id=ref)
            entity.trip_update.trip.trip_id = ref
            entity.trip_update.trip.schedule_relationship = relationship
    return message.SerializeToString()


@pytest.fixture
def station() -> Offer:
    report = importers.run(importers.get("gtfs"), gtfs_feeds.archive(gtfs_feeds.HAMM))
    assert report.failure == ""
    return Offer.objects.get(ref="HBF")


def _realtime(data: bytes) -> Feed:
    report = importers.run(importers.get("gtfs-rt"), data, feed="swh-rt")
    assert report.failure == ""
    return Feed.objects.get(key="swh-rt")


def _board(client, offer: Offer, **query) -> dict:
    answer = client.get(BOARD.format(offer.pk), {"date": "2026-03-02", "time": "07:30", **query})
    assert answer.status_code == 200
    return answer.json()


def test_new_and_added_trips_are_extra_departures_among_the_planned_ones(client, station):
    _realtime(_message(("X1", rt.TripDescriptor.NEW), ("X2", rt.TripDescriptor.ADDED)))
    stored = TripUpdate.objects.get(trip_id="X1")
    assert (stored.route_id, stored.headsign) == ("R1", "Sonderfahrt Heessen")
    body = _board(client, station)
    assert [d["trip"] for d in body["departures"]] == ["X1", "X2", "T1", "T3", "T2"]
    extra = body["departures"][0]
    assert extra["added"] is True and extra["realtime"] is True
    assert extra["scheduled"] == extra["expected"] == "2026-03-02T07:45:30+01:00"
    assert (extra["line"], extra["routeType"], extra["platform"]) == ("1", 3, "2")
    assert extra["headsign"] == "Sonderfahrt Heessen"
    assert body["departures"][1]["headsign"] == "Willy-Brandt-Platz"  # none: its last stop
    assert not any(d["added"] for d in body["departures"][2:])
    shown = page.departure(extra)
    assert shown["state"] == "Zusatzfahrt" and shown["time"] == "07:45"


def test_an_added_trip_is_not_a_departure_where_it_ends_or_has_left(client, station):
    _realtime(_message(("X1", rt.TripDescriptor.NEW)))
    later = _board(client, station, time="07:46")
    assert "X1" not in [d["trip"] for d in later["departures"]]  # it has left
    wbp = Offer.objects.get(ref="WBP")
    assert [d["trip"] for d in _board(client, wbp)["departures"]] == ["X1"]
    _realtime(_message(("X2", rt.TripDescriptor.NEW)))  # it ends at the Willy-Brandt-Platz
    assert _board(client, station)["departures"][0]["trip"] == "X2"
    assert _board(client, wbp)["departures"] == []  # it only arrives there


def test_added_trips_leave_the_board_with_the_feed(client, station):
    feed = _realtime(_message(("X1", rt.TripDescriptor.NEW)))
    assert _board(client, station)["departures"][0]["trip"] == "X1"
    Feed.objects.filter(pk=feed.pk).update(delivered_at=timezone.now() - timedelta(hours=2))
    body = _board(client, station)
    assert body["realtime"][0]["stale"] is True
    assert [d["trip"] for d in body["departures"]] == ["T1", "T3", "T2"]
    _realtime(_message())  # the next message no longer holds it
    assert [d["trip"] for d in _board(client, station)["departures"]] == ["T1", "T3", "T2"]


def test_the_limit_holds_with_added_trips(client, station):
    _realtime(_message(("X1", rt.TripDescriptor.NEW), ("X2", rt.TripDescriptor.NEW)))
    assert [d["trip"] for d in _board(client, station, limit=2)["departures"]] == ["X1", "X2"]


@pytest.mark.parametrize("relationship", [rt.TripDescriptor.CANCELED, rt.TripDescriptor.DELETED])
def test_a_cancelled_or_deleted_trip_is_cancelled_on_the_board(client, station, relationship):
    _realtime(_message(("T1", relationship)))
    trips = {d["trip"]: d for d in _board(client, station)["departures"]}
    assert trips["T1"]["cancelled"] is True and trips["T1"]["added"] is False
    assert page.departure(trips["T1"])["state"] == "fällt aus"
    assert trips["T3"]["cancelled"] is False
