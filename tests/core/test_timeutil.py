from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.core.timeutil import (
    LONGEST_SPAN,
    TimeFormatError,
    format_instant,
    format_time_value,
    local_time,
    local_zone,
    parse_duration,
    parse_instant,
    parse_interval,
    shifted,
)


def test_offset_and_z_are_respected():
    assert parse_instant("2026-11-01T10:00:00Z") == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert parse_instant("2026-11-01T10:00:00+02:00") == datetime(2026, 11, 1, 8, tzinfo=UTC)


def test_naive_time_is_read_in_berlin_time():
    assert parse_instant("2026-01-15T12:00:00") == datetime(2026, 1, 15, 11, tzinfo=UTC)
    assert parse_instant("2026-07-15T12:00:00") == datetime(2026, 7, 15, 10, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z", "12:00"])
def test_malformed_instants(text):
    with pytest.raises(TimeFormatError):
        parse_instant(text)


def test_intervals_and_durations():
    interval = parse_interval("2026-11-01T00:00:00Z/P1DT2H")
    assert interval.end - interval.start == timedelta(days=1, hours=2)
    assert parse_interval("PT1H/2026-11-01T01:00:00Z").start == datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(TimeFormatError):
        parse_interval("2026-11-02T00:00:00Z/2026-11-01T00:00:00Z")
    with pytest.raises(TimeFormatError):
        parse_duration("P")


def test_output_is_utc_with_z():
    assert format_instant(datetime(2026, 11, 1, 10, tzinfo=UTC)) == "2026-11-01T10:00:00Z"
    assert (
        format_instant(datetime(2026, 11, 1, 10, 0, 0, 250000, tzinfo=UTC))
        == "2026-11-01T10:00:00.250Z"
    )
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    assert format_time_value(start, end) == "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    )
)
def test_round_trip(value):
    value = value.replace(microsecond=(value.microsecond // 1000) * 1000)
    assert parse_instant(format_instant(value)) == value


@given(st.text(max_size=40))
def test_parser_only_raises_time_format_error(text):
    with contextlib.suppress(TimeFormatError):
        parse_instant(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0001-01-01T00:00:00+01:00", "outside the years 0001 to 9999 in UTC"),
        ("9999-12-31T23:59:59-05:00", "outside the years 0001 to 9999 in UTC"),
        ("0001-01-01T00:00:00", "outside the years 0001 to 9999 in UTC"),  # Hamm is east of UTC
        ("0000-01-01T00:00:00Z", "year 0 is out of range"),
        ("10000-01-01T00:00:00Z", "not an ISO 8601 time"),
        ("2026-11-01T10:00:00.1234567Z", "more than 6 decimals"),
        ("2026-11-01T10:00:00,123456789+01:00", "more than 6 decimals"),
        ("2026-02-30T10:00:00Z", "day is out of range for month"),
        ("", "expected an ISO 8601 time string"),
    ],
)
def test_times_that_cannot_be_stored_are_refused_with_a_reason(text, says):
    with pytest.raises(TimeFormatError, match=says):
        parse_instant(text)


def test_the_ends_of_the_calendar_are_times():
    assert parse_instant("0001-01-01T00:00:00Z") == datetime.min.replace(tzinfo=UTC)
    last = parse_instant("9999-12-31T23:59:59.999999Z")
    assert last == datetime.max.replace(tzinfo=UTC)
    assert parse_instant("9999-12-31T23:59:59") == datetime(9999, 12, 31, 22, 59, 59, tzinfo=UTC)
    assert format_instant(last) == "9999-12-31T23:59:59.999Z"


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T00:00:00Z/P2D",
        "P2D/0001-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z/P99999999999D",
        "2026-01-01T00:00:00Z/9999-12-31T23:59:59-05:00",
    ],
)
def test_intervals_beyond_the_calendar_are_refused(text):
    with pytest.raises(TimeFormatError):
        parse_interval(text)


def test_durations_longer_than_the_calendar_are_refused():
    assert parse_duration("P3652425D") == LONGEST_SPAN
    for text in ("P3652426D", "P999999999D", "PT99999999999999999999H"):
        with pytest.raises(TimeFormatError, match="10,000 years"):
            parse_duration(text)


def test_readers_stop_at_the_ends_of_the_calendar():
    last = datetime.max.replace(tzinfo=UTC)
    assert local_time(last) == datetime.max.replace(tzinfo=local_zone())  # not the year 10000
    assert local_time(datetime(2026, 7, 1, tzinfo=UTC)).hour == 2
    assert shifted(last, timedelta(hours=1)) == last
    first = datetime.min.replace(tzinfo=UTC)
    assert shifted(first, -timedelta(hours=1)) == first
    assert shifted(first, timedelta(hours=1)) == datetime(1, 1, 1, 1, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.integers(-23 * 60, 23 * 60),
)
def test_any_offset_time_is_a_utc_time_or_refused(value, minutes):
    text = value.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()
    try:
        parsed = parse_instant(text)
    except TimeFormatError as error:
        assert "outside the years" in str(error)
        assert value.year in (1, 9999)
    else:
        assert parsed.utcoffset() == timedelta(0)
        assert parsed == value.replace(tzinfo=timezone(timedelta(minutes=minutes)))
