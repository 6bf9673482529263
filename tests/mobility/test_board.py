"""Departure boards from the timetable: held to gtfs-kit's stop timetables on a real feed,
and the rules of service days, times past midnight and clock changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import gtfs_kit
import pytest
from gtfs_kit.helpers import timestr_to_seconds

from smartcity.core import importers
from smartcity.mobility import board
from smartcity.mobility.models import TransitVersion
from tests.mobility import gtfs_feeds as feeds

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")


def _load(source, **options) -> TransitVersion:
    report = importers.run(importers.get("gtfs"), source, **options)
    assert report.failure == ""
    return TransitVersion.objects.get(active=True)


def _service_day(where: board.Place, day: date) -> set[tuple[str, int]]:
    start = board.day_start(day, where.zone)
    found = board.departures(where, start, limit=100_000, horizon=2 * board.DAY)
    return {
        (d.trip_id, int((d.scheduled - start).total_seconds()))
        for d in found
        if d.service_date == day
    }


@pytest.mark.parametrize("day", ["20140609", "20140610", "20140614", "20141225"])
def test_boards_are_gtfs_kits_stop_timetables(day):
    version = _load(str(feeds.CAIRNS), bbox=feeds.QUEENSLAND)
    reference = gtfs_kit.read_feed(feeds.CAIRNS, dist_units="km")
    reference.stop_times = feeds.timed(reference.stop_times)  # the untimed stops timed
    last = reference.stop_times.groupby("trip_id").stop_sequence.max()
    busiest = reference.stop_times.stop_id.value_counts().index[:6]
    compared = 0
    for stop_id in busiest:
        table = gtfs_kit.build_stop_timetable(reference, stop_id, [day])
        expected = {
            (row.trip_id, int(timestr_to_seconds(row.departure_time)))
            for row in table.itertuples()
            if isinstance(row.departure_time, str)
            and row.pickup_type != 1
            and row.stop_sequence != last[row.trip_id]
        }
        where = board.place(version, [stop_id])
        assert _service_day(where, date(int(day[:4]), int(day[4:6]), int(day[6:]))) == expected
        compared += len(expected)
    assert compared > 100


def _hamm(extra: dict[str, str] | None = None) -> board.Place:
    version = _load(feeds.archive({**feeds.HAMM, **(extra or {})}))
    return board.place(version, ["HBF1", "HBF2"])


def test_a_board_lists_the_next_departures_with_line_headsign_and_platform():
    where = _hamm()
    monday = datetime(2026, 3, 2, 7, 30, tzinfo=BERLIN)
    found = board.departures(where, monday, limit=10)
    assert [(d.trip_id, d.scheduled) for d in found] == [
        ("T1", datetime(2026, 3, 2, 8, 0, tzinfo=BERLIN)),
        ("T3", datetime(2026, 3, 2, 9, 2, tzinfo=BERLIN)),
        ("T2", datetime(2026, 3, 3, 1, 10, tzinfo=BERLIN)),  # 25:10:00 of Monday
    ]
    first, re, late = found
    assert (first.line, first.headsign, first.platform, first.color) == (
        "1",
        "Heessen",
        "1",
        "E30613",
    )
    assert (re.line, re.route_type, re.headsign) == ("RE 6", 2, "Köln")
    assert late.headsign == "Willy-Brandt-Platz"  # no headsign: the last stop's name
    assert late.service_date == date(2026, 3, 2)
    assert board.departures(where, monday, limit=1) == [first]


def test_a_trip_after_midnight_is_on_the_next_mornings_board():
    where = _hamm()
    tuesday_night = datetime(2026, 3, 3, 0, 30, tzinfo=BERLIN)
    assert [d.trip_id for d in board.departures(where, tuesday_night, limit=1)] == ["T2"]
    saturday_night = datetime(2026, 3, 7, 0, 30, tzinfo=BERLIN)  # Friday's 25:10 trip
    found = board.departures(where, saturday_night, limit=1, horizon=3600)
    assert [(d.trip_id, d.service_date) for d in found] == [("T2", date(2026, 3, 6))]
    sunday_night = datetime(2026, 3, 8, 0, 30, tzinfo=BERLIN)  # Saturday does not run
    assert board.departures(where, sunday_night, limit=5, horizon=3600) == []


def test_the_last_stop_of_a_trip_is_no_departure():
    version = _load(feeds.archive(feeds.HAMM))
    where = board.place(version, ["WBP"])
    assert board.departures(where, datetime(2026, 3, 2, 7, tzinfo=BERLIN), limit=10) == []


def test_service_days_follow_calendar_dates_and_clock_changes():
    where = _hamm(
        {"calendar_dates.txt": "service_id,date,exception_type\nWD,20260329,1\nWD,20260302,2\n"}
    )
    assert (
        board.departures(where, datetime(2026, 3, 2, 7, tzinfo=BERLIN), limit=2, horizon=7200) == []
    )
    change = datetime(2026, 3, 29, 7, tzinfo=BERLIN)  # a Sunday, summer time begins at 2:00
    found = board.departures(where, change, limit=1)
    assert found[0].scheduled == datetime(2026, 3, 29, 8, 0, tzinfo=BERLIN)
    assert found[0].scheduled.utcoffset() == timedelta(hours=2)


def test_no_pickup_is_no_departure():
    times = feeds.HAMM_TIMES.replace(
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence",
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type",
    )
    times = times.replace("T1,08:00:00,08:00:00,HBF1,1", "T1,08:00:00,08:00:00,HBF1,1,1")
    where = _hamm({"stop_times.txt": times})
    found = board.departures(where, datetime(2026, 3, 2, 7, 30, tzinfo=BERLIN), limit=1)
    assert [d.trip_id for d in found] == ["T3"]
