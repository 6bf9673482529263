"""MQTT ingest: observations published with QoS 1 to v1.1/Datastreams(N)/Observations by
several publishers for a fixed time, against a real Mosquitto broker (one this script
starts, or --broker), into a `smartcity serve` with SMARTCITY_MQTT_URL set. Afterwards the store
must hold every acknowledged message: the rate counts stored observations over the time
until the last one was stored.

Baseline in the same run: the same publishers and messages to a topic nobody stores, with
one plain subscriber counting them: what broker and clients carry on this machine.

    .venv/bin/python bench/bench_mqtt.py [--store sqlite|postgres] [--quick]

Target (issue 3): at least 10,000 observations/s sustained for 60 s, zero loss.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import (
    count_observations,
    create_datastreams,
    free_port,
    heading,
    parse_args,
    running_server,
)

from smartcity.sensors.mqtt import packets, sockets, wire

TARGET = 10_000
WINDOW, BLOCK = 1000, 200  # a publisher's messages awaiting PUBACK; built and sent at once
START = datetime(2026, 1, 1, tzinfo=UTC)


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, help="publishing time (default 60; --quick 10)")
    parser.add_argument("--publishers", type=int, default=4, help="publishing clients")
    parser.add_argument("--streams", type=int, default=20, help="Datastreams published to")
    parser.add_argument("--workers", type=int, default=1, help="server processes sharing the "
                        "subscription (PostgreSQL only; the embedded store has one)")
    parser.add_argument("--announce-qos", type=int, choices=(0, 1), default=0,
                        help="SMARTCITY_MQTT_ANNOUNCE_QOS of the server (default 0, as the "
                        "platform's)")
    parser.add_argument("--broker", help="host:port of a broker to use instead of the one this "
                        "script starts (a Mosquitto on a free loopback port that queues without "
                        "limit, as a zero-loss deployment must be configured)")


def _publisher(host: str, port: int, topics: list[str], publishers: int, index: int,
               seconds: float, raw: bool, acknowledged: Any) -> None:
    """One publishing process (a device gateway): QoS 1 for ``seconds`` with at most
    WINDOW messages awaiting their PUBACK, then the number the broker acknowledged into
    ``acknowledged[index]``. It speaks MQTT 3.1.1 with the packets of mqtt.wire on a plain
    socket, so that the load generator costs little of the machine the server runs on."""
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(packets.connect_packet(f"bench-{index}-{time.time_ns()}", clean_session=True,
                                     keepalive=0))
    buffer = bytearray()
    unacked: set[int] = set()

    def read(at_most: int) -> None:
        """Read PUBACKs until at most ``at_most`` messages await theirs."""
        while len(unacked) > at_most:
            data = sock.recv(1 << 16)
            if not data:
                raise OSError("the broker closed the connection")
            buffer.extend(data)
            _, others, used = packets.read(buffer, 0)
            del buffer[:used]
            for first, body in others:
                if first == packets.PUBACK:
                    unacked.discard(body[0] << 8 | body[1])

    sockets.connack(sock)  # raises unless the broker accepts
    deadline = time.monotonic() + seconds
    n = done = 0
    while time.monotonic() < deadline:
        block = []
        for _ in range(BLOCK):
            when = START + timedelta(milliseconds=n * publishers + index)
            body = json.dumps({"result": round(10 + n % 100 / 10, 1),
                               "phenomenonTime": when.isoformat().replace("+00:00", "Z")})
            topic = "bench/raw" if raw else topics[(n + index) % len(topics)]
            pid = n % 65535 + 1
            unacked.add(pid)
            block.append(packets.publish_packet(topic, body.encode(), qos=1, pid=pid))
            n += 1
        sock.sendall(b"".join(block))
        read(WINDOW - BLOCK)
    read(0)
    done = n
    sock.sendall(bytes([packets.DISCONNECT, 0]))
    sock.close()
    acknowledged[index] = done


def publish(host: str, port: int, topics: list[str], publishers: int, seconds: float,
            raw: bool) -> int:
    """Publish from ``publishers`` processes (each its own connection and interpreter, as
    devices are) for ``seconds``; the number acknowledged."""
    context = multiprocessing.get_context("spawn")
    acknowledged = context.Array("q", publishers)
    processes = [
        context.Process(target=_publisher, args=(host, port, topics, publishers, i, seconds,
                                                 raw, acknowledged))
        for i in range(publishers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return sum(acknowledged)


def baseline(host: str, port: int, publishers: int, seconds: float) -> tuple[int, float]:
    """The same publishers to a topic that one subscriber, with the bridge's client
    (mqtt.wire) and QoS 1, only counts and acknowledges."""
    received = [0]
    last = [time.monotonic()]
    subscribed = threading.Event()
    subscriber: wire.Connection

    def take(messages: list[packets.Message]) -> None:
        received[0] += len(messages)
        last[0] = time.monotonic()
        subscriber.ack(messages)

    subscriber = wire.Connection(
        host, port, client_id=f"bench-baseline-{time.time_ns()}",
        subscriptions=[("bench/raw", 1)], on_messages=take,
        on_subscribed=lambda refused: subscribed.set(),
    )
    subscriber.start()
    subscribed.wait(10)
    began = time.monotonic()
    sent = publish(host, port, [], publishers, seconds, raw=True)
    deadline = time.monotonic() + 60
    while received[0] < sent and time.monotonic() < deadline:
        time.sleep(0.1)
    subscriber.stop()
    return received[0], last[0] - began


def newest_id(server: Any) -> int:
    with server.client() as client:
        response = client.get("Observations", params={"$orderby": "id desc", "$top": "1",
                                                       "$select": "id"})
        response.raise_for_status()
        found = response.json()["value"]
        return int(found[0]["@iot.id"]) if found else 0


class Announcements:
    """A dashboard subscribed to one Datastream's Observations (with mqtt.wire, QoS 0): it
    counts the representations the platform announces there (the devices' own messages to
    that topic reach it too, and are not counted)."""

    def __init__(self, host: str, port: int, stream: int) -> None:
        self.count = 0
        self.last = time.monotonic()
        subscribed = threading.Event()
        self.connection = wire.Connection(
            host, port, client_id=f"bench-dashboard-{time.time_ns()}",
            subscriptions=[(f"v1.1/Datastreams({stream})/Observations", 0)],
            on_messages=self._take, on_subscribed=lambda refused: subscribed.set(),
            ignore=packets.Ignore(b'{"@iot.id":', b'"@iot.selfLink":'),
        )
        self.connection.start()
        subscribed.wait(10)

    def _take(self, messages: list[packets.Message | int]) -> None:
        found = sum(1 for m in messages if type(m) is int)  # the announcements
        if found:
            self.count += found
            self.last = time.monotonic()

    def wait_for(self, expected: int, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        while self.count < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        self.connection.stop()
        return self.count


@contextlib.contextmanager
def own_broker() -> Iterator[str]:
    """A private Mosquitto on a free loopback port. Mosquitto's defaults drop QoS 1 messages
    for a subscriber once 1,000 are queued for it; a platform that must lose nothing sets
    max_queued_messages to 0 (no limit), as here."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="smartcity_broker_"))
    conf = folder / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n"
                    "max_queued_messages 0\nmax_inflight_messages 1000\n")
    process = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    args = parse_args(__doc__.splitlines()[0], options)
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    heading(f"bench_mqtt: {args.publishers} publishers, QoS 1, {seconds:g} s, "
            f"{args.workers} server process(es), announcements at QoS {args.announce_qos}", args)
    with contextlib.ExitStack() as stack:
        broker = args.broker or stack.enter_context(own_broker())
        return measure(args, broker, seconds)


