"""The MQTT bridge against a real Mosquitto broker (SMARTCITY_MQTT_URL, 127.0.0.1:1883 by
default): OGC 18-088 req/create-observations-via-mqtt and req/receive-updates-via-mqtt."""

from __future__ import annotations

import json
import logging
import os
import queue
import time
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from smartcity.core.tokens import create_token
from smartcity.sensors.models import Observation
from smartcity.sensors.mqtt.bridge import MqttBridge
from tests.sensors.factories import add_observations, make_thing_with_datastream

BROKER = os.environ.get("SMARTCITY_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
pytestmark = pytest.mark.django_db(transaction=True)


def _wait(check, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    return check()


@pytest.fixture
def bridge():
    running = MqttBridge(
        BROKER,
        group=f"test-{uuid.uuid4().hex[:8]}",
        root_url="http://testserver/sta/v1.1/",
        persistent=False,
    )
    running.start()
    assert running.subscribed.wait(10), "no connection to the MQTT broker"
    time.sleep(0.2)  # the SUBACK
    yield running
    running.stop()
    connection.close()


class Device:
    """A plain MQTT client, as a sensor or a dashboard uses the broker."""

    def __init__(self) -> None:
        self.received: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        self.client.on_message = lambda client, userdata, message: self.received.put(message)
        host, port = BROKER.removeprefix("mqtt://").split(":")
        self.client.connect(host, int(port))
        self.client.loop_start()

    def subscribe(self, topic: str) -> None:
        done = self.client.subscribe(topic, qos=1)
        assert done[0] == mqtt.MQTT_ERR_SUCCESS
        time.sleep(0.2)

    def publish(self, topic: str, payload: bytes | str) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(5)

    def next_with(self, key: str, value, seconds: float = 10.0) -> mqtt.MQTTMessage:
        """The first announcement whose JSON has ``key`` == ``value`` (earlier ones of the
        test's own set-up, and a device's own create message, may come first)."""
        deadline = time.monotonic() + seconds
        while True:
            message = self.received.get(timeout=max(0.01, deadline - time.monotonic()))
            body = json.loads(message.payload)
            if body.get(key) == value and "@iot.id" in body:  # not a device's own create
                return message

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def device():
    created = Device()
    yield created
    created.close()


@pytest.fixture
def stream():
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T00:00:00Z", 0)])  # generates the feature
    return stream


def test_an_observation_published_to_a_datastream_is_created(bridge, device, stream):
    """req/create-observations-via-mqtt/create-observations."""
    device.publish(
        f"v1.1/Datastreams({stream.pk})/Observations",
        json.dumps({"result": 21.5, "phenomenonTime": "2026-12-01T10:00:00Z"}),
    )
    found = _wait(lambda: Observation.objects.filter(datastream=stream, result=21.5).first())
    assert found is not None
    assert found.phenomenon_time_start == datetime(2026, 12, 1, 10, tzinfo=UTC)


def test_an_observation_published_to_the_collection_is_created(bridge, device, stream):
    device.publish(
        "v1.1/Observations", json.dumps({"result": 7, "Datastream": {"@iot.id": stream.pk}})
    )
    assert _wait(lambda: Observation.objects.filter(datastream=stream, result=7).exists())


def test_subscribers_receive_creations_made_over_http(bridge, device, stream, client):
    """req/receive-updates-via-mqtt/receive-updates: a change made any way is published."""
    device.subscribe(f"v1.1/Datastreams({stream.pk})/Observations")
    token = create_token("t", ["sta:write"])[1]
    response = client.post(
        "/sta/v1.1/Observations",
        json.dumps({"result": 3.25, "Datastream": {"@iot.id": stream.pk}}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    message = device.next_with("@iot.id", response.json()["@iot.id"])
    body = json.loads(message.payload)
    assert body["result"] == 3.25
    assert body["@iot.selfLink"].startswith("http://testserver/sta/v1.1/Observations(")
    # the bridge does not take its own announcement for a new observation
    time.sleep(0.5)
    assert Observation.objects.filter(datastream=stream, result=3.25).count() == 1


def test_creations_over_mqtt_are_announced_too(bridge, device, stream):
    device.subscribe(f"v1.1/Datastreams({stream.pk})/Observations")
    device.publish(f"v1.1/Datastreams({stream.pk})/Observations", json.dumps({"result": 99}))
    message = device.next_with("result", 99)
    assert json.loads(message.payload)["Datastream@iot.navigationLink"].endswith(
        f"Observations({json.loads(message.payload)['@iot.id']})/Datastream"
    )


@pytest.mark.parametrize("qos", [0, 1])
def test_announcements_go_out_at_the_configured_qos(device, stream, qos):
    """SMARTCITY_MQTT_ANNOUNCE_QOS (0 by default): a subscriber at QoS 1 receives an
    announcement at the lower of the two (MQTT 3.1.1 clause 3.8.4)."""
    running = MqttBridge(BROKER, group=f"test-{uuid.uuid4().hex[:8]}",
                         root_url="http://testserver/sta/v1.1/", persistent=False,
                         announce_qos=qos)
    running.start()
    try:
        assert running.subscribed.wait(10)
        device.subscribe(f"v1.1/Datastreams({stream.pk})/Observations")
        add_observations(stream, [("2026-12-01T09:00:00Z", 4711)])
        assert device.next_with("result", 4711).qos == qos
    finally:
        running.stop()
        connection.close()


def test_the_announcements_qos_is_0_unless_configured(monkeypatch):
    assert MqttBridge(BROKER, persistent=False).announce_qos == 0
    monkeypatch.setenv("SMARTCITY_MQTT_ANNOUNCE_QOS", "1")
    assert MqttBridge(BROKER, persistent=False).announce_qos == 1


def test_a_malformed_message_is_rejected_with_its_reason_and_stops_nothing(
    bridge, device, stream, caplog
):
    caplog.set_level(logging.WARNING, logger="smartcity.mqtt")
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    device.publish(topic, b"{kein json")
    device.publish(topic, json.dumps({"result": 1, "phenomenonTime": "gestern"}))
    device.publish(topic, json.dumps({"result": 42}))
    assert _wait(lambda: Observation.objects.filter(datastream=stream, result=42).exists())
    rejected = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    assert any("not valid JSON" in text for text in rejected), rejected
    assert any("phenomenonTime" in text for text in rejected), rejected
    assert Observation.objects.filter(datastream=stream).count() == 2  # the first and 42


def test_a_burst_is_stored_whole_and_every_creation_announced(bridge, device, stream):
    """Messages that queue up are written together (mqtt.ingest) and announced together;
    none is lost or announced twice."""
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    device.subscribe(topic)
    for n in range(300):
        body = {"result": 1000 + n, "phenomenonTime": f"2026-12-01T10:{n // 60:02d}:{n % 60:02d}Z"}
        device.client.publish(topic, json.dumps(body), qos=1)
    assert _wait(lambda: Observation.objects.filter(datastream=stream).count() == 301)
    announced: set[int] = set()
    deadline = time.monotonic() + 10
    while len(announced) < 300 and time.monotonic() < deadline:
        body = json.loads(device.received.get(timeout=10).payload)
        if "@iot.id" in body and body["result"] >= 1000:  # not the fixture's
            assert body["@iot.id"] not in announced
            announced.add(body["@iot.id"])
    stored = set(
        Observation.objects.filter(datastream=stream, result_number__gte=1000).values_list(
            "pk", flat=True
        )
    )
    assert announced == stored


def test_a_representation_of_our_own_entity_is_skipped_silently(
    bridge, device, stream, caplog
):
    """An announcement (of this or another server process) arrives on a create topic: a
    message that begins with the @iot.id and a selfLink of this service is one, and is
    acknowledged without a word. Any other body with an @iot.id could not create anything
    either (the service assigns ids) and is rejected with the reason."""
    caplog.set_level(logging.WARNING, logger="smartcity.mqtt")
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    ours = {"@iot.id": 1, "@iot.selfLink": "http://testserver/sta/v1.1/Observations(1)",
            "result": 61, "phenomenonTime": "2026-12-01T10:00:00Z"}
    device.publish(topic, json.dumps(ours, separators=(",", ":")))
    foreign = {**ours, "@iot.selfLink": "https://elsewhere.example/v1.1/Observations(1)"}
    device.publish(topic, json.dumps(foreign, separators=(",", ":")))
    assert _wait(lambda: "cannot be given when creating" in caplog.text)
    rejected = [r for r in caplog.records if "rejected" in r.getMessage()]
    assert len(rejected) == 1  # the foreign one only
    assert not Observation.objects.filter(result=61).exists()


def test_messages_published_while_the_platform_is_down_are_stored_after_a_restart(
    device, stream, settings, tmp_path
):
    """A persistent session with a client id that outlives the restart (one lock-file slot
    per server process): the broker keeps the QoS 1 messages for it."""
    settings.DATA_DIR = tmp_path
    group = f"test-{uuid.uuid4().hex[:8]}"
    first = MqttBridge(BROKER, group=group, root_url="http://testserver/sta/v1.1/")
    first.start()
    assert first.subscribed.wait(10)
    time.sleep(0.2)
    first.stop()
    topic = f"v1.1/Datastreams({stream.pk})/Observations"
    for n in range(5):
        device.publish(topic, json.dumps({"result": 300 + n,
                                          "phenomenonTime": f"2026-12-01T11:0{n}:00Z"}))
    again = MqttBridge(BROKER, group=group, root_url="http://testserver/sta/v1.1/")
    assert again.client_id == first.client_id  # the same slot, the same session
    again.start()
    try:
        assert _wait(lambda: Observation.objects.filter(result_number__gte=300).count() == 5)
    finally:
        again.stop()
        again.forget()
        connection.close()


def test_two_bridges_of_one_host_take_two_slots(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    one = MqttBridge(BROKER, group="slots", root_url="http://testserver/sta/v1.1/")
    two = MqttBridge(BROKER, group="slots", root_url="http://testserver/sta/v1.1/")
    assert one.client_id != two.client_id
    assert one.client_id.endswith("-0") and two.client_id.endswith("-1")
