"""A lean MQTT 3.1.1 client (OASIS MQTT Version 3.1.1) for the bridge's own connection.

The bridge takes every Observation that devices publish, and sees each of its own
announcements come back through its subscription (the create topics are announcement
topics too): several messages per observation, tens of thousands a second. paho-mqtt
builds a message object with a ``threading.Condition`` and runs a callback for every one
of them, which capped the bridge at about half of the rate it must take. This client
does only what the bridge needs, in bulk:

* one network thread reads whatever the socket holds and splits it into packets at once
  (:func:`read`); the PUBLISH packets of one read reach the bridge as one list of
  :class:`Message` tuples;
* PUBACKs and PUBLISHes are built as bytes and queued by any thread (:meth:`Connection.ack`,
  :meth:`Connection.publish`); the network thread sends all that queued up in one write;
* QoS 1 both ways, a persistent or a clean session, user name and password, TLS, keep
  alive, reconnection with back-off. Outgoing QoS 1 messages not yet acknowledged are
  sent again, marked DUP, after a reconnection (clause 4.4).

Not here, because the bridge never needs them: QoS 2, retained messages, wills, and
MQTT 5. The bridge's subscription to the broker's log (mqtt.subscriptions) rides on the
same connection; the dynamic-security administration (mqtt.dynsec) and the tests use
paho-mqtt.

All socket I/O happens on the network thread, so a TLS connection is used by one thread
only, as OpenSSL requires.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from smartcity.sensors.mqtt import packets, sockets
from smartcity.sensors.mqtt.packets import (
    DISCONNECT,
    PINGREQ,
    PINGRESP,
    PUBACK,
    SUBACK,
    Ignore,
    Message,
    ProtocolError,
    connect_packet,
    read,
    subscribe_packet,
)

log = logging.getLogger("smartcity.mqtt")

WINDOW = 20_000  # outgoing QoS 1 messages awaiting their PUBACK, at most
BACKLOG = 8 << 20  # bytes queued for the broker before publish() waits


class Connection:
    """One connection to the broker, kept up by a network thread of its own until
    :meth:`stop`. ``on_messages`` runs on the network thread with the messages of one
    read; ``on_subscribed`` with the topic filters the broker refused (usually none) when
    it has answered the SUBSCRIBE of a new connection."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        client_id: str,
        subscriptions: Sequence[tuple[str, int]],
        on_messages: Callable[[list[Message | int]], None],
        on_subscribed: Callable[[list[str]], None] | None = None,
        clean_session: bool = True,
        username: str | None = None,
        password: str | None = None,
        tls: ssl.SSLContext | None = None,
        keepalive: int = 30,
        ignore: Ignore | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.client_id = client_id
        self.subscriptions = list(subscriptions)
        self.on_messages = on_messages
        self.on_subscribed = on_subscribed
        self.clean_session = clean_session
        self.username, self.password = username, password
        self.tls = tls
        self.keepalive = keepalive
        self.ignore = ignore
        self.session = 0  # the number of the current (or last) connection
        self.connected = threading.Event()
        self.dropped = 0  # announcements not sent because the broker was unreachable
        self._lock = threading.Condition()
        self._out: list[bytes] = []
        self._queued = 0  # bytes queued for the socket and not yet taken by it
        self._inflight: dict[int, bytes] = {}  # our QoS 1 PUBLISHes awaiting their PUBACK
        self._heads: dict[str, bytes] = {}  # topic -> its encoded form
        self._publishing = threading.Lock()  # one publishing thread at a time
        self._next = 0
        self._woken = False
        self._stopping = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._thread: threading.Thread | None = None

    # -- used by any thread ----------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="smartcity-mqtt-net", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        """Send what is queued and a DISCONNECT, then close."""
        self._stopping.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
        self._wake_r.close()
        self._wake_w.close()

    def ack(self, batch: Iterable[Message | int]) -> None:
        """Acknowledge delivered QoS 1 messages (as :func:`read` gives them), in the order
        given: clause 4.6 wants the order of arrival. Those of an earlier connection are
        left out: the broker sends them again on the new one."""
        session = self.session
        pids = []
        for m in batch:
            if isinstance(m, int):
                if m >> 16 == session:
                    pids.append(m & 0xFFFF)
            elif m.qos == 1 and m.session == session:
                pids.append(m.pid)
        if pids:
            self._queue(struct.pack("!" + "BBH" * len(pids), *packets.pubacks(pids)), session)

    def publish(self, items: Iterable[tuple[str, bytes]], qos: int = 1) -> int:
        """Queue PUBLISHes of (topic, payload); the number queued. While the broker is
        unreachable nothing is kept (the bridge's announcements are news, not records):
        they are counted in :attr:`dropped`. With :data:`WINDOW` QoS 1 messages awaiting
        acknowledgement, wait for the broker's PUBACKs."""
        if not self.connected.is_set():
            dropped = sum(1 for _ in items)
            self.dropped += dropped
            return 0
        heads, inflight = self._heads, self._inflight
        chunk: list[bytes] = []
        sent = 0
        with self._publishing:
            for topic, payload in items:
                head = heads.get(topic)
                if head is None:
                    if len(heads) > 10_000:
                        heads.clear()
                    head = heads[topic] = packets.text(topic)
                sent += 1
                if not qos:
                    chunk.append(packets.encoded_publish(head, payload, 0, 0))
                    continue
                if len(inflight) >= WINDOW:
                    self._send(chunk)
                    chunk = []
                    self._wait_for_window()
                pid = self._next
                while True:
                    pid = pid % 65535 + 1
                    if pid not in inflight:
                        break
                self._next = pid
                packet = inflight[pid] = packets.encoded_publish(head, payload, 1, pid)
                chunk.append(packet)
            self._send(chunk)
        return sent

    @property
    def unacknowledged(self) -> int:
        return len(self._inflight)

    def _send(self, packets: list[bytes]) -> None:
        """Queue PUBLISHes; with :data:`BACKLOG` bytes not yet taken by the socket, wait:
        a broker that reads slower than the platform announces must not fill its memory
        (QoS 0 has no window to stop it), and the changes wait meanwhile as ids, not as
        messages. Never called on the network thread."""
        if not packets:
            return
        data = b"".join(packets)
        with self._lock:
            self._wait(lambda: self._queued > BACKLOG, "takes no more bytes")
            if not self.connected.is_set():  # lost meanwhile: QoS 1 ones go again from
                self.dropped += len(packets)  # _inflight after the reconnection
                return
            self._out.append(data)
            self._queued += len(data)
            self._wake_locked()

    def _wait_for_window(self) -> None:
        with self._lock:
            self._wait(lambda: len(self._inflight) >= WINDOW, "acknowledges nothing")

    def _wait(self, busy: Callable[[], bool], what: str) -> None:
        """Wait (holding the lock) while ``busy()`` and connected; say so every 30 s."""
        since = time.monotonic()
        while busy() and self.connected.is_set():
            if not self._lock.wait(30) and busy():
                log.warning(
                    "MQTT broker %s:%s %s for %.0f s; announcements wait",
                    self.host,
                    self.port,
                    what,
                    time.monotonic() - since,
                )

    def _queue(self, data: bytes, session: int) -> None:
        with self._lock:
            if session == self.session and self.connected.is_set():
                self._out.append(data)
                self._queued += len(data)
                self._wake_locked()

    def _wake(self) -> None:
        with self._lock:
            self._wake_locked()

    def _wake_locked(self) -> None:
        if not self._woken:
            self._woken = True
            with contextlib.suppress(OSError):  # full: it is awake anyway
                self._wake_w.send(b"\0")

    # -- the network thread ----------------------------------------------------------------

    def _run(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            began = time.monotonic()
            try:
                self._connection()
            except ProtocolError as error:
                log.error("MQTT broker %s:%s: %s", self.host, self.port, error)
            except (OSError, TimeoutError) as error:
                if not self._stopping.is_set():
                    log.warning("MQTT connection to %s:%s lost: %s", self.host, self.port, error)
            except Exception:  # a fault of ours must not end the connection for good
                log.exception("MQTT connection to %s:%s failed", self.host, self.port)
            finally:
                with self._lock:  # wakes publishers waiting for this connection
                    self.connected.clear()
                    self._lock.notify_all()
            if time.monotonic() - began > 60:
                delay = 1.0  # it was up for a while: try again soon
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, 30.0)

    def _connection(self) -> None:
        connect = connect_packet(
            self.client_id,
            clean_session=self.clean_session,
            keepalive=self.keepalive,
            username=self.username,
            password=self.password,
        )
        sock, buffer = sockets.open_connection(self.host, self.port, self.tls, connect)
        try:
            with self._lock:
                self.session += 1
                # what an earlier connection left unsent is void, but for our own QoS 1
                # PUBLISHes, sent again with DUP set (clause 4.4)
                # a SUBSCRIBE must name at least one filter (clause 3.8.3)
                self._out = [subscribe_packet(1, self.subscriptions)] if self.subscriptions else []
                unacked = list(self._inflight.values())  # in one step: publish() may add
                self._out += [bytes([p[0] | 0x08]) + p[1:] for p in unacked]
                self._queued = sum(len(data) for data in self._out)
                self._lock.notify_all()
                self.connected.set()
            log.info("MQTT connected to %s:%s as %s", self.host, self.port, self.client_id)
            self._loop(sock, buffer)
        finally:
            sock.close()

    def _loop(self, sock: socket.socket, buffer: bytearray) -> None:
        sock.setblocking(False)
        selector = selectors.DefaultSelector()
        selector.register(sock, selectors.EVENT_READ, "sock")
        selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        unsent = memoryview(b"")
        writing = False
        last_sent = last_heard = time.monotonic()
        ping_due = self.keepalive / 2
        self._handle(buffer)
        try:
            while True:
                stopping = self._stopping.is_set()
                with contextlib.suppress(BlockingIOError, InterruptedError):
                    self._wake_r.recv(4096)
                unsent = self._take_queued(unsent, stopping)
                if stopping:
                    sock.setblocking(True)
                    sock.settimeout(5)
                    sock.sendall(bytes(unsent) + bytes([DISCONNECT, 0]))
                    return
                now = time.monotonic()
                if not unsent and now - last_sent >= ping_due:
                    unsent = memoryview(bytes([PINGREQ, 0]))
                    with self._lock:
                        self._queued += 2
                if unsent:
                    sent = self._send_some(sock, unsent)
                    if sent:
                        unsent = unsent[sent:]
                        last_sent = now
                if bool(unsent) != writing:
                    writing = bool(unsent)
                    mask = selectors.EVENT_READ | (selectors.EVENT_WRITE if writing else 0)
                    selector.modify(sock, mask, "sock")
                if now - last_heard > self.keepalive * 1.5:
                    silent = self.keepalive * 1.5
                    raise TimeoutError(f"nothing heard from the broker for {silent:g} s")
                wait = max(0.05, min(ping_due - (now - last_sent), self.keepalive))
                if not unsent and self._out:  # queued while the socket took the last bytes
                    wait = 0
                for key, _ in selector.select(wait):
                    if key.data != "sock":
                        continue
                    got = sockets.receive(sock)
                    if got is None:
                        raise OSError("the broker closed the connection")
                    if got:
                        last_heard = time.monotonic()
                        buffer += got
                        self._handle(buffer)
        finally:
            selector.close()

    def _take_queued(self, unsent: memoryview, stopping: bool) -> memoryview:
        """What is to be sent: the rest of the last write, then (once that is out, or when
        stopping) all that was queued meanwhile."""
        with self._lock:
            self._woken = False
            if self._out and (stopping or not unsent):
                unsent = memoryview(bytes(unsent) + b"".join(self._out))
                self._out = []
        return unsent

    def _send_some(self, sock: socket.socket, unsent: memoryview) -> int:
        """Send what the socket takes now; wake the publishers once the backlog is below
        its bound."""
        try:
            sent = sock.send(unsent)
        except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
            return 0
        if sent:
            with self._lock:
                self._queued -= sent
                if self._queued <= BACKLOG:
                    self._lock.notify_all()
        return sent

    def _handle(self, buffer: bytearray) -> None:
        """Take the whole packets from the start of ``buffer``."""
        delivered, packets, used = read(buffer, self.session, self.ignore)
        del buffer[:used]
        acked = False
        for first, body in packets:
            kind = first & 0xF0
            if kind == PUBACK:
                self._inflight.pop(body[0] << 8 | body[1], None)
                acked = True
            elif kind == SUBACK:
                refused = [
                    self.subscriptions[i][0]
                    for i, code in enumerate(body[2:])
                    if code == 0x80 and i < len(self.subscriptions)
                ]
                if self.on_subscribed is not None:
                    self.on_subscribed(refused)
            elif kind != PINGRESP:
                raise ProtocolError(f"unexpected packet type {kind >> 4}")
        if acked:
            with self._lock:
                self._lock.notify_all()
        if delivered:
            try:
                self.on_messages(delivered)
            except Exception:  # the connection goes on; the broker redelivers the unacked
                log.exception("MQTT: %d delivered messages not taken", len(delivered))
