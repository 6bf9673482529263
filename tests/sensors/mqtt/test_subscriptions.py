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
from smartcity.sensors.mqtt import accounts, subscriptions
from smartcity.sensors.mqtt.bridge import MqttBridge
from smartcity.sensors.mqtt.subscriptions import Tracker, Wanted, parse
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.mqtt.conftest import Client


@pytest.mark.parametrize(
    ("topic", "wanted"),
    [
        (
            "v1.1/Datastreams(1)/Observations?$select=result,phenomenonTime",
            Wanted(
                "v1.1/Datastreams(1)/Observations?$select=result,phenomenonTime",
                "v1.1/Datastreams(1)/Observations",
                ("result", "phenomenonTime"),
                single=False,
            ),
        ),
        ("v1.1/Things(3)/name", Wanted("v1.1/Things(3)/name", "v1.1/Things(3)", ("name",), True)),
        ("v1.1/Things(3)/Datastreams", None),  # a navigation: a plain topic
        ("v1.1/Things(3)/nosuch", None),
        ("v1.1/Things(3)/id", None),
        ("v1.1/Observations", None),
        ("v1.1/#", None),
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
    tracker.on_log(_line(subscriptions.LOG_TOPICS[0], "1796122300: cid x 1 v1.1/Things(1)/name"))
    tracker.on_log(_line(subscriptions.LOG_TOPICS[0], "1796122300: other 0 v1.1/Things(1)/name"))
    body = {"@iot.id": 1, "name": "Hbf", "description": "d"}
    assert tracker.messages(thing, 1, {}, body, "update") == [
        ("v1.1/Things(1)/name", {"name": "Hbf"})
    ]
    assert tracker.concerns(thing) and not tracker.concerns(BY_NAME["Observation"])
    assert tracker.messages(thing, 1, {}, body, "create") == []  # a property changes on update
    assert tracker.messages(thing, 2, {}, body, "update") == []
    tracker.on_log(_line(subscriptions.LOG_TOPICS[1], "1796122301: cid x v1.1/Things(1)/name"))
    assert tracker  # "other" still listens
    tracker.on_log(_line(subscriptions.LOG_TOPICS[1], "1796122301: other v1.1/Things(1)/name"))
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


@pytest.fixture
def announcing(secured_broker, settings):
    settings.SMARTCITY_MQTT_ADMIN_URL = secured_broker.admin_url
    bridge = MqttBridge(
        secured_broker.bridge_url,
        group=f"test-{uuid.uuid4().hex[:8]}",
        root_url="http://testserver/sta/v1.1/",
        persistent=False,
    )
    announcer = subscriptions.Announcer(
        secured_broker.bridge_url, root_url="http://testserver/sta/v1.1/"
    )
    bridge.start()
    announcer.start()
    assert bridge.subscribed.wait(10) and announcer.following.wait(10)
    time.sleep(0.2)
    yield announcer
    announcer.stop()
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
        assert _next(dashboard, select) == body
        writer = create_token("clerk", ["sta:write"])[1]
        response = client.patch(
            f"/sta/v1.1/Things({thing.pk})",
            json.dumps({"name": "Messstation Hauptbahnhof"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {writer}"},
        )
        assert response.status_code == 200
        assert _next(dashboard, name) == {"name": "Messstation Hauptbahnhof"}
        device.close()
    finally:
        dashboard.close()


def _wait_for(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()
