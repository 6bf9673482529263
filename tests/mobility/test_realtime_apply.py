"""The propagation rules of GTFS-Realtime (gtfs-realtime-reference.md, StopTimeUpdate), one
by one, on departures of one trip; and the reference's own example messages decoded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from smartcity.mobility.departures import Departure
from smartcity.mobility.realtime import decode
from smartcity.mobility.realtime.apply import Update, apply

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "gtfs-rt"
DAY = date(2026, 3, 2)
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _departure(sequence: int, trip: str = "trip-1", stop: str = "") -> Departure:
    return Departure(
        trip_id=trip,
        route_id="R",
        line="1",
        route_type=3,
        headsign="",
        stop_id=stop or f"S{sequence}",
        stop_sequence=sequence,
        service_date=DAY,
        scheduled=START + timedelta(minutes=2 * sequence),
    )


def _schedule(sequences=range(1, 13)):
    return {("trip-1", DAY): {n: (f"S{n}", START + timedelta(minutes=2 * n)) for n in sequences}}


def _delays(stops, sequences=range(1, 13), *, delay=None, relationship=0, start_date=None,
            schedule=None):  # fmt: skip
    departures = [_departure(n) for n in sequences]
    update = Update("trip-1", start_date, relationship, delay, stops)
    apply(departures, {"trip-1": [update]}, _schedule() if schedule is None else schedule)
    return departures


def test_the_reference_example_propagates_each_delay_to_the_next_update():
    message = decode.parse((DATA / "trip-updates-full.asciipb").read_bytes())
    decoded = decode.decode(message)
    assert [t.trip_id for t in decoded.trips] == ["trip-1", "frequency-expanded-trip"]
    simple = decoded.trips[0]
    assert simple.trip_id == "trip-1" and simple.stops == [
        {"rel": 0, "seq": 3, "arr": {"delay": 5}},
        {"rel": 0, "seq": 8, "arr": {"delay": 1}},
        {"rel": 0, "seq": 10},
    ]
    found = _delays(simple.stops)
    assert [d.delay for d in found] == [None, None, 5, 5, 5, 5, 5, 1, 1, 0, 0, 0]
    assert all(d.realtime for d in found)
    assert found[2].expected == found[2].scheduled + timedelta(seconds=5)
    assert found[0].expected is None


def test_a_cancelled_trip_cancels_every_departure():
    found = _delays([], relationship=3)
    assert all(d.cancelled and d.delay is None for d in found)


def test_a_skipped_stop_is_skipped_and_the_delay_before_it_propagates_over_it():
    found = _delays([{"rel": 0, "seq": 3, "dep": {"delay": 120}}, {"rel": 1, "seq": 5}])
    assert found[4].skipped and found[4].delay is None
    assert [d.delay for d in found[5:8]] == [120, 120, 120]
    assert not found[5].skipped


def test_no_data_stops_the_propagation():
    found = _delays([{"rel": 0, "seq": 2, "dep": {"delay": 60}}, {"rel": 2, "seq": 6}])
    assert [d.delay for d in found[1:8]] == [60, 60, 60, 60, None, None, None]


def test_a_time_is_turned_into_a_delay_against_the_schedule():
    at_stop_4 = (START + timedelta(minutes=8, seconds=90)).timestamp()
    found = _delays([{"rel": 0, "seq": 4, "dep": {"time": int(at_stop_4)}}])
    assert [d.delay for d in found[3:6]] == [90, 90, 90]
    # an earlier stop the platform has no timetable for (outside the area): not known
    found = _delays([{"rel": 0, "seq": 4, "dep": {"time": int(at_stop_4)}}],
                    sequences=range(6, 9), schedule=_schedule(range(6, 13)))  # fmt: skip
    assert [d.delay for d in found] == [None, None, None]


def test_arriving_early_still_leaves_on_time_and_a_departure_wins_over_an_arrival():
    early = (START + timedelta(minutes=8) - timedelta(seconds=50)).timestamp()
    found = _delays([{"rel": 0, "seq": 4, "arr": {"time": int(early)}}], sequences=[4])
    assert found[0].delay == 0
    found = _delays(
        [{"rel": 0, "seq": 4, "arr": {"delay": 300}, "dep": {"delay": 240}}], sequences=[4]
    )
    assert found[0].delay == 240


def test_an_update_by_stop_id_is_placed_by_the_timetable():
    found = _delays([{"rel": 0, "stop": "S5", "arr": {"delay": 30}}], sequences=[4, 5, 6])
    assert [d.delay for d in found] == [None, 30, 30]
    found = _delays([{"rel": 0, "stop": "elsewhere", "arr": {"delay": 30}}], sequences=[5])
    assert found[0].delay is None and found[0].realtime


def test_the_trip_delay_holds_until_the_first_stop_update():
    found = _delays([{"rel": 0, "seq": 6, "dep": {"delay": 10}}], delay=200)
    assert [d.delay for d in found[:7]] == [200, 200, 200, 200, 200, 10, 10]


def test_an_update_for_another_service_day_does_not_apply():
    found = _delays([{"rel": 0, "seq": 1, "dep": {"delay": 60}}], start_date=date(2026, 3, 3))
    assert all(d.delay is None and not d.realtime for d in found)
    found = _delays([{"rel": 0, "seq": 1, "dep": {"delay": 60}}], start_date=DAY)
    assert found[0].delay == 60


def test_the_reference_alerts_are_decoded_with_what_they_select():
    decoded = decode.decode(decode.parse((DATA / "alerts.asciipb").read_bytes()))
    assert decoded.rejected == []
    alert = decoded.alerts[0]
    assert (alert.ref, alert.cause, alert.effect) == ("0", "CONSTRUCTION", "DETOUR")
    assert {"stop_id": "16299", "route_id": "100"} in alert.entities
    assert alert.periods == [[1284457468, 1284468072]]
    assert alert.url == {"en": "http://www.sometransitagency/alerts"}
    assert alert.header and alert.stops == ["16230", "16299"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"\x08\x96\x01garbage", "not a GTFS-Realtime FeedMessage"),
        (b'header { gtfs_realtime_version: "2.0" incrementality: DIFFERENTIAL }', "differential"),
        (b"header { timestamp: 5 }", "lacks gtfs_realtime_version"),
    ],
)
def test_a_message_that_cannot_be_used_says_why(text, message):
    with pytest.raises(decode.MessageError, match=message):
        decode.decode(decode.parse(text))


def test_a_bad_entity_is_rejected_and_the_others_kept():
    text = b"""header { gtfs_realtime_version: "2.0" }
    entity { id: "a" trip_update { trip { route_id: "1" } } }
    entity { id: "b" trip_update { trip { trip_id: "T1" start_date: "2026-03-02" } } }
    entity { id: "c" vehicle { vehicle { id: "bus" } } }
    entity { id: "d" trip_update { trip { trip_id: "T1" }
                                   stop_time_update { arrival { delay: 5 } } } }
    entity { id: "e" trip_update { trip { trip_id: "T2" } } }
    entity { id: "f" trip_update { trip { trip_id: "T1" start_time: "7:2O:00" } } }
    entity { id: "g" trip_update { trip { trip_id: "T1" start_time: "48:00:00" } } }
    """
    decoded = decode.decode(decode.parse(text))
    assert dict(decoded.rejected) == {
        "entity a": "trip_update: a trip without trip_id cannot be matched to the timetable",
        "entity b": "start_date '2026-03-02' is not YYYYMMDD",
        "entity c": "vehicle: a vehicle without position is no place",
        "entity d": "stop_time_update: needs stop_sequence or stop_id",
        "entity f": "start_time '7:2O:00' is not HH:MM:SS",
        "entity g": "start_time '48:00:00' is not HH:MM:SS",
    }
    assert [t.trip_id for t in decoded.trips] == ["T2"]


def test_an_entity_with_a_nul_character_is_rejected():
    message = decode.rt.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    bad = message.entity.add(id="x")
    bad.trip_update.trip.trip_id = "T\x001"
    good = message.entity.add(id="y")
    good.trip_update.trip.trip_id = "T2"
    decoded = decode.decode(decode.parse(message.SerializeToString()))
    assert decoded.rejected == [("entity x", "a text holds a NUL character")]
    assert [t.trip_id for t in decoded.trips] == ["T2"]
