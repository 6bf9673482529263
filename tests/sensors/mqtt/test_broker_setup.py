"""The broker configuration of ``smartcity mqtt broker-config``: durability, the listeners'
address and port, TLS; and a real Mosquitto on it with TLS and client certificates (made
here with the openssl command), reached by the platform's own client."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from smartcity import cli
from smartcity.core import config
from smartcity.core.tokens import create_token
from smartcity.sensors.models import Observation
from smartcity.sensors.mqtt import accounts, broker_setup, sockets
from smartcity.sensors.mqtt.bridge import MqttBridge
from smartcity.sensors.mqtt.dynsec import Dynsec
from smartcity.sensors.mqtt.packets import connect_packet
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.mqtt.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    BRIDGE,
    BRIDGE_PASSWORD,
    MOSQUITTO,
    configure,
    free_port,
    start_mosquitto,
    stop_mosquitto,
)

OPENSSL = shutil.which("openssl")


def _config(capsys, *argv: str) -> str:
    assert cli.main(["mqtt", "broker-config", "--dir", "/srv/broker", *argv]) == 0
    return capsys.readouterr().out


def _listeners(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("listener ")]


# -- the generated configuration ----------------------------------------------------------


def test_the_queue_is_saved_every_second_and_the_broker_listens_on_loopback(capsys):
    text = _config(capsys)
    lines = text.splitlines()
    assert {"persistence true", "autosave_on_changes false", "autosave_interval 1"} <= set(lines)
    assert "persistence_location /srv/broker/" in lines
    assert _listeners(text) == ["listener 1883 127.0.0.1"]
    assert not any(line.startswith(("certfile", "cafile")) for line in lines)


def test_address_port_and_autosave_come_from_the_settings(capsys, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_HOST", "10.0.0.5")
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_PORT", "1884")
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_AUTOSAVE", "100")
    text = _config(capsys)
    assert _listeners(text) == ["listener 1884 10.0.0.5"]
    assert "autosave_interval 100" in text.splitlines()
    assert _listeners(_config(capsys, "--host", "", "--port", "1885")) == ["listener 1885"]

    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_AUTOSAVE_UNIT", "changes")
    lines = _config(capsys).splitlines()
    assert "autosave_on_changes true" in lines and "autosave_interval 100" in lines


def test_with_tls_the_plain_listener_is_on_loopback_or_off(capsys, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_HOST", "0.0.0.0")  # noqa: S104 - the point
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_TLS_CERT", "/etc/broker/cert.pem")
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_TLS_KEY", "/etc/broker/key.pem")
    text = _config(capsys)
    assert _listeners(text) == ["listener 1883 127.0.0.1", "listener 8883 0.0.0.0"]
    tls_part = text.split("listener 8883 0.0.0.0\n")[1].splitlines()
    assert tls_part == ["certfile /etc/broker/cert.pem", "keyfile /etc/broker/key.pem"]

    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_TLS_CLIENT_CA", "/etc/broker/devices.pem")
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_TLS_PORT", "8884")
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_PLAIN_LISTENER", "off")
    text = _config(capsys)
    assert _listeners(text) == ["listener 8884 0.0.0.0"]
    tail = text.split("listener 8884 0.0.0.0\n")[1].splitlines()
    assert "cafile /etc/broker/devices.pem" in tail and "require_certificate true" in tail


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"SMARTCITY_MQTT_BROKER_TLS_CERT": "/etc/c.pem"}, "needs both"),
        ({"SMARTCITY_MQTT_BROKER_TLS_CLIENT_CA": "/etc/ca.pem"}, "needs a TLS listener"),
        (
            {"SMARTCITY_MQTT_BROKER_TLS_CERT": "c.pem", "SMARTCITY_MQTT_BROKER_TLS_KEY": "/k"},
            "SMARTCITY_MQTT_BROKER_TLS_CERT must be an absolute path",
        ),
        ({"SMARTCITY_MQTT_BROKER_HOST": "127.0.0.1\nallow_anonymous true"}, "not '127.0.0.1"),
        ({"SMARTCITY_MQTT_BROKER_PORT": "70000"}, "from 1 to 65535, not 70000"),
        ({"SMARTCITY_MQTT_BROKER_AUTOSAVE": "0"}, "AUTOSAVE must be at least 1"),
        (
            {
                "SMARTCITY_MQTT_BROKER_TLS_CERT": "/etc/c.pem",
                "SMARTCITY_MQTT_BROKER_TLS_KEY": "/etc/k.pem",
                "SMARTCITY_MQTT_BROKER_TLS_PORT": "1883",
            },
            "must differ",
        ),
    ],
)
def test_a_configuration_mosquitto_would_misread_is_refused(
    environment, message, capsys, monkeypatch
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["mqtt", "broker-config", "--dir", "/srv/broker"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


@pytest.mark.django_db
def test_writing_with_missing_certificate_files_writes_nothing(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", "mqtt://admin:geheim-und-lang@127.0.0.1:1883")
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_TLS_CERT", str(tmp_path / "cert.pem"))
    monkeypatch.setenv("SMARTCITY_MQTT_BROKER_TLS_KEY", str(tmp_path / "key.pem"))
    argv = ["mqtt", "broker-config", "--write", "--dir", str(tmp_path / "broker")]
    assert cli.main(argv) == 2
    assert "cert.pem" in capsys.readouterr().err
    assert not (tmp_path / "broker").exists()


# -- a real broker with TLS -----------------------------------------------------------------


def _openssl(*args: str | Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *map(str, args)], check=True, capture_output=True)  # noqa: S603


def _authority(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return cert, key


def _signed(folder: Path, name: str, authority: tuple[Path, Path], usage: str) -> tuple[Path, Path]:
    cert, key, request = folder / f"{name}.pem", folder / f"{name}.key", folder / f"{name}.csr"
    extensions = folder / f"{name}.ext"
    extensions.write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        f"extendedKeyUsage={usage}\nsubjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
    )
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", request, "-subj", f"/CN={name}",
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", request, "-CA", authority[0], "-CAkey", authority[1],
        "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", extensions,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_broker(tmp_path, monkeypatch):
    """Mosquitto with a TLS listener whose certificate the city's CA signed, asking clients
    for a certificate of the devices' CA; the plain listener on loopback. The platform
    trusts the city's CA and has a device certificate (SMARTCITY_MQTT_TLS_*)."""
    if not Path(MOSQUITTO).exists() or OPENSSL is None:
        pytest.skip("mosquitto or openssl is not installed")
    city, devices = _authority(tmp_path, "city-ca"), _authority(tmp_path, "device-ca")
    cert, key = _signed(tmp_path, "broker", city, "serverAuth")
    platform_cert, platform_key = _signed(tmp_path, "platform", devices, "clientAuth")
    plain, port = free_port(), free_port()
    tls = broker_setup.Tls(str(cert), str(key), client_ca=str(devices[0]), port=port)
    process = start_mosquitto(configure(tmp_path / "broker", plain, tls=tls), port)
    monkeypatch.setenv("SMARTCITY_MQTT_TLS_CA", str(city[0]))
    monkeypatch.setenv("SMARTCITY_MQTT_TLS_CLIENT_CERT", str(platform_cert))
    monkeypatch.setenv("SMARTCITY_MQTT_TLS_CLIENT_KEY", str(platform_key))
    yield port
    stop_mosquitto(process)


