"""Untimed stop times (timepoint 0) timed at import (gtfs/untimed.py): linearly between the
timed stops before and after, by shape_dist_traveled where given, else by the stops'
places in the trip; the same on the fast (pyarrow) and the general (csv) path; their
departures then stand on the boards. The whole-feed oracle (gtfs-kit's tables of Cairns,
timed by tests/mobility/gtfs_feeds.timed) is in test_gtfs_import.py and test_board.py."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from smartcity.core import importers
from smartcity.mobility import board
from smartcity.mobility.gtfs import columnar
from smartcity.mobility.gtfs.untimed import interpolate
from smartcity.mobility.models import StopTime, TransitVersion
from tests.mobility import gtfs_feeds as feeds

BERLIN = ZoneInfo("Europe/Berlin")
H = 3600


def test_a_stop_between_two_timed_ones_is_timed_by_its_place_in_the_trip() -> None:
    points = [(1, 8 * H, 8 * H + 60, None), (2, None, None, None), (3, None, None, None),
              (4, 9 * H, 9 * H, None)]  # fmt: skip
    # from 08:01 (the departure before) to 09:00 (the arrival after), a third each
    assert interpolate(points, 2) == 8 * H + 60 + round(59 * 60 / 3)
    assert interpolate(points, 3) == 8 * H + 60 + round(2 * 59 * 60 / 3)
    assert interpolate(points, 1) is None and interpolate(points, 4) is None  # timed ones
    assert interpolate(points, 7) is None  # no such stop


def test_shape_dist_traveled_says_where_between_them_it_lies() -> None:
    points = [(10, 0, 0, 0.0), (20, None, None, 9.0), (30, 1000, 1000, 10.0)]
    assert interpolate(points, 20) == 900
    uneven = [(10, 0, 0, 5.0), (20, None, None, 9.0), (30, 1000, 1000, 5.0)]  # no growth
    assert interpolate(uneven, 20) == 500  # by its place, then
    partly = [(10, 0, 0, 0.0), (20, None, None, None), (30, 1000, 1000, 10.0)]
    assert interpolate(partly, 20) == 500


def test_without_a_timed_stop_on_one_side_it_stays_untimed() -> None:
    assert interpolate([(1, None, None, None), (2, 60, 60, None)], 1) is None
    assert interpolate([(1, 60, 60, None), (2, None, None, None)], 2) is None


# T1: Hbf 08:00, Willy-Brandt-Platz untimed, Dortmund (outside the city, so not kept) 08:40;
# T2 the same without distances; T3 untimed at the Hbf between two stops outside the city
TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint,shape_dist_traveled\n"
    "T1,08:00:00,08:00:00,HBF1,1,1,0\nT1,,,WBP,2,0,1.5\nT1,08:40:00,08:40:00,DO,3,1,12\n"
    "T2,09:00:00,09:00:00,HBF1,1,1,\nT2,,,WBP,2,0,\nT2,09:40:00,09:40:00,DO,3,1,\n"
    "T3,08:30:00,08:30:00,DO,5,1,\nT3,,,HBF2,6,0,\nT3,,,WBP,7,0,\nT3,09:30:00,09:30:00,DO,8,1,\n"
)


def _written() -> set[tuple]:
    return set(
        StopTime.objects.filter(version__active=True).values_list(
            "trip__trip_id", "stop__stop_id", "sequence", "arrival", "departure"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_times_them_alike_on_either_path(monkeypatch) -> None:
    source = feeds.archive({**feeds.HAMM, "stop_times.txt": TIMES})
    assert importers.run(importers.get("gtfs"), source).failure == ""
    fast = _written()
    assert fast == {
        ("T1", "HBF1", 1, 8 * H, 8 * H),
        ("T1", "WBP", 2, 8 * H + 300, 8 * H + 300),  # 1.5 of 12 km of 40 min: 08:05
        ("T2", "HBF1", 1, 9 * H, 9 * H),
        ("T2", "WBP", 2, 9 * H + 1200, 9 * H + 1200),  # half way: 09:20
        ("T3", "HBF2", 6, 8 * H + 1800 + 1200, 8 * H + 1800 + 1200),  # a third: 08:50
        ("T3", "WBP", 7, 8 * H + 1800 + 2400, 8 * H + 1800 + 2400),
    }
    monkeypatch.setattr(columnar, "available", lambda: False)
    assert importers.run(importers.get("gtfs"), source).failure == ""
    assert _written() == fast


@pytest.mark.django_db(transaction=True)
def test_their_departures_stand_on_the_board() -> None:
    source = feeds.archive({**feeds.HAMM, "stop_times.txt": TIMES})
    assert importers.run(importers.get("gtfs"), source).failure == ""
    where = board.place(TransitVersion.objects.get(active=True), ["WBP"])
    found = board.departures(where, datetime(2026, 3, 2, 7, 0, tzinfo=BERLIN), limit=10)
    assert [(d.trip_id, d.scheduled.strftime("%H:%M:%S")) for d in found] == [
        ("T1", "08:05:00"),
        ("T3", "09:10:00"),
        ("T2", "09:20:00"),
    ]
