"""Time stamps formatted straight from the driver's values match the reference formatter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from smartcity.core.timeutil import format_instant
from smartcity.sensors.sta.rows import format_time

instants = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1))


@given(instants)
def test_naive_utc_datetime_as_sqlite_gives_it(value):
    assert format_time(value) == format_instant(value.replace(tzinfo=UTC))


@given(instants, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_aware_datetime_as_postgresql_gives_it(value, offset_minutes):
    aware = value.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    assert format_time(aware) == format_instant(aware)


@given(instants)
def test_sqlite_text_of_computed_columns(value):
    text = str(value)  # what SQLite returns for an untyped datetime expression
    assert format_time(text) == format_instant(value.replace(tzinfo=UTC))


def test_none_stays_none():
    assert format_time(None) is None


@given(instants)
def test_postgresql_text_in_a_utc_session(value):
    text = str(value) + "+00"  # timestamptz as text when the session time zone is UTC
    assert format_time(text) == format_instant(value.replace(tzinfo=UTC))


@given(instants, st.integers(min_value=-12, max_value=14).filter(lambda h: h != 0))
def test_other_offsets_are_converted(value, hours):
    aware = value.replace(tzinfo=timezone(timedelta(hours=hours)))
    text = aware.isoformat(" ")
    assert format_time(text) == format_instant(aware)
