"""The bridge's lean MQTT 3.1.1 client (OASIS MQTT 3.1.1): its connection,
against the real Mosquitto of the test run, and its reconnection against a private one
that the test stops and starts again. A bare socket peer plays the broker only where a
real broker cannot be made to misbehave (a refused CONNACK, a PUBACK that never comes)."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from smartcity.sensors.mqtt import packets, wire

BROKER = os.environ.get("SMARTCITY_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
HOST, PORT = BROKER.removeprefix("mqtt://").split(":")
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def _wait(check, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.02)
    return check()


# -- against the real broker ------------------------------------------------------------


class Receiver:
    def __init__(self, port: int, topic: str, *, keepalive: int = 30, **options) -> None:
        self.got: queue.Queue = queue.Queue()
        self.subscribed = threading.Event()
        self.connection = wire.Connection(
            HOST if port == int(PORT) else "127.0.0.1",
            port,
            client_id=f"test-wire-{uuid.uuid4().hex[:8]}",
            subscriptions=[(topic, 1)],
            on_messages=self._take,
            on_subscribed=lambda refused: self.subscribed.set(),
            keepalive=keepalive,
            **options,
        )

    def _take(self, messages: list) -> None:
        for message in messages:
            self.got.put(message)
        self.connection.ack(messages)

    def __enter__(self) -> Receiver:
        self.connection.start()
        assert self.subscribed.wait(10), "no SUBACK"
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.stop()


def _paho(port: int) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def test_messages_go_both_ways_with_a_plain_client_at_qos_1():
    topic = f"test/wire/{uuid.uuid4().hex[:8]}"
    received: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
    other = _paho(int(PORT))
    other.on_message = lambda c, u, message: received.put(message)
    other.subscribe(f"{topic}/out", qos=1)
    time.sleep(0.2)
    try:
        with Receiver(int(PORT), f"{topic}/in") as ours:
            other.publish(f"{topic}/in", b"hallo", qos=1).wait_for_publish(5)
            message = ours.got.get(timeout=5)
            assert (message.topic, message.payload, message.qos) == (f"{topic}/in", b"hallo", 1)
            sent = ours.connection.publish([(f"{topic}/out", b"a"), (f"{topic}/out", b"b")])
            assert sent == 2
            got = [received.get(timeout=5) for _ in range(2)]
            assert [(m.payload, m.qos) for m in got] == [(b"a", 1), (b"b", 1)]
            assert _wait(lambda: ours.connection.unacknowledged == 0)  # the PUBACKs came
    finally:
        other.loop_stop()
        other.disconnect()


def test_a_connection_that_only_publishes_sends_no_empty_subscribe():
    """A SUBSCRIBE without a topic filter is a protocol violation (clause 3.8.3), for which
    the broker would close the connection."""
    topic = f"test/wire/{uuid.uuid4().hex[:8]}"
    received: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
    other = _paho(int(PORT))
    other.on_message = lambda c, u, message: received.put(message)
    other.subscribe(topic, qos=1)
    time.sleep(0.2)
    connection = wire.Connection(HOST, int(PORT), client_id=f"test-wire-{uuid.uuid4().hex[:8]}",
                                 subscriptions=[], on_messages=lambda messages: None)
    connection.start()
    try:
        assert _wait(connection.connected.is_set, 5)
        assert connection.publish([(topic, b"nur senden")]) == 1
        assert received.get(timeout=5).payload == b"nur senden"
        time.sleep(0.5)
        assert connection.session == 1 and connection.connected.is_set()
    finally:
        connection.stop()
        other.loop_stop()
        other.disconnect()


def test_an_idle_connection_is_kept_alive_by_pings():
    """Keep alive 1 s: the broker closes a connection silent for 1.5 s (clause 3.1.2.10)
    unless the client pings; after 4 s the first connection is still the one in use."""
    with Receiver(int(PORT), f"test/wire/{uuid.uuid4().hex[:8]}", keepalive=1) as ours:
        time.sleep(4)
        assert ours.connection.session == 1 and ours.connection.connected.is_set()


@contextlib.contextmanager
def private_broker(port: int) -> Iterator[subprocess.Popen]:
    folder = Path(tempfile.mkdtemp(prefix="smartcity_wire_"))
    conf = folder / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
    process = subprocess.Popen(  # noqa: S603 - our own broker binary and config
        [MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert _wait(lambda: _accepts(port), 5), "mosquitto did not start"
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(not Path(MOSQUITTO).exists(), reason="mosquitto is not installed")
def test_after_the_broker_restarts_the_connection_comes_back_and_subscribes_again():
    port = _free_port()
    with private_broker(port):
        receiver = Receiver(port, "test/restart")
        receiver.__enter__()
    try:
        assert _wait(lambda: not receiver.connection.connected.is_set(), 5)
        receiver.subscribed.clear()
        with private_broker(port):
            assert receiver.subscribed.wait(15), "no new SUBACK after the restart"
            assert receiver.connection.session == 2
            other = _paho(port)
            other.publish("test/restart", b"wieder da", qos=1).wait_for_publish(5)
            assert receiver.got.get(timeout=5).payload == b"wieder da"
            other.loop_stop()
            other.disconnect()
    finally:
        receiver.__exit__()


# -- a bare peer where a real broker cannot be made to misbehave -------------------------


class Peer:
    """A listening socket that answers each connection as ``script`` says."""

    def __init__(self, script) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.seen: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, args=(script,), daemon=True)
        self.thread.start()

    def _serve(self, script) -> None:
        number = 0
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.server.accept()
                number += 1
                with conn:
                    script(self, conn, number)

    def close(self) -> None:
        self.server.close()


def test_a_refused_connection_is_logged_with_its_reason(caplog):
    caplog.set_level(logging.ERROR, logger="smartcity.mqtt")

    def refuse(peer, conn, number):
        conn.recv(1024)
        conn.sendall(bytes([packets.CONNACK, 2, 0, 4]))

    peer = Peer(refuse)
    connection = wire.Connection("127.0.0.1", peer.port, client_id="x", subscriptions=[],
                                 on_messages=lambda messages: None)
    connection.start()
    try:
        assert _wait(lambda: "bad user name or password" in caplog.text, 5)
        assert not connection.connected.is_set()
    finally:
        connection.stop()
        peer.close()


def test_an_unacknowledged_publish_is_sent_again_with_dup_after_a_reconnection():
    """Clause 4.4: on reconnecting, the client re-sends unacknowledged PUBLISH packets with
    their original packet identifiers (and the DUP flag, clause 3.3.1.1)."""
    firsts: list[int] = []
    pids: list[bytes] = []

    def script(peer, conn, number):
        conn.recv(1024)  # the CONNECT; the client waits for the CONNACK before more
        conn.sendall(bytes([packets.CONNACK, 2, 1 if number > 1 else 0, 0]))
        conn.settimeout(5)
        raw = bytearray()
        while True:
            raw += conn.recv(65536)
            while len(raw) >= 2 and len(raw) >= 2 + raw[1]:  # short packets only here
                first, body = raw[0], bytes(raw[2 : 2 + raw[1]])
                del raw[: 2 + len(body)]
                if first == packets.SUBSCRIBE:
                    conn.sendall(bytes([packets.SUBACK, 3]) + body[:2] + b"\x01")
                elif first & 0xF0 == packets.PUBLISH:
                    size = body[0] << 8 | body[1]
                    firsts.append(first)
                    pids.append(body[2 + size : 4 + size])
                    if number > 1:
                        conn.sendall(bytes([packets.PUBACK, 2]) + pids[-1])
                        time.sleep(1)
                    return  # the first time without a PUBACK: the connection just ends

    peer = Peer(script)
    subscribed = threading.Event()
    connection = wire.Connection("127.0.0.1", peer.port, client_id="x",
                                 subscriptions=[("t", 1)], on_messages=lambda messages: None,
                                 on_subscribed=lambda refused: subscribed.set())
    connection.start()
    try:
        assert subscribed.wait(5)
        assert connection.publish([("v1.1/Observations", b'{"result": 1}')]) == 1
        assert _wait(lambda: len(firsts) == 2, 10)
        assert firsts == [0x32, 0x3A]  # QoS 1, then QoS 1 with DUP
        assert pids[0] == pids[1]
        assert _wait(lambda: connection.unacknowledged == 0, 5)
    finally:
        connection.stop()
        peer.close()


def test_publishing_waits_while_the_broker_reads_nothing():
    """QoS 0 has no window: a broker that stops reading would otherwise let the queue of
    announcements grow without bound in the platform's memory."""
    reading = threading.Event()
    taken = [0]

    def script(peer, conn, number):
        conn.recv(1024)
        conn.sendall(bytes([packets.CONNACK, 2, 0, 0]))
        reading.wait(20)
        conn.settimeout(5)
        with contextlib.suppress(OSError):
            while data := conn.recv(1 << 20):
                taken[0] += len(data)

    peer = Peer(script)
    connection = wire.Connection("127.0.0.1", peer.port, client_id="x", subscriptions=[],
                                 on_messages=lambda messages: None)
    connection.start()
    assert _wait(connection.connected.is_set, 5)
    payload = b"x" * 60_000
    done = threading.Event()

    def announce() -> None:
        for _ in range(1000):  # 60 MB: the backlog and all socket buffers many times over
            connection.publish([("v1.1/Observations", payload)], qos=0)
        done.set()

    threading.Thread(target=announce, daemon=True).start()
    try:
        assert not done.wait(2), "publish() queued 60 MB for a broker that reads nothing"
        reading.set()
        assert done.wait(20)
        assert _wait(lambda: taken[0] >= 1000 * 60_000, 20)
    finally:
        connection.stop()
        peer.close()
