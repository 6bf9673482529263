"""The MQTT bridge: the SensorThings MQTT extension (OGC 18-088 clause 14) through an
external broker such as Mosquitto (``SMARTCITY_MQTT_URL``).

* **Create** (req/create-observations-via-mqtt): an Observation published to
  ``v1.1/Observations`` or ``v1.1/Datastreams(n)/Observations`` (also MultiDatastreams,
  FeaturesOfInterest, and the same below ``v1.0/``) is created as if it had been POSTed
  there. Every server process joins one shared subscription, so each message is written
  once. The subscription belongs to a persistent session whose client id outlives a
  restart of the process (:class:`_Slot`): QoS 1 messages published while the platform is
  down wait at the broker. Messages are acknowledged only after the transaction holding
  them has committed: a message the broker delivered is stored, or redelivered. Messages
  that queued up meanwhile are written together in one transaction: those of the common
  shape per stream as one bulk insert (mqtt.ingest), the others each in a savepoint, so a
  malformed one is rejected (and logged with the reason) alone.
* **Receive updates** (req/receive-updates-via-mqtt): every entity created or updated,
  whichever way (HTTP, MQTT, importer), is published as its JSON representation to its
  entity sets and parents' collections (``v1.1/Datastreams(3)/Observations``), an update
  also to the entity's own topic. Those topics are create topics too, so the
  announcements come back to the shared subscription: a message that is a representation
  of one of the service's own entities (it begins with its ``@iot.id`` and a selfLink
  below SMARTCITY_PUBLIC_URL) is recognised and not created again.

The bridge speaks MQTT 3.1.1 through its own lean client (mqtt.wire; devices and dashboards
may use 3.1.1 or 5): several messages pass it per observation, and paho-mqtt's cost per
message capped the bridge at half of the rate it must take.

Devices authenticate at the broker, whose access control decides who may publish where
(mqtt.accounts); the bridge writes what the broker delivered through sensors.posting, the
write path of an HTTP POST, without going through the HTTP handler.
"""

from __future__ import annotations

import fcntl
import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction

from smartcity.core import config, events, payloads
from smartcity.core.errors import ApiError
from smartcity.sensors.entities import BY_NAME, EntityType
from smartcity.sensors.mqtt import ingest, sockets, subscriptions, topics, wire
from smartcity.sensors.mqtt.bodies import representations
from smartcity.sensors.mqtt.packets import Ignore, Message
from smartcity.sensors.sta import posting
from smartcity.sensors.sta.rows import dumps

log = logging.getLogger("smartcity.mqtt")
_UNDECODED = object()  # a message body not decoded yet
_BATCH = 4000  # queued items handled at once
_READ_AT_ONCE = 2000  # ids in one SELECT of the announcer (SQLite allows 32,766 parameters)
# what the announcer thread is handed: (entity type, created?, ids) of a change to announce,
# or the tracked topics that log lines changed (mqtt.subscriptions), with their clients
_Change = tuple[str, bool, list[int]] | dict[str, set[str]]


