"""Property and $select topics (OGC 18-088 14.2), tracked from the broker's log."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.db import connection
from paho.mqtt import client as mqtt

from smartcity.core.tokens import create_token
from smartcity.sensors.entities import BY_NAME
from smartcity.sensors.models import TrackedTopic
from smartcity.sensors.mqtt import accounts, subscriptions
from smartcity.sensors.mqtt.bridge import MqttBridge
from smartcity.sensors.mqtt.subscriptions import Tracker, Wanted, parse
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.mqtt.conftest import Client

SELECT = "v1.1/Datastreams(1)/Observations?$select=result,phenomenonTime"


@pytest.mark.parametrize(
    ("topic", "wanted"),
    [
        (
            SELECT,
            Wanted(SELECT, "v1.1/Datastreams(1)/Observations", ("result", "phenomenonTime"),
                   "collection", "Observation", general=False),
        ),
        (
            "v1.1/Things(3)/name",
            Wanted("v1.1/Things(3)/name", "v1.1/Things(3)/name", ("name",), "property", "Thing",
                   general=False),
        ),
        # the bridge announces to these anyway: plain topics
        ("v1.1/Things(3)/Datastreams", None),
        ("v1.1/Observations", None),
        ("v1.1/Things(3)", None),
        # resource paths the bridge does not announce to: looked up in the store
        (
            "v1.1/Things(1)/Locations",
            Wanted("v1.1/Things(1)/Locations", "v1.1/Things(1)/Locations", (), "collection",
                   "Location", general=True),
        ),
        (
            "v1.1/Datastreams(1)/Thing",
            Wanted("v1.1/Datastreams(1)/Thing", "v1.1/Datastreams(1)/Thing", (), "entity",
                   "Thing", general=True),
        ),
        (
            "v1.1/Datastreams(1)/Thing/name",
            Wanted("v1.1/Datastreams(1)/Thing/name", "v1.1/Datastreams(1)/Thing/name",
                   ("name",), "property", "Thing", general=True),
        ),
        (
            "v1.1/Things(1)/Datastreams(2)/Observations?$select=result",
            Wanted("v1.1/Things(1)/Datastreams(2)/Observations?$select=result",
                   "v1.1/Things(1)/Datastreams(2)/Observations", ("result",), "collection",
                   "Observation", general=True),
        ),
        # nothing a subscription can follow
        ("v1.1/Things(3)/nosuch", None),
        ("v1.1/Things(3)/id", None),
        ("v1.1/Things(1)/Locations/$ref", None),
        ("v1.1/Things/Datastreams", None),
        ("v1.1/Datastreams(1)/Thing(2)", None),
        ("v1.1/Things(3)/name?$select=name", None),
        ("v1.0/Things(3)/name", None),
        ("v1.1/#", None),
        ("v1.1/+/Observations", None),
        ("v1.1/Things?$select=", None),
    ],
)
def test_parse(topic, wanted):
    assert parse(topic) == wanted


def _line(topic: str, text: str) -> mqtt.MQTTMessage:
    message = mqtt.MQTTMessage(topic=topic.encode())
    message.payload = text.encode()
    return message


def test_the_tracker_follows_subscribe_and_unsubscribe_lines():
    tracker = Tracker()
    thing = BY_NAME["Thing"]
    name = "v1.1/Things(1)/name"
    assert tracker.on_log(_line(subscriptions.LOG_TOPICS[0], f"1796122300: cid x 1 {name}")) == {
        name: {"cid x"}
    }
    assert tracker.on_log(_line(subscriptions.LOG_TOPICS[0], f"1796122300: other 0 {name}")) == {
        name: {"cid x", "other"}
    }
    assert tracker.on_log(_line(subscriptions.LOG_TOPICS[0], "1: c 0 v1.1/Things(1)")) == {}
    body = {"@iot.id": 1, "name": "Hbf", "description": "d"}
    assert tracker.messages(thing, 1, {}, body, "update") == [
        ("v1.1/Things(1)/name", {"name": "Hbf"})
    ]
    assert tracker.concerns(thing) and not tracker.concerns(BY_NAME["Observation"])
    # "when the value of the subscribed property is changed" (14.2.3): not for another one
    assert tracker.messages(thing, 1, {}, {**body, "description": "neu"}, "update") == []
    assert tracker.messages(thing, 1, {}, {**body, "name": "Rathaus"}, "update") == [
        ("v1.1/Things(1)/name", {"name": "Rathaus"})
    ]
    tracker.prime("v1.1/Things(1)/name", {"name": "Hbf"})  # read when the topic came
    assert tracker.messages(thing, 1, {}, body, "update") == []
    assert tracker.messages(thing, 1, {}, body, "create") == []  # a property changes on update
    assert tracker.messages(thing, 2, {}, body, "update") == []
    tracker.on_log(_line(subscriptions.LOG_TOPICS[1], "1796122301: cid x v1.1/Things(1)/name"))
    assert tracker  # "other" still listens
    assert tracker.on_log(_line(subscriptions.LOG_TOPICS[1], f"1796122301: other {name}")) == {
        name: set()
    }
    assert not tracker and tracker.messages(thing, 1, {}, body, "update") == []
    assert not tracker.concerns(thing)


def test_the_tracker_keeps_at_most_its_limit(monkeypatch):
    monkeypatch.setattr(subscriptions, "LIMIT", 2)
    tracker = Tracker()
    for pk in (1, 2, 3):
        tracker.on_log(_line(subscriptions.LOG_TOPICS[0], f"1: c 0 v1.1/Things({pk})/name"))
    thing = BY_NAME["Thing"]
    assert tracker.messages(thing, 1, {}, {"name": "a"}, "update") == []
    assert tracker.messages(thing, 3, {}, {"name": "a"}, "update") != []


def _bridge(broker) -> MqttBridge:
    return MqttBridge(
        broker.bridge_url,
        group=f"test-{uuid.uuid4().hex[:8]}",
        root_url="http://testserver/sta/v1.1/",
        persistent=False,
    )


@pytest.fixture
def announcing(secured_broker, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", secured_broker.admin_url)
    bridge = _bridge(secured_broker)
    bridge.start()
    assert bridge.subscribed.wait(10) and bridge.following.wait(10)
    time.sleep(0.2)
    yield bridge
    bridge.stop()
    connection.close()


def _next(client: Client, topic: str) -> dict:
    while True:
        message = client.received.get(timeout=10)
        if message.topic == topic:
            return json.loads(message.payload)


@pytest.mark.django_db(transaction=True)
def test_select_and_property_topics_get_exactly_what_they_ask_for(
    secured_broker, announcing, client
):
    thing, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T00:00:00Z", 0)])
    select = f"v1.1/Datastreams({stream.pk})/Observations?$select=result,phenomenonTime"
    name = f"v1.1/Things({thing.pk})/name"
    dashboard = Client(secured_broker)
    try:
        assert not dashboard.subscribe(select).is_failure
        assert not dashboard.subscribe(name).is_failure
        assert _wait_for(lambda: bool(announcing.tracker))
        token, secret = create_token("Hbf", ["sta:observe"], datastreams=[stream.pk])
        device = Client(secured_broker, accounts.username(token), secret)
        body = {"result": 12.5, "phenomenonTime": "2026-12-01T10:00:00Z"}
        device.publish(f"v1.1/Datastreams({stream.pk})/Observations", json.dumps(body))
        got = _next(dashboard, select)
        if got == {"result": 0, "phenomenonTime": "2026-11-01T00:00:00Z"}:
            # the first observation's announcement may still have been on its way when the
            # subscription was tracked; then it comes first, in the same $select shape
            got = _next(dashboard, select)
        assert got == body
        _patch_thing(client, thing, {"name": "Messstation Hauptbahnhof"})
        assert _next(dashboard, name) == {"name": "Messstation Hauptbahnhof"}
        device.close()
    finally:
        dashboard.close()


def _patch_thing(client, thing, changes: dict) -> None:
    writer = create_token("clerk", ["sta:write"])[1]
    response = client.patch(
        f"/sta/v1.1/Things({thing.pk})",
        json.dumps(changes),
        content_type="application/json",
        headers={"Authorization": f"Bearer {writer}"},
    )
    assert response.status_code == 200, response.content


def _wait_for(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


@pytest.mark.django_db(transaction=True)
def test_a_process_started_later_serves_the_subscriptions_made_before(
    secured_broker, announcing, client
):
    """The tracked topics are kept in the store: a second server process (a new bridge)
    knows the dashboard's subscription, made before it started, without a new log line."""
    thing, _ = make_thing_with_datastream()
    name = f"v1.1/Things({thing.pk})/name"
    dashboard = Client(secured_broker)
    later = _bridge(secured_broker)
    try:
        assert not dashboard.subscribe(name).is_failure
        assert _wait_for(lambda: TrackedTopic.objects.filter(topic=name).exists())
        announcing.stop()  # the first process ends; only the later one announces
        later.start()
        assert later.loaded.wait(10) and later.following.wait(10)
        assert later.tracker.concerns(BY_NAME["Thing"])
        _patch_thing(client, thing, {"name": "Rathaus"})
        assert _next(dashboard, name) == {"name": "Rathaus"}
        dashboard.client.unsubscribe(name)
        assert _wait_for(lambda: not TrackedTopic.objects.filter(topic=name).exists())
    finally:
        later.stop()
        dashboard.close()


