"""Aggregates per local-calendar bucket, computed in the database (sensors.aggregates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from smartcity.core.errors import BadRequest
from smartcity.sensors.aggregates import aggregate, bucket_bounds, latest_values
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


def test_days_follow_the_local_calendar_across_the_clock_change():
    """Europe/Berlin: 25 October 2026 has 25 hours; a day starts at local midnight."""
    bounds = bucket_bounds(
        datetime(2026, 10, 24, 12, tzinfo=UTC), datetime(2026, 10, 26, 12, tzinfo=UTC), "day"
    )
    assert bounds[0] == (
        datetime(2026, 10, 23, 22, tzinfo=UTC),
        datetime(2026, 10, 24, 22, tzinfo=UTC),
    )
    assert bounds[1][1] - bounds[1][0] == timedelta(hours=25)
    assert bounds[-1][1] == datetime(2026, 10, 26, 23, tzinfo=UTC)
    assert len(bounds) == 3


def test_months_and_hours():
    months = bucket_bounds(
        datetime(2026, 11, 15, tzinfo=UTC), datetime(2027, 1, 31, 23, tzinfo=UTC), "month"
    )
    assert [b[0].astimezone(UTC).isoformat() for b in months] == [
        "2026-10-31T23:00:00+00:00",
        "2026-11-30T23:00:00+00:00",
        "2026-12-31T23:00:00+00:00",
    ]
    hours = bucket_bounds(
        datetime(2026, 11, 1, 10, 30, tzinfo=UTC), datetime(2026, 11, 1, 12, 0, tzinfo=UTC), "hour"
    )
    assert len(hours) == 2 and hours[0][0] == datetime(2026, 11, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "interval", "where"),
    [
        (datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "day", "end"),
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC), "week", "interval"),
        (datetime(2020, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "hour", "interval"),
    ],
)
def test_bad_ranges_are_client_errors(start, end, interval, where):
    with pytest.raises(BadRequest) as raised:
        bucket_bounds(start, end, interval)
    assert raised.value.where == where


def test_aggregate_counts_means_and_extremes_of_numeric_results():
    _, stream = make_thing_with_datastream()
    add_observations(
        stream,
        [
            ("2026-11-01T08:00:00+01:00", 10),
            ("2026-11-01T20:00:00+01:00", 20.5),
            ("2026-11-01T23:59:59+01:00", "kaputt"),  # not numeric: not aggregated
            ("2026-11-03T00:00:00+01:00", 4),
        ],
    )
    buckets = aggregate(
        stream.pk, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 3, 12, tzinfo=UTC), "day"
    )
    assert [b.count for b in buckets] == [2, 0, 1]
    assert buckets[0].mean == pytest.approx(15.25)
    assert (buckets[0].minimum, buckets[0].maximum) == (10, 20.5)
    assert buckets[1].mean is None and buckets[2].mean == 4


def test_latest_value_of_every_datastream():
    _, first = make_thing_with_datastream("A")
    _, second = make_thing_with_datastream("B")
    add_observations(
        first,
        [("2026-11-01T08:00:00Z", 1), ("2026-11-02T08:00:00Z", 2), ("2026-10-01T08:00:00Z", 3)],
    )
    by_stream = {item.datastream: item for item in latest_values()}
    assert by_stream[first.pk].result == 2
    assert by_stream[first.pk].phenomenon_time == "2026-11-02T08:00:00Z"
    assert by_stream[first.pk].unit_symbol == "µg/m³"
    assert by_stream[second.pk].result is None and by_stream[second.pk].phenomenon_time is None


@pytest.mark.parametrize("interval", ["hour", "day", "month"])
def test_one_scan_equals_one_range_per_bucket_across_both_clock_changes(interval):
    """The grouped scan (one pass over the index range) gives the totals that joining each
    bucket's own range gives, also on the days of 23 and 25 hours."""
    import random

    from smartcity.sensors import aggregates
    from smartcity.sensors.ingest.groups import create_observations

    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-01-01T00:00:00Z", 0)])
    chance = random.Random(7)
    rows = []
    for first in (datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)):
        for _ in range(400):
            moment = first + timedelta(seconds=chance.randrange(5 * 86400))
            rows.append([moment.isoformat(), round(chance.uniform(-5, 40), 2)])
    create_observations(
        [
            {
                "Datastream": {"@iot.id": stream.pk},
                "components": ["phenomenonTime", "result"],
                "dataArray": rows,
            }
        ]
    )
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    if interval == "hour":
        start, end = datetime(2026, 10, 24, 12, tzinfo=UTC), datetime(2026, 10, 26, tzinfo=UTC)
    bounds = aggregates.bucket_bounds(start, end, interval)
    key = aggregates._group_key(interval, bounds)
    if key is None:  # SQLite days and months are always joined per bucket
        assert connection.vendor == "sqlite" and interval != "hour"
        return
    grouped = aggregates._grouped(stream.pk, bounds, key)
    joined = aggregates._joined(stream.pk, bounds)
    assert grouped.keys() == joined.keys() and grouped
    for index, (count, total, low, high) in joined.items():
        assert grouped[index][0] == count
        assert grouped[index][1] == pytest.approx(total)
        assert (grouped[index][2], grouped[index][3]) == (low, high)


@pytest.mark.parametrize("interval", ["day", "month"])
def test_a_range_at_the_end_of_the_calendar_is_a_client_error(interval):
    """Found by the fuzz test: the local day after 9999-12-31 cannot exist."""
    end = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    with pytest.raises(BadRequest) as caught:
        bucket_bounds(end - timedelta(days=2), end, interval)
    assert caught.value.where in ("end", "interval")


def test_the_last_hour_of_the_calendar_ends_at_its_last_instant():
    end = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    bounds = bucket_bounds(end - timedelta(hours=2), end, "hour")
    assert len(bounds) == 3
    assert bounds[-1] == (datetime(9999, 12, 31, 23, tzinfo=UTC), datetime.max.replace(tzinfo=UTC))
