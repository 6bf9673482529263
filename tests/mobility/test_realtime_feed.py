"""A GTFS-Realtime feed polled over https on loopback and shown on the departure board:
delays, cancellations, vehicles as offers, alerts; a failing or stale feed is not
applied and says so; bad requests are 4xx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from google.transit import gtfs_realtime_pb2 as rt

from smartcity.core import importers
from smartcity.mobility import feeds
from smartcity.mobility.models import Feed, Offer, ServiceAlert, TripUpdate
from smartcity.mobility.realtime import poll
from tests.https import Answer
from tests.mobility import gtfs_feeds

pytestmark = pytest.mark.django_db(transaction=True)
BOARD = "/api/v1/mobility/stops/{}/departures"


def _message(delay: int = 120) -> bytes:
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(timezone.now().timestamp())
    late = message.entity.add(id="t1")
    late.trip_update.trip.trip_id = "T1"
    stop = late.trip_update.stop_time_update.add(stop_sequence=1)
    stop.departure.delay = delay
    gone = message.entity.add(id="t3")
    gone.trip_update.trip.trip_id = "T3"
    gone.trip_update.trip.schedule_relationship = rt.TripDescriptor.CANCELED
    bus = message.entity.add(id="v1")
    bus.vehicle.vehicle.id = "bus-4711"
    bus.vehicle.vehicle.label = "Linie 1"
    bus.vehicle.position.latitude, bus.vehicle.position.longitude = 51.679, 7.812
    bus.vehicle.trip.trip_id = "T1"
    alert = message.entity.add(id="a1")
    alert.alert.informed_entity.add(stop_id="HBF1")
    alert.alert.header_text.translation.add(text="Aufzug außer Betrieb", language="de")
    alert.alert.effect = rt.Alert.ACCESSIBILITY_ISSUE
    other = message.entity.add(id="a2")
    other.alert.informed_entity.add(route_id="R1", stop_id="DO")  # line 1, but at Dortmund
    return message.SerializeToString()


@pytest.fixture
def timetable():
    report = importers.run(importers.get("gtfs"), gtfs_feeds.archive(gtfs_feeds.HAMM))
    assert report.failure == ""
    return Offer.objects.get(ref="HBF")


@pytest.fixture
def live(site, timetable):
    site.routes["/rt.pb"] = Answer(_message(), content_type="application/x-protobuf")
    feed = feeds.feed("swh-rt", kind=Feed.GTFS_RT, provider="SWH", url=site.url("/rt.pb"), ttl=30)
    poll.poll(feed, now=timezone.now())
    return feed


def _board(client, offer, **query):
    return client.get(BOARD.format(offer.pk), {"date": "2026-03-02", "time": "07:30", **query})


def test_a_polled_feed_puts_delays_and_cancellations_on_the_board(client, timetable, live):
    answer = _board(client, timetable)
    assert answer.status_code == 200
    body = answer.json()
    trips = {d["trip"]: d for d in body["departures"]}
    assert trips["T1"]["delay"] == 120 and trips["T1"]["realtime"]
    assert trips["T1"]["expected"].startswith("2026-03-02T08:02:00")
    assert trips["T3"]["cancelled"]
    assert trips["T2"]["realtime"] is False and trips["T2"]["delay"] is None
    assert body["realtime"] == [
        {"feed": "swh-rt", "applied": True, **body["realtime"][0]} | {"stale": False}
    ]
    assert [a["header"] for a in body["alerts"]] == [{"de": "Aufzug außer Betrieb"}]
    assert body["stop"]["name"] == "Hamm Hauptbahnhof"


def test_vehicles_are_offers_near_their_position(client, live):
    answer = client.get("/api/v1/mobility/nearby", {"lat": 51.679, "lon": 7.812, "radius": 50})
    vehicles = [o for o in answer.json()["offers"] if o["kind"] == "vehicle"]
    assert [(v["ref"], v["name"], v["status"]["trip"]) for v in vehicles] == [
        ("bus-4711", "Linie 1", "T1")
    ]


def test_a_failing_feed_keeps_its_realtime_until_it_is_stale(client, site, timetable, live):
    site.routes["/rt.pb"] = Answer(b"oops", status=500)
    poll.poll(live, now=timezone.now())
    live.refresh_from_db()
    assert live.failures == 1 and "500" in live.error
    assert TripUpdate.objects.filter(feed=live).count() == 2  # the last good realtime stays
    assert _board(client, timetable).json()["realtime"][0]["applied"] is True
    Feed.objects.filter(pk=live.pk).update(delivered_at=timezone.now() - timedelta(minutes=5))
    body = _board(client, timetable).json()
    assert body["realtime"][0]["stale"] is True and body["realtime"][0]["applied"] is False
    assert all(d["delay"] is None and not d["cancelled"] for d in body["departures"])
    assert body["alerts"] == []


def test_a_message_that_is_no_feed_message_keeps_the_last_good_one(site, live):
    site.routes["/rt.pb"] = Answer(b"<html>maintenance</html>")
    poll.poll(live, now=timezone.now())
    live.refresh_from_db()
    assert "not a GTFS-Realtime FeedMessage" in live.error
    assert ServiceAlert.objects.filter(feed=live).count() == 2


def test_a_message_over_the_limit_is_refused(site, live, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_REALTIME_MAX_BYTES", "100")
    poll.poll(live, now=timezone.now())
    live.refresh_from_db()
    assert "larger than 100 bytes (SMARTCITY_MOBILITY_REALTIME_MAX_BYTES)" in live.error


def test_the_importer_reads_a_saved_message(timetable):
    report = importers.run(importers.get("gtfs-rt"), _message(delay=30), feed="saved")
    assert report.failure == "" and report.created["trip updates"] == 2
    feed = Feed.objects.get(key="saved")
    assert feed.kind == "gtfs-rt" and feed.delivered_at is not None
    report = importers.run(importers.get("gtfs-rt"), b"nonsense", feed="saved")
    assert "not a GTFS-Realtime FeedMessage" in report.failure


def test_a_board_far_ahead_is_the_timetable_alone(client, timetable, live):
    tomorrow = (timezone.localtime() + timedelta(days=2)).date().isoformat()
    body = _board(client, timetable, date=tomorrow, time="07:30").json()
    assert all(not d["realtime"] for d in body["departures"])
    assert body["realtime"][0]["applied"] is False


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"limit": 0}, 400, "limit must be between 1 and 100"),
        ({"limit": 101}, 400, "limit must be between 1 and 100"),
        ({"date": "2026-02-30"}, 400, "date must be YYYY-MM-DD"),
        ({"time": "25:00"}, 400, "time must be HH:MM"),
        ({"date": "0001-01-01"}, 400, "date must lie between"),
        ({"date": "9999-12-31", "time": "23:59"}, 400, "date must lie between"),
    ],
)
def test_a_bad_board_request_says_what_is_wrong(client, timetable, query, status, message):
    answer = _board(client, timetable, **query)
    assert answer.status_code == status
    assert message in answer.content.decode()


def test_a_board_of_what_is_no_stop_is_a_404(client, timetable, live):
    bus = Offer.objects.get(ref="bus-4711")
    assert client.get(BOARD.format(bus.pk)).status_code == 404
    assert client.get(BOARD.format(10**9)).status_code == 404
    assert client.get(BOARD.format("x")).status_code in (400, 404, 422)


def test_the_nearest_stops_of_nearby_carry_their_next_departures(client, timetable, live):
    from unittest import mock

    from smartcity.mobility import api

    moment = timezone.make_aware(timezone.datetime(2026, 3, 2, 7, 30))
    with mock.patch.object(api.timezone, "now", return_value=moment):
        answer = client.get("/api/v1/mobility/nearby", {"lat": 51.6783, "lon": 7.8089})
    offers = {o["ref"]: o for o in answer.json()["offers"]}
    station = offers["HBF"]
    assert [d["trip"] for d in station["departures"]] == ["T1", "T3", "T2"]
    assert station["departures"][0]["delay"] == 120
    assert "departures" not in offers["bus-4711"]


def test_a_run_of_a_trip_given_by_headway_is_matched_by_its_start_time(client, site):
    frequencies = "trip_id,start_time,end_time,headway_secs\nT1,07:00:00,08:00:00,1200\n"
    tables = {**gtfs_feeds.HAMM, "frequencies.txt": frequencies}
    assert importers.run(importers.get("gtfs"), gtfs_feeds.archive(tables)).failure == ""
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(timezone.now().timestamp())
    late = message.entity.add(id="run")
    late.trip_update.trip.trip_id = "T1"
    late.trip_update.trip.start_time = "7:20:00"
    late.trip_update.stop_time_update.add(stop_sequence=1).departure.delay = 180
    site.routes["/rt.pb"] = Answer(message.SerializeToString())
    feed = feeds.feed("swh-rt", kind=Feed.GTFS_RT, provider="SWH", url=site.url("/rt.pb"), ttl=30)
    poll.poll(feed, now=timezone.now())
    assert TripUpdate.objects.get().start_time == "07:20:00"
    body = _board(client, Offer.objects.get(ref="HBF"), time="06:50").json()
    delays = {d["trip"]: d["delay"] for d in body["departures"] if d["trip"].startswith("T1@")}
    assert delays == {"T1@07:00:00": None, "T1@07:20:00": 180, "T1@07:40:00": None}