@pytest.mark.django_db(transaction=True)
def test_general_resource_paths_hear_of_their_members(secured_broker, announcing, client):
    """14.2: SERVICE_VERSION/RESOURCE_PATH/COLLECTION_NAME and .../RESOURCE_PATH_TO_AN_ENTITY
    for any resource path: a Location linked to the Thing reaches Things(n)/Locations (no
    topic the bridge announces to), an update of the Thing reaches Datastreams(m)/Thing and
    a change of its name Datastreams(m)/Thing/name; a Location of another Thing does not."""
    thing, stream = make_thing_with_datastream()
    other, _ = make_thing_with_datastream()
    locations = f"v1.1/Things({thing.pk})/Locations"
    via_stream = f"v1.1/Datastreams({stream.pk})/Thing"
    dashboard = Client(secured_broker)
    writer = create_token("clerk", ["sta:write"])[1]
    auth = {"Authorization": f"Bearer {writer}"}
    try:
        for topic in (locations, via_stream, f"{via_stream}/name"):
            assert not dashboard.subscribe(topic).is_failure
        assert _wait_for(lambda: len(TrackedTopic.objects.all()) == 3)
        point = {"type": "Point", "coordinates": [7.8, 51.68]}
        for owner, name in ((other, "Elsewhere"), (thing, "Marktplatz")):
            response = client.post(
                "/sta/v1.1/Locations",
                json.dumps({"name": name, "description": "d", "encodingType":
                            "application/geo+json", "location": point,
                            "Things": [{"@iot.id": owner.pk}]}),
                content_type="application/json", headers=auth,
            )
            assert response.status_code == 201, response.content
        assert _next(dashboard, locations)["name"] == "Marktplatz"  # not "Elsewhere" first
        _patch_thing(client, thing, {"description": "neu"})
        assert _next(dashboard, via_stream)["description"] == "neu"
        _patch_thing(client, thing, {"name": "Pavillon"})
        assert _next(dashboard, f"{via_stream}/name") == {"name": "Pavillon"}
    finally:
        dashboard.close()
