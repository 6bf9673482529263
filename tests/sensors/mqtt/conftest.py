"""A private Mosquitto with the dynamic security plugin, set up as an operator would
(``smartcity mqtt broker-config --write`` and the roles of ``smartcity mqtt sync``), on a
free loopback port: the shared broker of other test runs is never touched."""

from __future__ import annotations

import contextlib
import getpass
import queue
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from smartcity.sensors.mqtt import accounts, broker_setup
from smartcity.sensors.mqtt.dynsec import Dynsec

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
ADMIN, ADMIN_PASSWORD = "admin", "admin-password-for-tests"
BRIDGE, BRIDGE_PASSWORD = "smartcity-bridge", "bridge-password-for-tests"


@dataclass(frozen=True)
class Broker:
    port: int

    @property
    def admin_url(self) -> str:
        return f"mqtt://{ADMIN}:{ADMIN_PASSWORD}@127.0.0.1:{self.port}"

    @property
    def bridge_url(self) -> str:
        return f"mqtt://{BRIDGE}:{BRIDGE_PASSWORD}@127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configure(folder: Path, port: int, **options: Any) -> Path:
    """The broker's folder as ``smartcity mqtt broker-config --write`` leaves it (with
    ``options`` of broker_setup.write: host, autosave, tls); its mosquitto.conf."""
    conf = broker_setup.write(
        folder,
        port=port,
        plugin=broker_setup.find_plugin(),
        admin_user=ADMIN,
        admin_password=ADMIN_PASSWORD,
        **{"host": "127.0.0.1", **options},
    )
    with conf.open("a") as handle:  # mosquitto started by root would switch to its own user
        handle.write(f"user {getpass.getuser()}\n")
    return conf


def start_mosquitto(conf: Path, port: int) -> subprocess.Popen[bytes]:
    """Mosquitto on ``conf`` once it accepts connections on ``port``; its output goes to
    mosquitto.log beside the config."""
    log = conf.parent / "mosquitto.log"
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own broker binary and config
            [MOSQUITTO, "-c", str(conf)], stdout=output, stderr=subprocess.STDOUT
        )
    for _ in range(100):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return process
        if process.poll() is not None:
            pytest.fail("mosquitto did not start: " + log.read_text())
        time.sleep(0.1)
    process.kill()
    process.wait(timeout=10)
    pytest.fail("mosquitto did not accept connections: " + log.read_text())


def stop_mosquitto(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def add_bridge_account(broker: Broker) -> None:
    """The roles, the anonymous group and the bridge's account, as ``smartcity mqtt sync``."""
    answers = Dynsec(broker.admin_url).run(accounts.base_commands(BRIDGE, BRIDGE_PASSWORD))
    assert [a for a in answers if "error" in a and "exists" not in a["error"]] == []


@pytest.fixture(scope="session")
def secured_broker() -> Iterator[Broker]:
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="smartcity_dynsec_"))
    process = start_mosquitto(configure(folder, port), port)
    try:
        broker = Broker(port)
        add_bridge_account(broker)
        yield broker
    finally:
        stop_mosquitto(process)
        shutil.rmtree(folder, ignore_errors=True)


class Client:
    """A plain MQTT 5 client as a device or dashboard uses the broker; records the reason
    codes the broker answers with."""

    def __init__(self, broker: Broker, username: str | None = None, password: str = "") -> None:
        self.received: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.acks: dict[int, mqtt.ReasonCode] = {}
        self.connected: queue.Queue[mqtt.ReasonCode] = queue.Queue()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        if username:
            self.client.username_pw_set(username, password)
        self.client.on_message = lambda c, u, message: self.received.put(message)
        self.client.on_connect = lambda c, u, f, reason, p: self.connected.put(reason)
        self.client.on_publish = lambda c, u, mid, reason, p: self.acks.__setitem__(mid, reason)
        self.client.on_subscribe = lambda c, u, mid, reasons, p: self.acks.__setitem__(
            mid, reasons[0]
        )
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        self.accepted = not self.connected.get(timeout=5).is_failure

    def _answer(self, mid: int) -> mqtt.ReasonCode:
        deadline = time.monotonic() + 5
        while mid not in self.acks and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.acks[mid]

    def subscribe(self, topic: str) -> mqtt.ReasonCode:
        return self._answer(self.client.subscribe(topic, qos=1)[1])

    def publish(self, topic: str, payload: bytes | str) -> mqtt.ReasonCode:
        return self._answer(self.client.publish(topic, payload, qos=1).mid)

    def publish_all(self, topic: str, payloads: list[bytes]) -> list[mqtt.ReasonCode]:
        """Publish all at QoS 1 without waiting in between; the broker's answers, in order."""
        mids = [self.client.publish(topic, payload, qos=1).mid for payload in payloads]
        return [self._answer(mid) for mid in mids]

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def wait_for(check, seconds: float = 30.0):
    """``check()`` once it is truthy, polled for at most ``seconds``; else its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    return check()
