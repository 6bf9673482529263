"""Device accounts at a real Mosquitto with the dynamic security plugin: the broker lets a
device publish only where its token allows, everybody read, and nobody else write."""

from __future__ import annotations

import json
import logging
import os
import time
import uuid

import pytest
from django.db import connection

from smartcity.core.models import ApiToken
from smartcity.core.tokens import create_token, revoke_token, rotate_token
from smartcity.sensors import grants
from smartcity.sensors.models import Observation, TokenGrant
from smartcity.sensors.mqtt import accounts
from smartcity.sensors.mqtt.bridge import MqttBridge
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.mqtt.conftest import Broker, Client, free_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
NOT_AUTHORIZED = 0x87



@pytest.fixture
def broker(secured_broker: Broker, monkeypatch) -> Broker:
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", secured_broker.admin_url)
    monkeypatch.setenv("SMARTCITY_MQTT_URL", secured_broker.bridge_url)
    return secured_broker


@pytest.fixture
def bridge(broker):
    running = MqttBridge(
        broker.bridge_url,
        group=f"test-{uuid.uuid4().hex[:8]}",
        root_url="http://testserver/sta/v1.1/",
        persistent=False,
    )
    running.start()
    assert running.subscribed.wait(10), "the bridge could not connect"
    time.sleep(0.2)  # the SUBACK
    yield running
    running.stop()
    connection.close()


@pytest.fixture
def streams():
    made = [make_thing_with_datastream()[1] for _ in range(2)]
    for stream in made:
        add_observations(stream, [("2026-11-01T00:00:00Z", 0)])  # generates the feature
    return made


@pytest.fixture
def clients():
    opened: list[Client] = []

    def connect(broker: Broker, username: str | None = None, password: str = "") -> Client:
        opened.append(Client(broker, username, password))
        return opened[-1]

    yield connect
    for client in opened:
        client.close()


def _device(stream_pks: list[int]) -> tuple[ApiToken, str]:
    token, secret = create_token("Messstation", ["sta:observe"], datastreams=stream_pks)
    assert grants.broker_account(token) == accounts.PROVISIONED
    return token, secret


def test_a_device_publishes_to_its_datastream_and_the_observation_is_stored(
    broker, bridge, streams, clients
):
    own, other = streams
    token, secret = _device([own.pk])
    device = clients(broker, accounts.username(token), secret)
    assert device.accepted
    answer = device.publish(f"v1.1/Datastreams({own.pk})/Observations", json.dumps({"result": 4.5}))
    assert not answer.is_failure
    assert wait_for(lambda: Observation.objects.filter(datastream=own, result=4.5).exists())
    # the topic decides the Datastream, not a Datastream in the body
    body = json.dumps({"result": 4.75, "Datastream": {"@iot.id": other.pk}})
    device.publish(f"v1.1/Datastreams({own.pk})/Observations", body)
    assert wait_for(lambda: Observation.objects.filter(datastream=own, result=4.75).exists())
    # the same device may not write into another Datastream, nor the whole collection
    topic = f"v1.1/Datastreams({other.pk})/Observations"
    assert device.publish(topic, json.dumps({"result": 5.5})).value == NOT_AUTHORIZED
    body = json.dumps({"result": 6.5, "Datastream": {"@iot.id": other.pk}})
    assert device.publish("v1.1/Observations", body).value == NOT_AUTHORIZED
    time.sleep(0.5)
    assert not Observation.objects.filter(result__in=[5.5, 6.5]).exists()


def test_a_device_of_sensorthings_1_0_publishes_to_v1_0(broker, bridge, streams, clients):
    token, secret = _device([streams[0].pk])
    device = clients(broker, accounts.username(token), secret)
    device.publish(f"v1.0/Datastreams({streams[0].pk})/Observations", '{"result": 10.25}')
    stored = Observation.objects.filter(datastream=streams[0], result=10.25)
    assert wait_for(stored.exists)


def test_a_full_write_token_publishes_to_the_observations_collection(
    broker, bridge, streams, clients
):
    token, secret = create_token("Importer", ["sta:write"])
    assert grants.broker_account(token) == accounts.PROVISIONED
    service = clients(broker, accounts.username(token), secret)
    assert service.subscribe("$share/smartcity/v1.1/Observations").is_failure
    body = json.dumps({"result": 8.75, "Datastream": {"@iot.id": streams[1].pk}})
    assert not service.publish("v1.1/Observations", body).is_failure
    assert wait_for(lambda: Observation.objects.filter(datastream=streams[1], result=8.75).exists())
    assert service.publish("v1.1/Things", "{}").value == NOT_AUTHORIZED


def test_a_wrong_password_cannot_connect(broker, streams, clients):
    token, secret = _device([streams[0].pk])
    assert not clients(broker, accounts.username(token), secret + "x").accepted
    assert not clients(broker, "token-999999", secret).accepted


def test_anonymous_may_subscribe_to_announcements_but_not_publish(broker, bridge, streams, clients):
    topic = f"v1.1/Datastreams({streams[0].pk})/Observations"
    anonymous = clients(broker)
    assert anonymous.accepted
    assert not anonymous.subscribe(topic).is_failure
    assert anonymous.subscribe("$CONTROL/dynamic-security/#").is_failure
    assert anonymous.subscribe("$SYS/broker/log/M/subscribe").is_failure  # who follows what
    # nobody but the bridge may join its shared subscription and take messages from it
    assert anonymous.subscribe("$share/smartcity/v1.1/+/Observations").is_failure
    # (Mosquitto closes the connection of a client whose PUBLISH it refused)
    assert clients(broker).publish(topic, '{"result": 1.125}').value == NOT_AUTHORIZED
    token, secret = _device([streams[0].pk])
    clients(broker, accounts.username(token), secret).publish(topic, '{"result": 2.125}')
    # the announcement of the device's observation arrives (after the device's own message,
    # and maybe after the announcement of the fixture's first observation)
    body = json.loads(anonymous.received.get(timeout=10).payload)
    while "@iot.id" not in body or body["result"] != 2.125:
        body = json.loads(anonymous.received.get(timeout=10).payload)
    assert not Observation.objects.filter(result=1.125).exists()


