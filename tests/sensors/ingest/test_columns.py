"""The column-at-a-time builder of CreateObservations groups (OGC 18-088 clause 13.2,
req/create-observations/...): whatever it accepts, it must turn into exactly the values the
row-at-a-time RowBuilder gives, and everything else it must leave to that builder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import islice, repeat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.sensors.ingest import columns
from smartcity.sensors.ingest.groups import COLUMNS
from smartcity.sensors.ingest.rows import RowBuilder

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, tzinfo=UTC)

instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5))]),
)


@st.composite
def time_texts(draw):
    value = draw(instants)
    if draw(st.booleans()):
        value = value.replace(microsecond=0)
    text = value.isoformat()
    return text.replace("+00:00", "Z") if draw(st.booleans()) else text


results = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-(2**53), 2**53),
    st.text(max_size=5), st.booleans(), st.none(),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=3),  # orjson reads larger ones as floats
)


def _materialize(columns, count):
    return [list(islice(c, count)) if isinstance(c, repeat) else list(c) for c in columns.data]


def _by_rows(components, data, feature):
    builder = RowBuilder(7, None, components, feature, NOW)
    rows = [builder.build(row, "/") for row in data]
    return builder, rows


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_accepted_groups_equal_the_row_builder(data):
    components = ["phenomenonTime", "result"]
    if data.draw(st.booleans()):
        components.append("resultTime")
    if data.draw(st.booleans()):
        components.append("FeatureOfInterest/id")
    components = data.draw(st.permutations(components))
    strategies = {
        "phenomenonTime": time_texts(),
        "result": results,
        "resultTime": st.one_of(st.none(), time_texts()),
        "FeatureOfInterest/id": st.integers(1, 2**40),
    }
    rows = data.draw(st.lists(st.tuples(*(strategies[c] for c in components)).map(list),
                              min_size=1, max_size=8))
    built = columns.build(7, False, list(components), 3, rows)
    builder, expected = _by_rows(list(components), rows, 3)
    assert built is not None
    values = _materialize(built, built.count)
    for name, column in zip(built.names, values, strict=True):
        position = COLUMNS.index(name) - 1  # COLUMNS starts with the id
        assert column == [row[position] for row in expected], name
    unnamed = set(COLUMNS[1:]) - set(built.names)
    assert all(row[COLUMNS.index(n) - 1] is None for n in unnamed for row in expected)
    assert built.extent == builder.extent
    assert built.features == builder.features


@pytest.mark.parametrize(
    ("components", "rows"),
    [
        (["phenomenonTime", "result"], [["2026-11-01T10:00:00", 1]]),  # local time
        (["phenomenonTime", "result"], [["2026-11-01T10:00:00Z/2026-11-01T11:00:00Z", 1]]),
        (["phenomenonTime", "result"], [["gestern", 1]]),
        (["phenomenonTime", "result"], [[None, 1]]),
        (["phenomenonTime", "result"], [["2026-11-01T10:00:00Z", 1, 2]]),  # too long
        (["phenomenonTime", "result"], [("2026-11-01T10:00:00Z", 1)]),  # not a JSON array
        (["phenomenonTime", "result", "parameters"], [["2026-11-01T10:00:00Z", 1, {}]]),
        (["result"], [[1]]),  # phenomenonTime from the clock
        (["phenomenonTime", "result", "FeatureOfInterest/id"],
         [["2026-11-01T10:00:00Z", 1, True]]),
        (["phenomenonTime", "result", "FeatureOfInterest/id"],
         [["2026-11-01T10:00:00Z", 1, 0]]),
        (["phenomenonTime", "result"], [["2026-11-01T10:00:00Z", 10**400]]),
        (["phenomenonTime", "result"], []),
    ],
)
def test_other_groups_go_row_by_row(components, rows):
    assert columns.build(7, False, components, 3, rows) is None


def test_multidatastreams_go_row_by_row():
    assert columns.build(7, True, ["phenomenonTime", "result"],
                                3, [["2026-11-01T10:00:00Z", [1, 2]]]) is None


def test_without_a_feature_the_group_goes_row_by_row():
    assert columns.build(7, False, ["phenomenonTime", "result"],
                                None, [["2026-11-01T10:00:00Z", 1]]) is None
