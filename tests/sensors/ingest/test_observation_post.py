"""The lean path for one Observation POSTed with links (observation_post): it must answer
exactly what the general deep-insert path answers (OGC 18-088 req/create-update-delete/
create-entity and link-to-existing-entities, clause 10.2 special case 1 for the generated
FeatureOfInterest), and leave everything else to that path."""

from __future__ import annotations

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcity.sensors import services
from smartcity.sensors.entities import entity
from smartcity.sensors.ingest import observation_post
from smartcity.sensors.models import Datastream, FeatureOfInterest, Observation
from smartcity.sensors.sta.query_options import QueryOptions
from smartcity.sensors.sta.reads import serialize_rows
from smartcity.sensors.sta.rows import from_instance
from smartcity.sensors.sta.serialize import Links
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db
OBSERVATION = entity("Observation")


def _body(body):
    """A representation without its id and links."""
    return {k: v for k, v in body.items() if "@iot." not in k}


@pytest.fixture
def stream():
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T09:00:00Z", 1.0)])  # generates the feature
    return stream


PAYLOADS = [
    {"result": 21.5, "phenomenonTime": "2026-11-01T10:00:00Z"},
    {"result": "Bewölkt", "phenomenonTime": "2026-11-01T10:00:00+01:00"},
    {"result": None, "phenomenonTime": "2026-11-01T10:00:00"},  # local time
    {
        "result": [1, "a"],
        "phenomenonTime": "2026-11-01T10:00:00Z/2026-11-01T11:00:00Z",
        "resultTime": "2026-11-01T11:00:05.250Z",
        "validTime": "2026-11-01T10:00:00Z/P1D",
        "resultQuality": {"flag": "ok"},
        "parameters": {"battery": 3.1},
    },
    {"result": True},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_lean_answer_equals_the_general_answer(sta, stream, payload):
    """Both paths store and answer the same entity for the same request."""
    link = {"Datastream": {"@iot.id": stream.pk}}
    lean = sta.post("Observations", {**payload, **link})
    assert lean.status_code == 201, lean.content
    general = services.create(OBSERVATION, {**payload, **link})
    answer = serialize_rows(
        from_instance(OBSERVATION, general),
        OBSERVATION,
        QueryOptions(),
        Links("http://testserver/sta/v1.1/"),
    )[0]
    again = sta.client.get(lean["Location"].removeprefix("http://testserver"))
    assert _body(again.json()) == _body(lean.json())
    if "phenomenonTime" in payload:  # else both took their own "now"
        assert _body(lean.json()) == _body(orjson.loads(orjson.dumps(answer)))
    stored = Observation.objects.get(pk=lean.json()["@iot.id"])
    for field in (
        "result",
        "result_number",
        "result_quality",
        "parameters",
        "valid_time_end",
        "feature_of_interest_id",
        "datastream_id",
        "phenomenon_time_end",
    ):
        assert getattr(stored, field) == getattr(general, field), field
    if "phenomenonTime" in payload:
        assert stored.phenomenon_time_start == general.phenomenon_time_start


def test_lean_path_is_taken_and_writes_in_few_statements(sta, stream):
    """A plain POST runs no ORM instance machinery: one lookup, one INSERT, one UPDATE (on
    PostgreSQL both in one statement)."""
    payload = {
        "result": 3,
        "phenomenonTime": "2026-11-01T10:00:00Z",
        "Datastream": {"@iot.id": stream.pk},
    }
    with CaptureQueriesContext(connection) as queries:
        rows = observation_post.try_create(payload, None)
    assert rows is not None
    control = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")  # the test runs in a transaction
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(control)]
    assert sum(s.count("INSERT INTO") for s in statements) == 1
    assert sum(s.count("UPDATE ") for s in statements) == 1
    assert len(statements) <= (2 if connection.vendor == "postgresql" else 3), statements


