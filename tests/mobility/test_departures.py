from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from smartcity.mobility.departures import Departure

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_departure_with_realtime_is_answered_with_its_planned_and_expected_time():
    planned = datetime(2026, 12, 2, 23, 50, tzinfo=BERLIN)
    departure = Departure(
        "t1",
        "r1",
        "34",
        3,
        "Heessen",
        "zob-a1",
        1,
        date(2026, 12, 2),
        planned,
        platform="A1",
        delay=180,
        expected=planned + timedelta(minutes=3),
        realtime=True,
    )
    body = departure.as_json()
    assert body["scheduled"] == "2026-12-02T23:50:00+01:00"
    assert body["expected"] == "2026-12-02T23:53:00+01:00"
    assert (body["delay"], body["platform"], body["realtime"]) == (180, "A1", True)


def test_a_departure_without_realtime_has_no_expected_time():
    planned = datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    body = Departure("t1", "r1", "1", 3, "Hbf", "s", 4, date(2026, 12, 2), planned).as_json()
    assert (body["expected"], body["delay"], body["realtime"]) == (None, None, False)