def test_a_revoked_token_can_no_longer_connect(broker, streams, clients):
    token, secret = _device([streams[0].pk])
    connected = clients(broker, accounts.username(token), secret)
    assert connected.accepted
    assert revoke_token(str(token.pk)) == 1
    assert grants.broker_account(token) == ""
    assert wait_for(lambda: not connected.client.is_connected(), 5)  # kicked
    assert not clients(broker, accounts.username(token), secret).accepted


def test_an_unreachable_broker_keeps_the_intent_for_sync(
    monkeypatch, broker, streams, clients, caplog
):
    caplog.set_level(logging.WARNING, logger="smartcity.mqtt")
    reachable = os.environ["SMARTCITY_MQTT_ADMIN_URL"]
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", f"mqtt://admin:x@127.0.0.1:{free_port()}")
    created, secret = create_token("Offline", ["sta:observe"], datastreams=[streams[0].pk])
    kept, kept_secret = _device_when(monkeypatch, reachable, [streams[1].pk])
    assert grants.broker_account(created) == accounts.UNPROVISIONED
    assert revoke_token(str(kept.pk)) == 1
    assert grants.broker_account(kept) == accounts.DELETE_PENDING
    assert secret not in caplog.text and kept_secret not in caplog.text
    assert clients(broker, accounts.username(kept), kept_secret).accepted  # not yet deleted

    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", reachable)
    report = accounts.sync()
    assert report.errors == []
    assert report.deleted == [accounts.username(kept)]
    assert [t.pk for t in report.to_rotate] == [created.pk]
    assert not clients(broker, accounts.username(kept), kept_secret).accepted
    # the operator rotates the token: a new secret, and the account with it
    fresh = rotate_token(ApiToken.objects.get(pk=created.pk))
    assert grants.broker_account(created) == accounts.PROVISIONED
    assert clients(broker, accounts.username(created), fresh).accepted
    assert not clients(broker, accounts.username(created), secret).accepted


def test_rotating_ends_the_sessions_of_the_old_secret(broker, streams, clients):
    token, secret = _device([streams[0].pk])
    old = clients(broker, accounts.username(token), secret)
    assert old.accepted
    fresh = rotate_token(token)
    assert wait_for(lambda: not old.client.is_connected(), 5)
    assert not clients(broker, accounts.username(token), secret).accepted
    assert clients(broker, accounts.username(token), fresh).accepted


def _device_when(monkeypatch, admin_url: str, stream_pks: list[int]) -> tuple[ApiToken, str]:
    """A device provisioned while the broker is reachable, then the broker goes away."""
    unreachable = os.environ["SMARTCITY_MQTT_ADMIN_URL"]
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", admin_url)
    made = _device(stream_pks)
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", unreachable)
    return made


def test_sync_gives_a_provisioned_device_the_acls_its_token_has_now(broker, streams, clients):
    first, second = streams
    token, secret = _device([first.pk])
    TokenGrant.objects.filter(token_id=token.pk).update(datastreams=[second.pk])
    assert accounts.sync().errors == []
    device = clients(broker, accounts.username(token), secret)  # the password stayed
    assert not device.publish(f"v1.1/Datastreams({second.pk})/Observations", "{}").is_failure
    assert device.publish(f"v1.1/Datastreams({first.pk})/Observations", "{}").is_failure


def test_revoking_in_the_back_office_deletes_the_account(broker, streams, clients, rf):
    from django.contrib.admin.sites import site
    from django.utils import timezone

    token, secret = _device([streams[0].pk])
    token.revoked_at = timezone.now()
    form = type("Form", (), {"changed_data": ["revoked_at"]})()
    site._registry[ApiToken].save_model(rf.post("/"), token, form, True)
    assert grants.broker_account(token) == ""
    assert not clients(broker, accounts.username(token), secret).accepted


def test_a_bridge_without_its_rights_says_so(secured_broker, caplog):
    caplog.set_level(logging.ERROR, logger="smartcity.mqtt")
    anonymous = MqttBridge(
        f"mqtt://127.0.0.1:{secured_broker.port}", group="nobody", persistent=False
    )
    anonymous.start()
    try:
        assert wait_for(lambda: "refused a subscription of the platform" in caplog.text, 5)
    finally:
        anonymous.stop()


def test_a_malformed_administrator_url_is_logged_not_raised(monkeypatch, streams, caplog):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", "http://admin@broker")
    token, _ = create_token("Hbf", ["sta:observe"], datastreams=[streams[0].pk])
    assert grants.broker_account(token) == accounts.UNPROVISIONED
    assert "SMARTCITY_MQTT_ADMIN_URL must be" in caplog.text


def test_tokens_without_a_broker_administrator_get_no_account(monkeypatch, streams):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", "")
    token, _ = create_token("Hand-made", ["sta:observe"], datastreams=[streams[0].pk])
    assert grants.broker_account(token) == ""


def test_an_observe_token_needs_datastreams_and_only_it_has_them():
    with pytest.raises(ValueError, match="at least one Datastream"):
        create_token("x", ["sta:observe"])
    with pytest.raises(ValueError, match="only to a token with scope sta:observe"):
        create_token("x", ["sta:write"], datastreams=[1])
