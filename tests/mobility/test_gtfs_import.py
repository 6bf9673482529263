"""Importing GTFS static: held to gtfs-kit (a reference reader, pandas) on real feeds,
cropped to an area, swapped atomically, and with bad rows named by file, line and field."""

from __future__ import annotations

import gtfs_kit
import pytest
from gtfs_kit.helpers import timestr_to_seconds

from smartcity.core import importers
from smartcity.core.geo import BBox
from smartcity.mobility.gtfs.frequencies import clock as frequencies_clock
from smartcity.mobility.models import Feed, Offer, Route, Stop, StopTime, TransitVersion, Trip
from tests.https import Answer
from tests.mobility import gtfs_feeds as feeds

pytestmark = pytest.mark.django_db(transaction=True)
GTFS = importers.get("gtfs")


def _import(source, **options):
    return importers.run(GTFS, source, **options)


def _ours() -> set[tuple]:
    rows = StopTime.objects.filter(version__active=True).values_list(
        "trip__trip_id", "stop__stop_id", "sequence", "arrival", "departure"
    )
    return set(rows)


def _seconds(text) -> int | None:
    return int(timestr_to_seconds(text)) if isinstance(text, str) else None  # NaN: untimed


def _reference(stop_times, keep=None, frequencies=None) -> set[tuple]:
    """gtfs-kit's stop times, with the trips of frequencies.txt expanded as the reference
    says: one trip per start from start_time every headway_secs before end_time, its
    times shifted from the template's first stop."""
    found, starts = set(), {}
    if frequencies is not None:
        for row in frequencies.itertuples():
            begin, end = _seconds(row.start_time), _seconds(row.end_time)
            starts.setdefault(row.trip_id, set()).update(range(begin, end, row.headway_secs))
    first = {}
    for row in stop_times.sort_values("stop_sequence").itertuples():
        first.setdefault(row.trip_id, _seconds(row.departure_time))
    for row in stop_times.itertuples():
        if keep is None or row.stop_id in keep:
            arrival, departure = _seconds(row.arrival_time), _seconds(row.departure_time)
            shifts = [(row.trip_id, 0)]
            if row.trip_id in starts:
                shifts = [(f"{row.trip_id}@{frequencies_clock(start)}", start - first[row.trip_id])
                          for start in starts[row.trip_id]]  # fmt: skip
            for trip, shift in shifts:
                found.add((trip, row.stop_id, int(row.stop_sequence),
                           None if arrival is None else arrival + shift,
                           None if departure is None else departure + shift))  # fmt: skip
    return found


@pytest.mark.parametrize(
    ("path", "area"), [(feeds.SAMPLE, feeds.NEVADA), (feeds.CAIRNS, feeds.QUEENSLAND)]
)
def test_a_whole_feed_is_what_gtfs_kit_reads(path, area):
    report = _import(str(path), bbox=area)
    assert report.failure == "" and report.rejected == []
    reference = gtfs_kit.read_feed(path, dist_units="km")
    assert report.created["stops"] == len(reference.stops)
    assert report.created["routes"] == len(reference.routes)
    assert report.created["trips"] == len(reference.trips)
    expected = _reference(feeds.timed(reference.stop_times), frequencies=reference.frequencies)
    assert report.created["stop_times"] == len(expected)
    assert _ours() == expected
    ours = {t.trip_id.partition("@")[0]: (t.headsign, t.service_id) for t in Trip.objects.all()}
    for trip in reference.trips.itertuples():
        headsign = trip.trip_headsign if isinstance(trip.trip_headsign, str) else ""
        assert ours[trip.trip_id] == (headsign, trip.service_id)
    names = dict(Route.objects.values_list("route_id", "short_name"))
    for route in reference.routes.itertuples():
        assert names[route.route_id] == (
            route.route_short_name if isinstance(route.route_short_name, str) else ""
        )