def _connect(port: int, context: ssl.SSLContext) -> None:
    connect = connect_packet(f"probe-{uuid.uuid4().hex[:6]}", clean_session=True, keepalive=5)
    sock, _ = sockets.open_connection("127.0.0.1", port, context, connect)
    sock.close()


@pytest.mark.django_db(transaction=True)
def test_the_platform_and_a_device_use_the_broker_over_tls(tls_broker, monkeypatch, settings):
    port = tls_broker
    admin_url = f"mqtts://{ADMIN}:{ADMIN_PASSWORD}@127.0.0.1:{port}"
    answers = Dynsec(admin_url).run(accounts.base_commands(BRIDGE, BRIDGE_PASSWORD))
    assert [a for a in answers if "error" in a] == []
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", admin_url)
    stream = make_thing_with_datastream()[1]
    add_observations(stream, [("2026-11-01T00:00:00Z", 0)])
    token, secret = create_token("Messstation", ["sta:write"])  # its account, over TLS
    bridge = MqttBridge(
        f"mqtts://{BRIDGE}:{BRIDGE_PASSWORD}@127.0.0.1:{port}",
        group=f"tls-{uuid.uuid4().hex[:8]}",
        root_url="http://testserver/sta/v1.1/",
        persistent=False,
    )
    bridge.start()
    try:
        assert bridge.subscribed.wait(15), "the bridge could not subscribe over TLS"
        device = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        device.tls_set_context(sockets.tls_context())  # the city's CA, a device certificate
        device.username_pw_set(accounts.username(token), secret)
        device.connect("127.0.0.1", port)
        device.loop_start()
        body = {"result": 42.5, "phenomenonTime": "2026-12-01T10:00:00Z"}
        topic = f"v1.1/Datastreams({stream.pk})/Observations"
        device.publish(topic, json.dumps(body), qos=1).wait_for_publish(10)
        device.loop_stop()
        device.disconnect()
        stored = Observation.objects.filter(datastream=stream, result_number=42.5)
        deadline = time.monotonic() + 15
        while not stored.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored.exists()
    finally:
        bridge.stop()
        connection.close()


def test_the_broker_refuses_clients_without_a_certificate_and_is_verified(tls_broker):
    port = tls_broker
    _connect(port, sockets.tls_context())  # the platform's: accepted
    with pytest.raises(ssl.SSLCertVerificationError):  # the system's CAs do not know the city's
        _connect(port, ssl.create_default_context())
    without_certificate = ssl.create_default_context(cafile=config.get("MQTT_TLS_CA"))
    # the same but for the platform's certificate: TLS 1.3 reports the refusal on the first
    # read, as the broker's alert (certificate required) or an end of the connection
    with pytest.raises(OSError):
        _connect(port, without_certificate)