def measure(args: argparse.Namespace, broker: str, seconds: float) -> int:
    host, port = broker.split(":")
    settings = {"SMARTCITY_MQTT_URL": f"mqtt://{host}:{port}",
                "SMARTCITY_MQTT_ANNOUNCE_QOS": str(args.announce_qos)}
    with running_server(args.store, settings, workers=args.workers) as server:
        streams = create_datastreams(server, things=max(1, args.streams // 5),
                                     streams_per_thing=5)[:args.streams]
        with server.client() as client:  # generates each stream's FeatureOfInterest
            for stream in streams:
                client.post("Observations", content=json.dumps(
                    {"result": 0, "phenomenonTime": "2025-12-31T00:00:00Z",
                     "Datastream": {"@iot.id": stream}}),
                    headers={"Content-Type": "application/json"})
        watcher = Announcements(host, int(port), streams[0])
        time.sleep(1.0)  # the bridge subscribes
        before = count_observations(server)
        newest_before = newest_id(server)
        first_before = count_observations(server, streams[0])
        topics = [f"v1.1/Datastreams({s})/Observations" for s in streams]
        began = time.monotonic()
        sent = publish(host, int(port), topics, args.publishers, seconds, raw=False)
        published = time.monotonic() - began
        stored, deadline = 0, time.monotonic() + 600
        while time.monotonic() < deadline:
            # the newest id is one index step, a count of millions of rows is not (it would
            # take a core of PostgreSQL's from the run); the count, once ids say all is in
            if newest_id(server) - newest_before >= sent:
                stored = count_observations(server) - before
                if stored >= sent:
                    break
            time.sleep(1.0)
        elapsed = time.monotonic() - began
        expected = count_observations(server, streams[0]) - first_before
        announced = watcher.wait_for(expected, 120)
        lag = watcher.last - began - elapsed
    base_count, base_seconds = baseline(host, int(port), args.publishers, seconds)
    rate = stored / elapsed if elapsed else 0.0
    print(f"  ours:     {rate:>10,.0f} observations/s stored ({stored:,} of {sent:,} acknowledged "
          f"in {elapsed:.1f} s; publishing took {published:.1f} s)")
    print(f"  baseline: {base_count / base_seconds:>10,.0f} messages/s through the broker to one "
          f"subscriber ({base_count:,} in {base_seconds:.1f} s)")
    print(f"  announced: {announced:,} of the {expected:,} observations stored for Datastream "
          f"{streams[0]} reached a subscriber of its topic, the last {lag:+.1f} s after all "
          "were stored")
    lost = sent - stored
    met = "met" if rate >= TARGET and lost == 0 else "MISSED"
    print(f"  target:   >= {TARGET:,}/s, zero loss: {met}"
          f"{'' if lost == 0 else f' ({lost:,} MISSING)'}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
