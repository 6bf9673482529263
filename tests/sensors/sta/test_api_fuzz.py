"""Bad input gets a 4xx with a JSON message, never a 500: random paths, query options and
bodies thrown at the real API (the suite runs with DEBUG off, as production does)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db

SETS = ["Things", "Locations", "HistoricalLocations", "Datastreams", "MultiDatastreams",
        "Sensors", "ObservedProperties", "Observations", "FeaturesOfInterest", "Nothing"]
WORDS = ["name", "id", "result", "phenomenonTime", "Thing", "Datastreams", "Locations",
         "properties/a", "location", "Observations", "$value", "$ref", "(1)", "(x)", "('1')",
         "99999999999999999999", "-9223372036854775809", "1e400",
         "eq", "and", "or", "not", "(", ")", "'x'", "1", "-2.5e3", "2026-11-01T00:00:00Z",
         "geo.intersects", "st_within", "geography'POINT(7 51)'", "substring", ",", ";", "/",
         "$top=1", "$filter=", "$expand=", " ", "''", "null", "true", "add", "mod", "now()"]
fragments = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map("".join)
OPTIONS = ["$filter", "$expand", "$select", "$orderby", "$top", "$skip", "$count",
           "$resultFormat", "$skiptoken"]
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(response):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert body["type"] == "error" and body["message"]


@pytest.fixture
def world(db):
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T10:00:00Z", 1.5), ("2026-11-01T11:00:00Z", "text")])
    return stream


@FUZZ
@given(path=st.tuples(st.sampled_from(SETS), fragments, fragments).map("/".join))
def test_random_paths(anonymous, world, path):
    _check(anonymous.client.get("/sta/v1.1/" + path))


@FUZZ
@given(option=st.sampled_from(OPTIONS), value=fragments)
def test_random_query_options(anonymous, world, option, value):
    _check(anonymous.get("Things", **{option: value}))
    _check(anonymous.get("Observations", **{option: value}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["name", "description", "result", "Datastream", "@iot.id", "Thing",
                         "location", "encodingType", "phenomenonTime", "properties", "x"]),
        inner, max_size=5),
    max_leaves=12)


@FUZZ
@given(entity_set=st.sampled_from(SETS[:-1]), body=json_values)
def test_random_bodies(sta, world, entity_set, body):
    _check(sta.post(entity_set, body))
    _check(sta.patch(f"{entity_set}(1)", body))
    _check(sta.post("CreateObservations", body))


@FUZZ
@given(raw=st.binary(max_size=40))
def test_random_bytes(sta, world, raw):
    _check(sta.post("Things", raw))


HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", [f"Things({HUGE})", f"Things?$skip={HUGE}", f"Things?$top={HUGE}",
                                  f"Things?$filter=id eq {HUGE}", "Things(-1)", "Things(0)"])
def test_numbers_beyond_64_bits_are_client_errors(anonymous, world, path):
    _check(anonymous.client.get("/sta/v1.1/" + path))


def test_links_beyond_64_bits_are_client_errors(sta, world):
    response = sta.post("Observations", {"result": 1, "Datastream": {"@iot.id": int(HUGE)}})
    assert response.status_code == 400
    group = {"Datastream": {"@iot.id": int(HUGE)}, "components": ["result"], "dataArray": [[1]]}
    assert sta.post("CreateObservations", [group]).status_code == 400
    group = {"Datastream": {"@iot.id": world.pk}, "components": ["result", "FeatureOfInterest/id"],
             "dataArray": [[1, int(HUGE)]]}
    assert sta.post("CreateObservations", [group]).json() == ["error"]
    strict = sta.post("CreateObservations", [group], headers={"Prefer": "handling=strict"})
    assert strict.status_code == 400
