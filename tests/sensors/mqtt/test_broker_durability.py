"""What a broker crash loses: a private Mosquitto on the configuration of
``smartcity mqtt broker-config`` (in tmp_path, on a free port), killed with SIGKILL while the
platform is down, and started again on the same configuration. The platform's real bridge,
with its persistent session, then stores every QoS 1 message the broker acknowledged before
the crash; with Mosquitto's own autosave (every 30 minutes) it stores none of them."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from smartcity.core.tokens import create_token
from smartcity.sensors.models import Observation
from smartcity.sensors.mqtt import accounts, broker_setup
from smartcity.sensors.mqtt.bridge import MqttBridge
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.mqtt.conftest import (
    MOSQUITTO,
    Broker,
    Client,
    add_bridge_account,
    configure,
    free_port,
    start_mosquitto,
    stop_mosquitto,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(MOSQUITTO).exists(), reason="mosquitto is not installed"),
]
N = 200  # QoS 1 messages published while the platform is down
QOS0, SENTINEL = -1, -2  # the results of a QoS 0 message, and of one published after



def _body(result: int) -> bytes:
    second = max(result, 0)
    stamp = f"2026-12-01T10:{second // 60:02d}:{second % 60:02d}Z"
    return json.dumps({"result": result, "phenomenonTime": stamp}).encode()


def _bridge(broker: Broker, group: str) -> MqttBridge:
    """The platform's bridge with its persistent session, connected and subscribed."""
    bridge = MqttBridge(
        broker.bridge_url, group=group, root_url="http://testserver/sta/v1.1/", persistent=True
    )
    bridge.start()
    assert bridge.subscribed.wait(15), "the bridge could not subscribe"
    return bridge


@pytest.mark.parametrize("unit", ["seconds", "changes", None],
                         ids=["generated", "after-every-change", "without-autosave"])
def test_a_broker_killed_while_the_platform_is_down_keeps_what_it_acknowledged(
    unit, tmp_path, settings, monkeypatch
):
    """The generated configuration saves once a second (the default); saving after every
    change also keeps a message acknowledged just before the kill."""
    settings.DATA_DIR = tmp_path / "data"  # the bridge's slot, and so its client id
    autosave = unit is not None
    if unit == "changes":
        monkeypatch.setenv("SMARTCITY_MQTT_BROKER_AUTOSAVE_UNIT", "changes")
    port = free_port()
    conf = configure(tmp_path / "broker", port, autosave=broker_setup.autosave_from_settings())
    if not autosave:  # Mosquitto's default: a save every 1800 s and when it stops
        lines = conf.read_text().splitlines()
        conf.write_text("\n".join(x for x in lines if not x.startswith("autosave")) + "\n")
    process = start_mosquitto(conf, port)
    try:
        broker = Broker(port)
        add_bridge_account(broker)
        monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", broker.admin_url)
        stream = make_thing_with_datastream()[1]
        add_observations(stream, [("2026-11-01T00:00:00Z", 0)])  # generates the feature
        token, secret = create_token("Messstation", ["sta:write"])  # its broker account
        topic = f"v1.1/Datastreams({stream.pk})/Observations"
        group = f"durable-{uuid.uuid4().hex[:8]}"

        first = _bridge(broker, group)  # the persistent session, then "the platform is down"
        client_id = first.client_id
        first.stop()
        connection.close()

        device = Client(broker, accounts.username(token), secret)
        answers = device.publish_all(topic, [_body(i) for i in range(1, N + 1)])
        assert [a for a in answers if a.is_failure] == []
        device.client.publish(topic, _body(QOS0), qos=0)
        # Mosquitto sends a PUBACK while it handles the PUBLISH and writes its database at
        # the end of that pass of its event loop: an answer to a later packet (this SUBACK)
        # means the pass that acknowledged the last message has ended
        assert not device.subscribe(topic).is_failure
        device.close()
        if unit == "seconds":
            time.sleep(3)  # the broker compares whole seconds: a save within two of them

        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        process = start_mosquitto(conf, port)

        second = _bridge(broker, group)
        try:
            assert second.client_id == client_id  # the same session, if the broker kept it
            late = Client(broker, accounts.username(token), secret)
            assert not late.publish(topic, _body(SENTINEL)).is_failure
            late.close()
            # queued messages come before the sentinel and are stored in the same or an
            # earlier transaction: once it is stored, all that came back is
            stored = Observation.objects.filter(datastream=stream)
            assert wait_for(lambda: stored.filter(result_number=SENTINEL).exists())
        finally:
            second.stop()
            connection.close()
        kept = stored.exclude(result_number__in=[0, SENTINEL])
        results = sorted(int(r) for r in kept.values_list("result_number", flat=True))
        # QoS 0 is never queued for an offline session, crash or not
        assert results == (list(range(1, N + 1)) if autosave else [])
    finally:
        stop_mosquitto(process)
