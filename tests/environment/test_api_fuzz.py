"""The environment API answers any query with a 2xx or a 4xx JSON error, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db
VALUES = [
    "hour",
    "day",
    "month",
    "week",
    "",
    "csv",
    "json",
    "2026-11-01",
    "2026-11-01T00:00:00Z",
    "1900-01-01",
    "9999-12-31T23:59:59",
    "2026-13-45",
    "P1D",
    "null",
    "-1",
    "1e400",
    "2026-11-01T00:00:00+14:00",
    "x" * 300,
]
params = st.dictionaries(
    st.sampled_from(["interval", "start", "end", "format", "other"]),
    st.sampled_from(VALUES) | st.text(max_size=12),
    max_size=4,
)
ids = st.sampled_from(["1", "999", "0", "-1", "abc", "99999999999999999999", "1.5", "%20"])


@pytest.fixture
def stream(db):
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T08:00:00Z", 10), ("2026-11-01T09:00:00Z", "x")])
    return stream


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(datastream=ids, query=params)
def test_aggregates_never_fail_with_a_500(client, stream, datastream, query):
    response = client.get(f"/api/v1/environment/datastreams/{datastream}/aggregates", query)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert body["type"] == "error" and body["message"]
