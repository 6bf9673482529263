"""The bridge's bulk path (mqtt.ingest): messages of the common shape are written together,
and store exactly what creating them one at a time stores; everything else is handed back
in arrival order, so the general path still names every error."""

from __future__ import annotations

from dataclasses import dataclass

import orjson
import pytest
from django.db import transaction

from smartcity.sensors.entities import entity
from smartcity.sensors.ingest import observation_post
from smartcity.sensors.ingest.groups import COLUMNS
from smartcity.sensors.models import Observation
from smartcity.sensors.mqtt import ingest
from smartcity.sensors.services import create
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db

# every stored column but the id and the stream the rows were written to
COMPARED = tuple(c for c in COLUMNS if c not in ("id", "datastream_id", "multi_datastream_id"))


@dataclass
class Received:
    """An MQTT message as the bridge hands it over: a topic and its payload."""

    topic: str
    payload: bytes


def _message(topic: str, body) -> Received:
    return Received(topic, body if isinstance(body, bytes) else orjson.dumps(body))


def _stored(stream) -> list[tuple]:
    rows = Observation.objects.filter(datastream=stream).order_by("phenomenon_time_start", "id")
    return list(rows.values_list(*COMPARED))


@pytest.fixture
def streams():
    made = [make_thing_with_datastream(f"Station {n}")[1] for n in range(2)]
    for stream in made:
        add_observations(stream, [("2026-11-01T00:00:00Z", 0)])  # generates the feature
    return made


def test_common_messages_are_stored_as_one_at_a_time_would_store_them(streams):
    bulk_stream, single_stream = streams
    bodies = [
        {"result": 21.5, "phenomenonTime": "2026-12-01T10:00:00Z"},
        {"phenomenonTime": "2026-12-01T10:10:00.250+01:00", "result": 3},
        {"result": None, "phenomenonTime": "2026-12-01T10:20:00Z"},
        {"result": "trocken", "phenomenonTime": "2026-12-01T10:30:00Z",
         "resultTime": "2026-12-01T10:30:02Z"},
    ]
    with transaction.atomic():
        left = ingest.create_common(
            [_message(f"v1.1/Datastreams({bulk_stream.pk})/Observations", b) for b in bodies]
        )
    assert left == []
    for body in bodies:
        assert observation_post.try_create(body, _link(single_stream))
    bulk, single = _stored(bulk_stream), _stored(single_stream)
    assert len(bulk) == len(bodies) + 1
    feature = {row[-1] for row in bulk}
    assert len(feature) == 1  # the feature generated from the Thing's Location
    assert [row[:-1] for row in bulk] == [row[:-1] for row in single]


def _link(stream):
    from smartcity.sensors.sta.paths import stream_observations

    return stream_observations(f"/Datastreams({stream.pk})/Observations")


def test_links_in_the_body_group_by_stream_and_others_come_back_in_order(streams):
    first, second = streams
    messages = [
        _message("v1.1/Observations", {"result": 1, "phenomenonTime": "2026-12-01T10:00:00Z",
                                        "Datastream": {"@iot.id": first.pk}}),
        _message("v1.1/Observations", {"result": 2}),  # no phenomenonTime: one at a time
        _message(f"v1.1/Datastreams({second.pk})/Observations",
                 {"result": 3, "phenomenonTime": "2026-12-01T10:00:00Z"}),
        _message(f"v1.1/Datastreams({second.pk})/Observations", b"{kein json"),
        _message(f"v1.1/Datastreams({first.pk})/Observations",
                 {"result": 4, "phenomenonTime": "2026-12-01T10:00:00Z",
                  "FeatureOfInterest": {"@iot.id": 1}}),
        _message("v1.1/Things(1)/Observations", {"result": 5}),
    ]
    with transaction.atomic():
        left = ingest.create_common(messages)
    assert left == [messages[1], messages[3], messages[4], messages[5]]
    assert Observation.objects.filter(datastream=first, result=1).count() == 1
    assert Observation.objects.filter(datastream=second, result=3).count() == 1


def test_a_group_with_one_bad_value_is_handed_back_whole_and_writes_nothing(streams):
    stream = streams[0]
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    messages = [
        _message(topic, {"result": 1, "phenomenonTime": "2026-12-01T10:00:00Z"}),
        _message(topic, {"result": 2, "phenomenonTime": "gestern"}),
        _message(topic, {"result": 3, "phenomenonTime": "2026-12-01T10:20:00Z"}),
    ]
    before = _stored(stream)
    with transaction.atomic():
        left = ingest.create_common(messages)
    assert left == messages
    assert _stored(stream) == before


def test_unknown_streams_and_things_without_location_are_handed_back(streams):
    thing = create(entity("Thing"), {"name": "ohne Ort", "description": "kein Standort"})
    no_location = create(entity("Datastream"), {
        "name": "x", "description": "x", "observationType": "x",
        "unitOfMeasurement": {"name": "Grad", "symbol": "°C", "definition": "x"},
        "Sensor": {"name": "s", "description": "s", "encodingType": "text/plain",
                   "metadata": "s"},
        "ObservedProperty": {"name": "T", "definition": "x", "description": "x"},
        "Thing": {"@iot.id": thing.pk},
    })
    messages = [
        _message("v1.1/Datastreams(999999)/Observations",
                 {"result": 1, "phenomenonTime": "2026-12-01T10:00:00Z"}),
        _message(f"v1.1/Datastreams({no_location.pk})/Observations",
                 {"result": 1, "phenomenonTime": "2026-12-01T10:00:00Z"}),
    ]
    with transaction.atomic():
        left = ingest.create_common(messages)
    assert left == messages
    assert not Observation.objects.filter(datastream=no_location).exists()


def test_bodies_decoded_for_grouping_are_handed_back_unchanged(streams):
    """The bridge creates a handed-back message from the body decoded here: it must be
    the whole body, its Datastream link included, so that it is decoded only once."""
    first, _ = streams
    body = {"result": 2, "Datastream": {"@iot.id": first.pk}}  # no phenomenonTime
    messages = [
        _message("v1.1/Observations", body),
        _message("v1.1/Things(1)/Observations", {"result": 5}),  # not a stream: not decoded
    ]
    decoded: dict = {}
    with transaction.atomic():
        left = ingest.create_common(messages, decoded)
    assert left == messages
    assert decoded == {id(messages[0]): body}
