"""Creating entities: OGC 18-088 clause 10.2 (req/create-update-delete/*)."""

from __future__ import annotations

import pytest

from smartcity.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    Sensor,
    Thing,
)
from tests.sensors.factories import (
    MEASUREMENT,
    PM10,
    SENSOR,
    UNIT,
    datastream_payload,
    make_thing_with_datastream,
    thing_payload,
)

pytestmark = pytest.mark.django_db


def test_create_returns_201_with_location_header(sta):
    """req/create-update-delete/create-entity: 201 and a Location header with the selfLink."""
    response = sta.post("Things", {"name": "Lampe", "description": "Straßenlaterne"})
    assert response.status_code == 201
    pk = response.json()["@iot.id"]
    assert response["Location"] == f"http://testserver/sta/v1.1/Things({pk})"
    assert Thing.objects.get(pk=pk).name == "Lampe"


def test_deep_insert_creates_everything_and_history(sta):
    """req/create-update-delete/deep-insert and historical-location-auto-creation."""
    payload = thing_payload(
        Datastreams=[
            datastream_payload(
                Observations=[{"phenomenonTime": "2026-11-01T10:00:00Z", "result": 20.5}]
            )
        ]
    )
    response = sta.post("Things", payload)
    assert response.status_code == 201, response.content
    thing = Thing.objects.get(pk=response.json()["@iot.id"])
    assert thing.locations.count() == 1
    history = HistoricalLocation.objects.get(thing=thing)
    assert list(history.locations.all()) == list(thing.locations.all())
    stream = Datastream.objects.get(thing=thing)
    assert stream.sensor.name == "SPS30" and stream.observed_property.name == "PM10"
    assert Observation.objects.get(datastream=stream).result == 20.5


def test_link_to_existing_entities(sta):
    """req/create-update-delete/link-to-existing-entities."""
    thing, stream = make_thing_with_datastream()
    body = {
        "name": "PM10 zwei",
        "description": "zweiter",
        "unitOfMeasurement": UNIT,
        "observationType": MEASUREMENT,
        "Thing": {"@iot.id": thing.pk},
        "Sensor": {"@iot.id": stream.sensor_id},
        "ObservedProperty": {"@iot.id": stream.observed_property_id},
    }
    response = sta.post("Datastreams", body)
    assert response.status_code == 201, response.content
    assert Sensor.objects.count() == 1


def test_link_to_missing_entity_is_400_and_writes_nothing(sta):
    before = (Thing.objects.count(), Location.objects.count())
    payload = thing_payload(Datastreams=[{**datastream_payload(), "Sensor": {"@iot.id": 987654}}])
    response = sta.post("Things", payload)
    assert response.status_code == 400
    assert response.json()["where"] == "/Datastreams/0/Sensor/@iot.id"
    assert (Thing.objects.count(), Location.objects.count()) == before


def test_post_to_navigation_collection_links_parent(sta):
    """POST to a navigationLink links the new entity to the parent entity."""
    _thing, stream = make_thing_with_datastream()
    response = sta.post(
        f"Datastreams({stream.pk})/Observations",
        {"phenomenonTime": "2026-11-01T10:00:00Z", "result": 3},
    )
    assert response.status_code == 201
    assert Observation.objects.get(pk=response.json()["@iot.id"]).datastream_id == stream.pk


def test_post_location_below_thing_creates_historical_location(sta):
    thing, _ = make_thing_with_datastream()
    before = HistoricalLocation.objects.filter(thing=thing).count()
    response = sta.post(
        f"Things({thing.pk})/Locations",
        {
            "name": "neu",
            "description": "umgezogen",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [7.82, 51.68]},
        },
    )
    assert response.status_code == 201
    assert HistoricalLocation.objects.filter(thing=thing).count() == before + 1


def test_observation_without_feature_gets_one_from_location(sta):
    """Special case 1: the FeatureOfInterest is generated from the Thing's Location, and
    reused for the next observation at the same place."""
    _, stream = make_thing_with_datastream()
    for value in (1, 2):
        response = sta.post("Observations", {"result": value, "Datastream": {"@iot.id": stream.pk}})
        assert response.status_code == 201
    assert FeatureOfInterest.objects.count() == 1
    foi = FeatureOfInterest.objects.get()
    assert foi.feature == {"type": "Point", "coordinates": [7.8076, 51.678]}


def test_observation_without_time_gets_now(sta):
    _, stream = make_thing_with_datastream()
    response = sta.post("Observations", {"result": 5, "Datastream": {"@iot.id": stream.pk}})
    assert response.json()["phenomenonTime"].startswith("20")