def test_a_feed_is_cropped_to_the_area_with_the_trips_that_serve_it():
    south_west = BBox.of_degrees(145.6, -17.2, 145.74, -16.9)  # part of Cairns
    _import(str(feeds.CAIRNS), bbox=south_west)
    reference = gtfs_kit.read_feed(feeds.CAIRNS, dist_units="km")
    inside = set(
        reference.stops[
            reference.stops.stop_lon.between(145.6, 145.74)
            & reference.stops.stop_lat.between(-17.2, -16.9)
        ].stop_id
    )
    assert 0 < len(inside) < len(reference.stops)
    assert set(Stop.objects.values_list("stop_id", flat=True)) == inside
    serving = set(reference.stop_times[reference.stop_times.stop_id.isin(inside)].trip_id)
    assert set(Trip.objects.values_list("trip_id", flat=True)) == serving
    assert _ours() == _reference(feeds.timed(reference.stop_times), keep=inside)
    # a trip's last stop is known even where it lies outside the area
    last = reference.stop_times.sort_values("stop_sequence").groupby("trip_id").last()
    names = dict(reference.stops[["stop_id", "stop_name"]].values)
    for trip in Trip.objects.all()[:50]:
        assert trip.last_sequence == last.loc[trip.trip_id].stop_sequence
        assert trip.last_stop == names[last.loc[trip.trip_id].stop_id]


def test_stations_with_their_platforms_become_stop_offers():
    _import(feeds.archive(feeds.HAMM))
    found = {o.ref: o for o in Offer.objects.filter(feed__key="gtfs")}
    assert set(found) == {"HBF", "WBP"}  # Dortmund is outside Hamm; platforms fold in
    station = found["HBF"]
    assert (station.mode, station.kind, station.name) == ("transit", "station", "Hamm Hauptbahnhof")
    assert sorted(station.details["stops"]) == ["HBF1", "HBF2"]
    assert station.details["platforms"] == ["1", "2"]
    assert [line["line"] for line in station.details["lines"]] == ["1", "RE 6"]
    assert station.details["lines"][0]["color"] == "E30613"
    feed = Feed.objects.get(key="gtfs")
    assert feed.delivered_at is not None and feed.provider == "Stadtwerke Hamm"
    # the RE's last stop (Dortmund, outside the area) names the trips without a headsign
    assert Trip.objects.get(trip_id="T3").last_stop == "Dortmund Hbf"


def test_a_new_version_replaces_the_old_one_with_its_stops():
    _import(feeds.archive(feeds.HAMM))
    first = TransitVersion.objects.get(active=True)
    changed = dict(feeds.HAMM)
    changed["stops.txt"] = feeds.HAMM_STOPS.replace("Willy-Brandt-Platz", "Westentor")
    _import(feeds.archive(changed))
    assert list(TransitVersion.objects.values_list("active", flat=True)) == [True]
    assert TransitVersion.objects.get().pk != first.pk
    for model in (Stop, Trip, StopTime, Route):
        assert not model.objects.filter(version_id=first.pk).exists()
    assert set(Offer.objects.values_list("name", flat=True)) == {"Hamm Hauptbahnhof", "Westentor"}


@pytest.mark.parametrize(
    ("source", "failure"),
    [
        (b"PK\x03\x04 not really a zip", "is not a zip archive"),
        (
            feeds.archive({k: v for k, v in feeds.HAMM.items() if k != "trips.txt"}),
            "lacks trips.txt",
        ),
        (feeds.archive({**feeds.HAMM, "calendar.txt": ""} | {}), "calendar.txt is empty"),
        (
            feeds.archive({**feeds.HAMM, "stops.txt": "stop_name\nX\n"}),
            "stops.txt lacks the required column(s) stop_id",
        ),
        (feeds.archive(feeds.HAMM), "no stop time in the area"),
        (
            feeds.archive({**feeds.HAMM, "stops.txt": feeds.HAMM_STOPS + "X,\0,1,2\n"}),
            "stops.txt holds a NUL byte",
        ),
        (
            feeds.archive({**feeds.HAMM, "routes.txt": feeds.HAMM_ROUTES + 'R9,"' + "x" * 200_000}),
            "routes.txt is not readable as CSV",
        ),
    ],
)
def test_a_feed_that_cannot_be_used_keeps_the_timetable_in_use(source, failure):
    _import(feeds.archive(feeds.HAMM))
    version = TransitVersion.objects.get(active=True)
    offers = set(Offer.objects.values_list("pk", flat=True))
    options = {"bbox": BBox.of_degrees(0, 0, 1, 1)} if failure.startswith("no stop") else {}
    report = _import(source, **options)
    assert failure in report.failure
    assert list(TransitVersion.objects.values_list("pk", flat=True)) == [version.pk]
    assert set(Offer.objects.values_list("pk", flat=True)) == offers
    feed = Feed.objects.get(key="gtfs")
    assert feed.failures == 1 and failure in feed.error


