from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.core.timeutil import (
    TimeFormatError,
    format_instant,
    format_time_value,
    parse_duration,
    parse_instant,
    parse_interval,
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
