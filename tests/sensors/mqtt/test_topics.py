"""MQTT topics of OGC 18-088 clause 14."""

from __future__ import annotations

import pytest

from smartcity.sensors.entities import entity
from smartcity.sensors.mqtt import topics


@pytest.mark.parametrize(
    ("topic", "path"),
    [
        ("v1.1/Observations", "/Observations"),
        ("v1.1/Datastreams(7)/Observations", "/Datastreams(7)/Observations"),
        ("v1.1/MultiDatastreams(2)/Observations", "/MultiDatastreams(2)/Observations"),
        ("v1.1/FeaturesOfInterest(3)/Observations", "/FeaturesOfInterest(3)/Observations"),
        ("v1.1/Things", None),
        ("v1.1/Things(1)/Datastreams", None),
        ("v1.1/Datastreams(x)/Observations", None),
        ("v1.0/Observations", "/Observations"),
        ("v1.0/Datastreams(7)/Observations", "/Datastreams(7)/Observations"),
        ("v1.2/Observations", None),
        ("v1.1/Observations/x", None),
    ],
)
def test_create_topics(topic, path):
    """req/create-observations-via-mqtt/create-observations."""
    assert topics.create_path(topic) == path


PARENTS = {"Datastream": 3, "MultiDatastream": None, "FeatureOfInterest": 4}


def test_an_updated_observation_is_announced_in_its_set_itself_and_its_parents():
    """req/receive-updates-via-mqtt (14.2.2): entity set, entity and navigation collections."""
    found = topics.change_topics(entity("Observation"), 9, PARENTS)
    assert found == [
        "v1.1/Observations",
        "v1.1/Observations(9)",
        "v1.1/Datastreams(3)/Observations",
        "v1.1/FeaturesOfInterest(4)/Observations",
    ]


def test_a_created_observation_is_announced_in_its_sets_only():
    """14.2.2: an entity topic reports updates of the entity, which a creation is not."""
    found = topics.change_topics(entity("Observation"), 9, PARENTS, created=True)
    assert found == [
        "v1.1/Observations",
        "v1.1/Datastreams(3)/Observations",
        "v1.1/FeaturesOfInterest(4)/Observations",
    ]


def test_the_service_root_names_the_mqtt_endpoint_when_a_broker_is_set(monkeypatch):
    """Clause 9.2.1: serverSettings lists the MQTT conformance class and its endpoint."""
    from smartcity.sensors.sta.conformance import MQTT_CREATE, MQTT_UPDATES, service_root

    monkeypatch.setenv("SMARTCITY_MQTT_URL", "mqtt://bridge:geheim@broker.hamm.de:1883")
    root = service_root("http://x/sta/v1.1/", "v1.1")["serverSettings"]
    for claimed in (MQTT_CREATE, MQTT_UPDATES):
        assert claimed in root["conformance"]
        assert root[claimed] == {"endpoints": ["mqtt://broker.hamm.de:1883"]}
    monkeypatch.setenv("SMARTCITY_MQTT_URL", "")
    conformance = service_root("http://x/sta/v1.1/", "v1.1")["serverSettings"]["conformance"]
    assert MQTT_CREATE not in conformance and MQTT_UPDATES not in conformance