class MqttBridge:
    def __init__(
        self,
        url: str,
        *,
        group: str = "smartcity",
        root_url: str | None = None,
        persistent: bool = True,
        announce_qos: int | None = None,
    ):
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise ValueError(f"SMARTCITY_MQTT_URL must be mqtt://host:port, not {url!r}")
        self.host = parts.hostname
        self.port = parts.port or (8883 if parts.scheme == "mqtts" else 1883)
        self.group = group
        self.persistent = persistent
        if announce_qos is None:
            announce_qos = config.get("MQTT_ANNOUNCE_QOS")
        self.announce_qos = announce_qos
        self.received = 0  # messages the broker delivered, announcements included
        self.root_url = root_url or config.get("PUBLIC_URL").rstrip("/") + "/sta/v1.1/"
        # how every announcement begins: {"@iot.id":N,"@iot.selfLink":"<root>...
        self._own = b'"@iot.selfLink":"' + self.root_url.encode()
        self._slot = _Slot(group) if persistent else None
        slot = self._slot.number if self._slot else f"{os.getpid()}-{id(self):x}"
        self.client_id = f"smartcity-{group}-{socket.gethostname()}-{slot}"
        self._account = (parts.username, parts.password)
        self._tls = sockets.tls_context() if parts.scheme == "mqtts" else None
        self.connection = wire.Connection(
            self.host,
            self.port,
            client_id=self.client_id,
            subscriptions=[(f"$share/{group}/{t}", 1) for t in topics.CREATE_SUBSCRIPTIONS]
            + [(t, 0) for t in subscriptions.LOG_TOPICS],
            on_messages=self._on_messages,
            on_subscribed=self._on_subscribed,
            clean_session=not persistent,
            username=parts.username,
            password=parts.password,
            tls=self._tls,
            ignore=Ignore(b'{"@iot.id":', self._own),
        )
        self._inbox: queue.Queue[list[Message | int] | None] = queue.Queue()
        self._changes: queue.Queue[_Change | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self.tracker = subscriptions.Tracker()
        self.subscribed = threading.Event()  # the broker took the create subscription
        self.following = threading.Event()  # ... and the one to its log of subscriptions
        self.loaded = threading.Event()  # the tracked topics kept in the store are known

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._write_loop, name="smartcity-mqtt", daemon=True),
            threading.Thread(target=self._announce_loop, name="smartcity-mqtt-out", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        events.subscribe_batches(self._announce)
        self.connection.start()

    def stop(self) -> None:
        """Write and acknowledge what has arrived, announce what was written, then leave
        the broker (messages arriving meanwhile are not acknowledged: it redelivers them)."""
        self._inbox.put(None)
        writer, announcer = self._threads or (None, None)
        if writer is not None:
            writer.join(timeout=10)
        events.unsubscribe_batches(self._announce)
        self._changes.put(None)
        if announcer is not None:
            announcer.join(timeout=10)
        self.connection.stop()
        if self._slot is not None:
            self._slot.release()

    def forget(self) -> None:
        """End the broker's session of this bridge for good (after :meth:`stop`): a bridge
        that will not come back must not leave the broker queueing messages for it."""
        username, password = self._account
        sockets.end_session(
            self.host,
            self.port,
            self.client_id,
            username=username,
            password=password,
            tls=self._tls,
        )

    def _on_subscribed(self, refused: list[str]) -> None:
        if any(not topic.startswith("$SYS/") for topic in refused):
            log.error(
                "MQTT broker refused a subscription of the platform (%s): give its account "
                "the bridge's rights (smartcity mqtt sync)",
                ", ".join(refused),
            )
            return
        self.subscribed.set()
        log.info("MQTT bridge subscribed at %s:%s", self.host, self.port)
        if refused:
            log.warning(
                "MQTT broker refused the platform its log of subscriptions (%s): property, "
                "$select and other tracked topics are not served (smartcity mqtt sync)",
                ", ".join(refused),
            )
        else:
            self.following.set()

    # -- create via MQTT ------------------------------------------------------------------

    def _on_messages(self, messages: list[Message | int]) -> None:
        """On the network thread: hand over the messages of one read at once. The
        connection recognised the representations of the service's own entities (they begin
        with an ``@iot.id`` and hold a selfLink below SMARTCITY_PUBLIC_URL): announcements
        of this or another server process on topics that also create. They stand in the
        list as ints, to be acknowledged in their turn but not created again."""
        self.received += len(messages)
        self._inbox.put(messages)

    def _write_loop(self) -> None:
        _in_batches(self._inbox, self._write, flatten=True)

    def _write(self, batch: list[Message | int]) -> None:
        """All messages in one transaction, each in a savepoint; acknowledged after the
        commit, in the order they arrived. A failure of the store itself is retried, never
        acknowledged away."""
        creates = []
        for message in batch:
            if isinstance(message, int):
                continue
            if message.topic.startswith("$SYS/"):  # a subscribe or unsubscribe log line
                changed = self.tracker.on_log(message)
                if changed:
                    self._changes.put(changed)
            else:
                creates.append(message)
        for attempt in range(1, 6):
            if not creates:
                break
            try:
                close_old_connections()
                decoded: dict[int, Any] = {}
                with transaction.atomic():
                    for message in ingest.create_common(creates, decoded):
                        self._create(message, decoded.get(id(message), _UNDECODED))
                break
            except Exception:
                log.exception(
                    "MQTT batch of %d not stored (attempt %d); retrying", len(creates), attempt
                )
                time.sleep(min(5.0, 0.5 * attempt))
        else:
            log.error(
                "MQTT batch of %d not stored; the broker redelivers it on reconnection",
                len(creates),
            )
            return
        self.connection.ack(batch)

    def _create(self, message: Message, payload: Any = _UNDECODED) -> None:
        """One message created as if POSTed to its topic's path (sensors.posting, the
        write path HTTP takes too), in a savepoint; an error is logged with its reason.
        ``payload`` is the body if mqtt.ingest decoded it already, else _UNDECODED."""
        path = topics.create_path(message.topic)
        if path is None:
            log.warning("MQTT message on %s rejected: not a create topic", message.topic)
            return
        if payload is _UNDECODED:
            try:
                payload = orjson.loads(message.payload)
            except orjson.JSONDecodeError as error:
                log.warning("MQTT message on %s rejected: not valid JSON: %s", message.topic, error)
                return
        try:
            payloads.check(payload, message.payload, where="message")
            with transaction.atomic():
                posting.create_at(path, payload)
        except ApiError as error:
            where = f" at {error.where}" if error.where else ""
            log.warning("MQTT message on %s rejected: %s%s", message.topic, error.message, where)

    # -- receive updates ------------------------------------------------------------------

    def _announce(self, type_: str, pks: list[int], action: str) -> None:
        """Queue the change for the announcer thread, which reads and publishes the changes
        that queued up meanwhile together (one SELECT per entity type)."""
        domain, _, entity = type_.partition(".")
        if domain == "sensors" and action in ("create", "update") and entity in BY_NAME:
            self._changes.put((entity, action == "create", pks))

    def _announce_loop(self) -> None:
        try:
            subscriptions.load_kept(self.tracker)
            subscriptions.prime(self.tracker, self.root_url)
        except DatabaseError:
            log.exception("MQTT: the tracked topics could not be read; following the log")
        self.loaded.set()
        _in_batches(self._changes, self._publish_changes)

    def _publish_changes(
        self, batch: list[tuple[str, bool, list[int]] | dict[str, set[str]]]
    ) -> None:
        by_kind: dict[tuple[str, bool], list[int]] = {}
        try:
            close_old_connections()
            for item in batch:
                if isinstance(item, dict):
                    subscriptions.keep(self.tracker, item, self.root_url)
                else:
                    entity, created, pks = item
                    by_kind.setdefault((entity, created), []).extend(pks)
            for (name, created), pks in by_kind.items():
                self._publish_entities(BY_NAME[name], pks, created=created)
        except Exception:
            log.exception("MQTT announcement of %d changes failed", len(batch))

    def _publish_entities(self, entity: EntityType, pks: list[int], *, created: bool) -> None:
        """Each entity's representation to the topics it is announced to, and what the
        tracked topics are owed (mqtt.subscriptions), from one read of the entities."""
        tracked = self.tracker.concerns(entity)
        action = "create" if created else "update"
        for start in range(0, len(pks), _READ_AT_ONCE):
            messages = []
            found = representations(entity, pks[start : start + _READ_AT_ONCE], self.root_url)
            for pk, body, parents in found:
                payload = dumps(body)
                for topic in topics.change_topics(entity, pk, parents, created=created):
                    messages.append((topic, payload))
            if tracked:
                messages += [
                    (topic, dumps(owed))
                    for topic, owed in subscriptions.owed(self.tracker, entity, found, action)
                ]
            self.connection.publish(messages, qos=self.announce_qos)


def _in_batches(
    inbox: queue.Queue[Any], handle: Callable[[list[Any]], None], *, flatten: bool = False
) -> None:
    """A thread's loop: hand everything that queued up meanwhile (about _BATCH at most) to
    ``handle`` at once, until None arrives; then close the thread's database connection.
    With ``flatten`` the queue holds lists of items."""
    add = list.extend if flatten else list.append
    try:
        while True:
            first = inbox.get()
            if first is None:
                return
            batch: list[Any] = []
            add(batch, first)
            while len(batch) < _BATCH:
                try:
                    following = inbox.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    handle(batch)
                    return
                add(batch, following)
            handle(batch)
    finally:
        connection.close()


def from_settings() -> MqttBridge | None:
    """The bridge of this server process, when SMARTCITY_MQTT_URL is set."""
    url = config.get("MQTT_URL")
    return MqttBridge(url) if url else None


class _Slot:
    """A number for this server process that stays the same when it restarts: the first
    of the lock files DATA_DIR/mqtt-GROUP-N.lock no other process holds. It makes the
    bridge's client id, and so its persistent session at the broker, outlive a restart:
    QoS 1 messages published while the process was down wait for it there."""

    def __init__(self, group: str) -> None:
        folder = Path(settings.DATA_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1024):
            handle = (folder / f"mqtt-{group}-{number}.lock").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            self.number, self._handle = number, handle
            return
        raise RuntimeError(f"no free MQTT client slot in {folder}")

    def release(self) -> None:
        self._handle.close()