def test_bad_rows_are_named_by_file_line_and_field_and_the_rest_is_kept():
    bad = dict(feeds.HAMM)
    bad["stops.txt"] = feeds.HAMM_STOPS + "X1,Nowhere,95.0,7.8,0,,\nX2,,51.68,7.81,0,,\n"
    bad["stop_times.txt"] = (
        feeds.HAMM_TIMES
        + "T1,8:1O:00,08:10:00,WBP,3\nT1,08:20:00,08:10:00,WBP,4\nT1,08:30:00,08:30:00,WBP,5,,,x\n"
    )
    bad["trips.txt"] = feeds.HAMM_TRIPS + "NOPE,WD,T9,\n"
    bad["stop_times.txt"] += "T9,10:00:00,10:00:00,WBP,1\n"
    report = _import(feeds.archive(bad, folder="hamm/"))
    rejected = dict(report.rejected)
    assert rejected["stops.txt line 7"] == "stop_lat: 95.0 lies outside ±90 degrees"
    assert rejected["stops.txt line 8"] == "stop_name: a stop, station or entrance needs a name"
    assert rejected["stop_times.txt line 8"] == "arrival_time: '8:1O:00' is not a time HH:MM:SS"
    assert rejected["stop_times.txt line 9"] == "departure_time: is before arrival_time"
    assert rejected["stop_times.txt line 10"] == "has 8 fields, the header only 5"
    assert rejected["trips.txt line 5"] == "route_id: 'NOPE' is not a route of routes.txt"
    assert report.created["stop_times"] == 5  # the good ones of Hamm, not T9's
    assert report.failure == ""


def test_times_past_midnight_and_short_rows_are_read():
    _import(feeds.archive(feeds.HAMM))
    assert StopTime.objects.get(trip__trip_id="T2", sequence=1).departure == 25 * 3600 + 600
    _import(str(feeds.SAMPLE), bbox=feeds.NEVADA)  # its last rows leave trailing fields out
    assert StopTime.objects.filter(trip__trip_id="AAMV4").count() == 2


def test_a_feed_is_read_over_https_and_spooled_to_disk(site):
    site.routes["/gtfs.zip"] = Answer(feeds.archive(feeds.HAMM), content_type="application/zip")
    report = _import(site.url("/gtfs.zip"), feed="swh")
    assert report.failure == ""
    assert Offer.objects.filter(feed__key="swh").count() == 2


def test_a_feed_over_the_size_limit_is_refused(site, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_GTFS_MAX_BYTES", "1000")
    site.routes["/gtfs.zip"] = Answer(feeds.archive(feeds.HAMM) * 3)
    report = _import(site.url("/gtfs.zip"))
    assert "larger than 1000 bytes (SMARTCITY_MOBILITY_GTFS_MAX_BYTES)" in report.failure
    report = _import(feeds.archive({**feeds.HAMM, "shapes.txt": "x" * 5000}))
    assert "more than 1000 (SMARTCITY_MOBILITY_GTFS_MAX_BYTES)" in report.failure
    assert not TransitVersion.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_a_load_inside_a_transaction_writes_in_line():
    from django.db import transaction

    with transaction.atomic():
        report = _import(feeds.archive(feeds.HAMM))
    assert report.failure == "" and report.created["stop_times"] == 5
    assert StopTime.objects.count() == 5
