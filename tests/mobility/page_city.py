"""A small Hamm for the tests of the /mobilitaet/ pages: a timetable that runs every day
at every hour (so a board of now always has departures), realtime that delays the next
bus and cancels the next train, an alert at the Hauptbahnhof, and one offer of every
other mode around the Mobilstation Hauptbahnhof, written as the importers write them
(the gtfs and gtfs-rt importers, mobility.offers.sync)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from google.transit import gtfs_realtime_pb2 as rt

from smartcity.core import importers
from smartcity.mobility import feeds, offers
from smartcity.mobility.models import Hub, Offer
from smartcity.mobility.offers import OfferRecord
from tests.mobility import gtfs_feeds

HBF = (51.6783, 7.8089)
CALENDAR = (
    "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
    "ALL,1,1,1,1,1,1,1,20200101,20991231\n"
)
TRIPS_HEAD = "route_id,service_id,trip_id,trip_headsign\n"
TIMES_HEAD = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def archive() -> bytes:
    """Line 1 every 10 minutes (Hbf platform 1 to Willy-Brandt-Platz), RE 6 every 30
    (platform 2 to Dortmund), from 00:00 to 27:50 of every day."""
    trips, times = [TRIPS_HEAD], [TIMES_HEAD]
    for start in range(0, 28 * 60, 10):
        trips.append(f"R1,ALL,B{start},Heessen\n")
        times.append(f"B{start},{_clock(start)},{_clock(start)},HBF1,1\n")
        times.append(f"B{start},{_clock(start + 4)},{_clock(start + 4)},WBP,2\n")
        if start % 30 == 0:
            trips.append(f"RE,ALL,R{start},Dortmund\n")
            times.append(f"R{start},{_clock(start)},{_clock(start + 1)},HBF2,1\n")
            times.append(f"R{start},{_clock(start + 25)},{_clock(start + 25)},DO,2\n")
    tables = {**gtfs_feeds.HAMM, "calendar.txt": CALENDAR, "trips.txt": "".join(trips),
              "stop_times.txt": "".join(times)}  # fmt: skip
    return gtfs_feeds.archive(tables)


def _next(every: int, after: int) -> int:
    """The first start (minutes after midnight, local) of a trip every ``every`` minutes
    after ``after``."""
    return (after // every + 1) * every


def realtime() -> bytes:
    """The next bus 3 minutes late, the next train cancelled, an extra bus (a trip the
    timetable does not know, NEW) from platform 2 in 5 minutes, the lift at platform 1 out
    of order."""
    now = timezone.localtime()
    minute = now.hour * 60 + now.minute
    message = rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(now.timestamp())
    late = message.entity.add(id="late")
    late.trip_update.trip.trip_id = f"B{_next(10, minute) % (24 * 60)}"
    late.trip_update.stop_time_update.add(stop_sequence=1).departure.delay = 180
    gone = message.entity.add(id="gone")
    gone.trip_update.trip.trip_id = f"R{_next(30, minute) % (24 * 60)}"
    gone.trip_update.trip.schedule_relationship = rt.TripDescriptor.CANCELED
    extra = message.entity.add(id="extra")
    extra.trip_update.trip.trip_id = "EXTRA1"
    extra.trip_update.trip.route_id = "R1"
    extra.trip_update.trip.schedule_relationship = rt.TripDescriptor.NEW
    extra.trip_update.trip_properties.trip_headsign = "Sonderfahrt Heessen"
    leaves = int(now.timestamp()) + 300
    for sequence, (stop_id, at) in enumerate([("HBF2", leaves), ("WBP", leaves + 240)], 1):
        update = extra.trip_update.stop_time_update.add(stop_sequence=sequence, stop_id=stop_id)
        update.arrival.time = update.departure.time = at
    alert = message.entity.add(id="lift")
    alert.alert.informed_entity.add(stop_id="HBF1")
    alert.alert.header_text.translation.add(text="Aufzug zu Gleis 1 außer Betrieb", language="de")
    return message.SerializeToString()


def _at(ref, mode, kind, dlat, dlon, name, **extra) -> OfferRecord:
    return OfferRecord(ref, mode, kind, HBF[0] + dlat, HBF[1] + dlon, name, **extra)


def build() -> Offer:
    """Writes the small Hamm; returns the Hauptbahnhof's stop offer."""
    report = importers.run(importers.get("gtfs"), archive())
    assert report.failure == "", report.failure
    report = importers.run(importers.get("gtfs-rt"), realtime(), feed="swh-rt")
    assert report.failure == "", report.failure
    now = timezone.now()
    sharing = feeds.feed("metropolrad", kind="gbfs", provider="metropolradruhr", ttl=60)
    feeds.delivered(sharing, now)
    offers.sync(sharing, [
        _at("station:1", "bike", "station", 0.0006, 0.0004, "Hauptbahnhof Süd",
            status={"num_vehicles_available": 5, "num_docks_available": 3}, status_at=now),
        _at("vehicle:9", "scooter", "vehicle", -0.0012, 0.001, "E-Scooter",
            status={"current_range_meters": 12000}, status_at=now - timedelta(minutes=10)),
        _at("station:2", "car", "station", 0.001, -0.0012, "Carsharing Hbf",
            status={"num_vehicles_available": 1}, status_at=now - timedelta(minutes=2)),
    ])  # fmt: skip
    charging = feeds.feed("ocpi-swh", kind="ocpi", provider="Stadtwerke Hamm", ttl=300)
    feeds.delivered(charging, now)
    plug = {"standard": "IEC_62196_T2_COMBO", "powerKw": 150.0, "total": 2, "free": 1}
    offers.sync(
        charging,
        [
            _at(
                "DE*SWH*1",
                "charging",
                "site",
                -0.0006,
                -0.0008,
                "Ladepark Bahnhofsplatz",
                status={"free": 2, "total": 4, "byPlug": [plug]},
                status_at=now - timedelta(minutes=2),
            )
        ],
    )
    parking = feeds.feed("parken", kind="parkapi", provider="Stadt Hamm", ttl=300)
    feeds.delivered(parking, now)
    offers.sync(parking, [
        _at("p1", "parking", "site", 0.0014, 0.0016, "Parkhaus Hauptbahnhof",
            details={"capacity": {"total": 400}}, status={"free": 123}, status_at=now),
    ])  # fmt: skip
    signals = feeds.feed("osm", kind="osm", provider="OpenStreetMap", ttl=86400)
    feeds.delivered(signals, now)
    offers.sync(signals, [_at("node/1", "signal", "point", 0.0003, 0.0015, "Ampel Bahnhofstraße")])
    Hub.objects.create(
        key="hauptbahnhof",
        name="Mobilstation Hauptbahnhof",
        lat=HBF[0],
        lon=HBF[1],
        radius=250,
        description="Bus, Bahn, Rad und Auto am Hauptbahnhof.",
    )
    return Offer.objects.get(ref="HBF")