def test_the_extents_of_the_stream_grow(sta, stream):
    sta.post(
        "Observations",
        {
            "result": 1,
            "phenomenonTime": "2027-01-01T00:00:00Z",
            "resultTime": "2027-01-01T00:00:01Z",
            "Datastream": {"@iot.id": stream.pk},
        },
    )
    body = sta.get(f"Datastreams({stream.pk})").json()
    assert body["phenomenonTime"] == "2026-11-01T09:00:00Z/2027-01-01T00:00:00Z"
    assert body["resultTime"].endswith("/2027-01-01T00:00:01Z")
    assert body["observedArea"]["type"] == "Point"


def test_below_a_datastream(sta, stream):
    """req/create-update-delete/create-entity via Datastreams(n)/Observations."""
    response = sta.post(f"Datastreams({stream.pk})/Observations", {"result": 4})
    assert response.status_code == 201
    assert Observation.objects.get(pk=response.json()["@iot.id"]).datastream_id == stream.pk
    missing = sta.post("Datastreams(999)/Observations", {"result": 4})
    assert missing.status_code == 404


def test_linked_feature_is_used_and_checked(sta, stream):
    feature = FeatureOfInterest.objects.get()
    response = sta.post(
        "Observations",
        {
            "result": 4,
            "Datastream": {"@iot.id": stream.pk},
            "FeatureOfInterest": {"@iot.id": feature.pk},
        },
    )
    assert response.status_code == 201
    unknown = sta.post(
        "Observations",
        {"result": 4, "Datastream": {"@iot.id": stream.pk}, "FeatureOfInterest": {"@iot.id": 999}},
    )
    assert unknown.status_code == 400
    assert "FeatureOfInterest" in unknown.json()["where"]


def test_first_observation_generates_the_feature_through_the_general_path(sta):
    """Clause 10.2 special case 1: the feature comes from the Thing's Location, once."""
    _, fresh = make_thing_with_datastream("Maximilianpark", lon=7.86, lat=51.67)
    link = {"Datastream": {"@iot.id": fresh.pk}}
    assert observation_post.try_create({"result": 1, **link}, None) is None  # none yet
    first = sta.post("Observations", {"result": 1, **link})
    second = sta.post("Observations", {"result": 2, **link})
    assert first.status_code == second.status_code == 201
    features = FeatureOfInterest.objects.filter(observations__datastream=fresh).distinct()
    assert features.count() == 1
    assert features.get().feature == {"type": "Point", "coordinates": [7.86, 51.67]}


def test_a_moved_location_gets_a_new_feature(sta, stream):
    """The generated feature is reused only while the Location keeps its geometry."""
    location = Datastream.objects.get(pk=stream.pk).thing.locations.get()
    moved = sta.patch(
        f"Locations({location.pk})", {"location": {"type": "Point", "coordinates": [7.9, 51.7]}}
    )
    assert moved.status_code == 200, moved.content
    response = sta.post("Observations", {"result": 5, "Datastream": {"@iot.id": stream.pk}})
    feature = Observation.objects.get(pk=response.json()["@iot.id"]).feature_of_interest
    assert feature.feature["coordinates"] == [7.9, 51.7]
    assert FeatureOfInterest.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"result": 1, "phenomenonTime": "gestern"}, "/phenomenonTime"),
        ({"result": 1, "parameters": [1]}, "/parameters"),
        ({"result": float("inf")}, "body"),  # not JSON at all
        ({"result": 1, "Farbe": "rot"}, "/Farbe"),
        ({"phenomenonTime": "2026-11-01T10:00:00Z"}, "/result"),
    ],
)
def test_bad_input_gets_the_general_paths_precise_error(sta, stream, payload, where):
    """Invalid values fall through to the general path, which names them; nothing is
    written."""
    before = Observation.objects.count()
    response = sta.post("Observations", {**payload, "Datastream": {"@iot.id": stream.pk}})
    assert response.status_code == 400, response.content
    assert response.json()["where"].startswith(where)
    assert Observation.objects.count() == before


def test_unknown_stream_is_a_client_error(sta, stream):
    response = sta.post("Observations", {"result": 1, "Datastream": {"@iot.id": 999}})
    assert response.status_code == 400
    assert "Datastream" in response.json()["message"]