def test_observation_updates_datastream_extents(sta, anonymous):
    _, stream = make_thing_with_datastream()
    for t in ("2026-11-01T10:00:00Z", "2026-11-01T08:00:00Z", "2026-11-01T12:00:00Z"):
        sta.post(
            "Observations", {"phenomenonTime": t, "result": 1, "Datastream": {"@iot.id": stream.pk}}
        )
    body = anonymous.get(f"Datastreams({stream.pk})").json()
    assert body["phenomenonTime"] == "2026-11-01T08:00:00Z/2026-11-01T12:00:00Z"
    assert body["observedArea"] == {"type": "Point", "coordinates": [7.8076, 51.678]}


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"description": "ohne Namen"}, "/name"),
        ({"name": 5, "description": "x"}, "/name"),
        ({"name": "x", "description": "y", "colour": "red"}, "/colour"),
        ({"name": "x", "description": "y", "properties": [1, 2]}, "/properties"),
        ({"name": "x", "description": "y", "Locations": {"name": "not a list"}}, "/Locations"),
        (
            {
                "name": "x",
                "description": "y",
                "Locations": [
                    {
                        "name": "l",
                        "description": "d",
                        "encodingType": "application/geo+json",
                        "location": {"type": "Point"},
                    }
                ],
            },
            "/Locations/0/location",
        ),
    ],
)
def test_malformed_thing_is_400_with_where(sta, payload, where):
    response = sta.post("Things", payload)
    assert response.status_code == 400, response.content
    assert response.json()["where"] == where
    assert Thing.objects.count() == 0


def test_datastream_must_link_thing_sensor_and_property(sta):
    """Table 24, integrity constraints when creating a Datastream."""
    response = sta.post(
        "Datastreams",
        {
            "name": "d",
            "description": "d",
            "unitOfMeasurement": UNIT,
            "observationType": MEASUREMENT,
            "Sensor": SENSOR,
            "ObservedProperty": PM10,
        },
    )
    assert response.status_code == 400
    assert "Thing" in response.json()["message"]
    assert Sensor.objects.count() == 0


def test_invalid_json_is_400(sta):
    response = sta.post("Things", '{"name": "x",')
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


def test_wrong_content_type_is_415(sta):
    response = sta.post("Things", "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_bad_time_is_400(sta):
    _, stream = make_thing_with_datastream()
    response = sta.post(
        "Observations",
        {"phenomenonTime": "yesterday", "result": 1, "Datastream": {"@iot.id": stream.pk}},
    )
    assert response.status_code == 400
    assert response.json()["where"] == "/phenomenonTime"


def test_interval_phenomenon_time(sta, anonymous):
    _, stream = make_thing_with_datastream()
    response = sta.post(
        "Observations",
        {
            "phenomenonTime": "2026-11-01T10:00:00Z/2026-11-01T11:00:00Z",
            "result": 1,
            "Datastream": {"@iot.id": stream.pk},
        },
    )
    assert response.json()["phenomenonTime"] == "2026-11-01T10:00:00Z/2026-11-01T11:00:00Z"


COMPLEX = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation"


def _multi_datastream(thing, stream, properties):
    """A two-value MultiDatastream (units and data types for two ObservedProperties)."""
    return {
        "name": "Wind",
        "description": "Wind",
        "observationType": COMPLEX,
        "unitOfMeasurements": [UNIT, UNIT],
        "multiObservationDataTypes": [MEASUREMENT, MEASUREMENT],
        "Thing": {"@iot.id": thing.pk},
        "Sensor": {"@iot.id": stream.sensor_id},
        "ObservedProperties": properties,
    }


def test_multidatastream_observation_needs_array_result(sta):
    """req/multi-datastream/constraints: result is an array, one value per property."""
    thing, stream = make_thing_with_datastream()
    properties = [
        {"@iot.id": stream.observed_property_id},
        {"name": "PM2.5", "definition": "x", "description": "y"},
    ]
    mds = sta.post("MultiDatastreams", _multi_datastream(thing, stream, properties))
    assert mds.status_code == 201, mds.content
    mds_id = mds.json()["@iot.id"]
    bad = sta.post("Observations", {"result": 3, "MultiDatastream": {"@iot.id": mds_id}})
    assert bad.status_code == 400
    good = sta.post("Observations", {"result": [3, 4], "MultiDatastream": {"@iot.id": mds_id}})
    assert good.status_code == 201


def test_multidatastream_property_count_must_match(sta):
    thing, stream = make_thing_with_datastream()
    properties = [{"@iot.id": stream.observed_property_id}]
    response = sta.post("MultiDatastreams", _multi_datastream(thing, stream, properties))
    assert response.status_code == 400


def test_oversized_body_is_413(sta, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = sta.post("Things", {"name": "x" * 2000, "description": "y"})
    assert response.status_code == 413
    assert not Thing.objects.exists()


@pytest.mark.parametrize("result", ["Bewölkt", 12, 12.5, True, None, [1, "a"], {"k": "v"}])
def test_answer_to_a_create_is_valid_json_for_every_result_type(sta, result):
    _, stream = make_thing_with_datastream()
    response = sta.post("Observations", {"result": result, "Datastream": {"@iot.id": stream.pk}})
    assert response.status_code == 201
    assert response.json()["result"] == result
    again = sta.client.get(response["Location"].removeprefix("http://testserver"))
    assert again.json()["result"] == result
