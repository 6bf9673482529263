"""frequencies.txt: a template trip expanded into one trip per start, as the reference
says (from start_time every headway_secs while before end_time, times shifted from the
template's first stop), on the boards; bad rows rejected with their line; bounded."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from smartcity.core import importers
from smartcity.mobility import board
from smartcity.mobility.models import StopTime, TransitVersion, Trip
from tests.mobility import gtfs_feeds as feeds

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")
HEADER = "trip_id,start_time,end_time,headway_secs,exact_times\n"


def _load(frequencies: str):
    return importers.run(
        importers.get("gtfs"), feeds.archive({**feeds.HAMM, "frequencies.txt": frequencies})
    )


def test_a_template_trip_runs_every_headway_from_its_start_and_not_at_its_own_times():
    # T1 leaves HBF1 at 08:00 (its first stop) and reaches WBP at 08:04 (leaves 08:05)
    report = _load(HEADER + "T1,07:00:00,08:00:00,1200,1\nT1,08:00:00,08:30:00,900,0\n")
    assert report.failure == "" and report.rejected == []
    made = sorted(Trip.objects.filter(trip_id__startswith="T1@").values_list("trip_id", flat=True))
    assert made == ["T1@07:00:00", "T1@07:20:00", "T1@07:40:00", "T1@08:00:00", "T1@08:15:00"]
    assert not StopTime.objects.filter(trip__trip_id="T1").exists()
    times = StopTime.objects.get(trip__trip_id="T1@07:20:00", stop__stop_id="WBP")
    assert (times.arrival, times.departure) == (7 * 3600 + 24 * 60, 7 * 3600 + 25 * 60)
    version = TransitVersion.objects.get(active=True)
    where = board.place(version, ["HBF1", "HBF2"])
    monday = datetime(2026, 3, 2, 6, 50, tzinfo=BERLIN)
    found = [(d.trip_id, d.scheduled.strftime("%H:%M"), d.headsign)
             for d in board.departures(where, monday, limit=6, horizon=3 * 3600)]  # fmt: skip
    assert found == [
        ("T1@07:00:00", "07:00", "Heessen"), ("T1@07:20:00", "07:20", "Heessen"),
        ("T1@07:40:00", "07:40", "Heessen"), ("T1@08:00:00", "08:00", "Heessen"),
        ("T1@08:15:00", "08:15", "Heessen"), ("T3", "09:02", "Köln"),
    ]  # fmt: skip
    assert report.created["stop_times"] == StopTime.objects.count()


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("T1,08:00:00,07:00:00,600,", "end_time: is not after start_time"),
        ("T1,08:00:00,09:00:00,0,", "headway_secs: '0' is not a whole number of at least 1"),
        ("T1,8:x0:00,09:00:00,600,", "start_time: '8:x0:00' is not a time HH:MM:SS"),
        ("T1,08:00:00,09:00:00,600,2", "exact_times: '2' is not one of 0..1"),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_and_the_trip_kept_as_it_is(row, why):
    report = _load(HEADER + row + "\n")
    assert dict(report.rejected) == {"frequencies.txt line 2": why}
    assert StopTime.objects.filter(trip__trip_id="T1").count() == 2


def test_a_template_that_would_start_too_often_is_rejected(monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_GTFS_MAX_FREQUENCY_TRIPS", "100")
    report = _load(HEADER + "T1,00:00:00,47:00:00,60,0\n")  # 2,820 starts
    ((where, why),) = report.rejected
    assert where == "frequencies.txt line 2"
    assert "2820 times, more than the 100 trips" in why
    assert not Trip.objects.filter(trip_id__startswith="T1@").exists()
