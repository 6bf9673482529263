"""The MQTT bridge: the SensorThings MQTT extension (OGC 18-088 clause 14) through an
external broker such as Mosquitto (``SMARTCITY_MQTT_URL``).

* **Create** (req/create-observations-via-mqtt): an Observation published to
  ``v1.1/Observations`` or ``v1.1/Datastreams(n)/Observations`` (also MultiDatastreams,
  FeaturesOfInterest) is created as if it had been POSTed there. The bridge subscribes
  with an MQTT 5 shared subscription, so with several server processes each message is
  written once. Messages are acknowledged (QoS 1) only after the transaction holding them
  has committed: a message the broker delivered is stored, or redelivered. Messages that
  queued up meanwhile are written together in one transaction, each in a savepoint, so a
  malformed one is rejected (and logged with the reason) alone.
* **Receive updates** (req/receive-updates-via-mqtt): every entity created or updated,
  whichever way (HTTP, MQTT, importer), is published as its JSON representation to its
  entity set, itself and its parents' collections (``v1.1/Datastreams(3)/Observations``).
  These messages carry the user property ``sta-notification``, so the bridge's own
  subscription recognises and skips them.

Devices authenticate at the broker; the bridge itself writes with the scope sta:write.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from smartcity.core import events
from smartcity.core.errors import ApiError
from smartcity.core.tokens import Principal
from smartcity.sensors import observation_post, paths, query_options, reads
from smartcity.sensors.entities import BY_NAME
from smartcity.sensors.mqtt import topics
from smartcity.sensors.rows import dumps, entity_columns, execute
from smartcity.sensors.serialize import Links

log = logging.getLogger("smartcity.mqtt")
PRINCIPAL = Principal(0, "MQTT bridge", frozenset({"sta:write"}))
NOTIFICATION = "sta-notification"
_BATCH = 1000


class MqttBridge:
    def __init__(self, url: str, *, group: str = "smartcity", root_url: str | None = None):
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise ValueError(f"SMARTCITY_MQTT_URL must be mqtt://host:port, not {url!r}")
        self.host = parts.hostname
        self.port = parts.port or (8883 if parts.scheme == "mqtts" else 1883)
        self.group = group
        self.root_url = root_url or settings.SMARTCITY_PUBLIC_URL.rstrip("/") + "/sta/v1.1/"
        client_id = f"smartcity-{socket.gethostname()}-{os.getpid()}-{id(self):x}"
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        if parts.username:
            self.client.username_pw_set(parts.username, parts.password)
        if parts.scheme == "mqtts":
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = log_refused_subscriptions
        self._inbox: queue.Queue[mqtt.MQTTMessage | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self.subscribed = threading.Event()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._writer = threading.Thread(target=self._write_loop, name="smartcity-mqtt", daemon=True)
        self._writer.start()
        events.subscribe(self._announce)
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        events.unsubscribe(self._announce)
        self.client.disconnect()
        self.client.loop_stop()
        self._inbox.put(None)
        if self._writer is not None:
            self._writer.join(timeout=10)

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            log.error("MQTT broker %s:%s refused the connection: %s", self.host, self.port, reason)
            return
        options = SubscribeOptions(qos=1)
        client.subscribe(
            [(f"$share/{self.group}/{topic}", options) for topic in topics.CREATE_SUBSCRIPTIONS]
        )
        self.subscribed.set()
        log.info("MQTT bridge connected to %s:%s", self.host, self.port)

    # -- create via MQTT ------------------------------------------------------------------

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        if _is_notification(message):
            client.ack(message.mid, message.qos)
            return
        self._inbox.put(message)

    def _write_loop(self) -> None:
        try:
            self._drain()
        finally:
            connection.close()  # this thread's own database connection

    def _drain(self) -> None:
        while True:
            first = self._inbox.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < _BATCH:
                try:
                    following = self._inbox.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    self._write(batch)
                    return
                batch.append(following)
            self._write(batch)

    def _write(self, batch: list[mqtt.MQTTMessage]) -> None:
        """All messages in one transaction, each in a savepoint; acknowledged after the
        commit. A failure of the store itself is retried, never acknowledged away."""
        for attempt in range(1, 6):
            try:
                close_old_connections()
                with transaction.atomic():
                    for message in batch:
                        self._create(message)
                break
            except Exception:
                log.exception(
                    "MQTT batch of %d not stored (attempt %d); retrying", len(batch), attempt
                )
                time.sleep(min(5.0, 0.5 * attempt))
        else:
            log.error("MQTT batch of %d not stored; the broker will redeliver it", len(batch))
            return
        for message in batch:
            self.client.ack(message.mid, message.qos)

    def _create(self, message: mqtt.MQTTMessage) -> None:
        from smartcity.sensors.api import StaRequest, handle

        path = topics.create_path(message.topic)
        if path is None:
            log.warning("MQTT message on %s rejected: not a create topic", message.topic)
            return
        request = StaRequest(
            method="POST",
            version=topics.VERSION,
            path=path,
            params=[],
            root_url=self.root_url,
            body=bytes(message.payload),
            content_type="application/json",
            principal=PRINCIPAL,
        )
        try:
            with transaction.atomic():
                if not _created_lean(path, request.body):
                    handle(request)
        except ApiError as error:
            where = f" at {error.where}" if error.where else ""
            log.warning("MQTT message on %s rejected: %s%s", message.topic, error.message, where)

    # -- receive updates ------------------------------------------------------------------

    def _announce(self, event: events.EntityChanged) -> None:
        if event.action not in ("create", "update") or event.entity not in BY_NAME:
            return
        entity = BY_NAME[event.entity]
        table = connection.ops.quote_name(entity.model._meta.db_table)
        rows = execute(
            f"SELECT {', '.join(entity_columns(entity))} FROM {table} WHERE id = %s", [event.pk]
        )
        if not rows.data:
            return
        body = reads.serialize_rows(
            rows, entity, query_options.QueryOptions(), Links(self.root_url, topics.VERSION)
        )[0]
        parents = {
            name: rows.data[0][rows.columns[f"{nav.orm}_id"]]
            for name, nav in entity.navigations.items()
            if not nav.many and f"{nav.orm}_id" in rows.columns
        }
        payload = dumps(body)
        properties = Properties(PacketTypes.PUBLISH)
        properties.UserProperty = (NOTIFICATION, "1")
        for topic in topics.change_topics(entity, event.pk, parents):
            self.client.publish(topic, payload, qos=1, properties=properties)


def _created_lean(path: str, body: bytes) -> bool:
    """The lean create of api.handle without the answer that handle would build and the
    bridge would throw away (a tenth of the bridge's time); False leaves the message to
    handle, which names any error."""
    stream = paths.stream_observations(path)
    if stream is None and path != "/Observations":
        return False
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return observation_post.try_create(payload, stream) is not None


def _is_notification(message: mqtt.MQTTMessage) -> bool:
    props = getattr(message, "properties", None)
    pairs = getattr(props, "UserProperty", None) or []
    return any(key == NOTIFICATION for key, _ in pairs)


_running: MqttBridge | None = None


def start_from_settings() -> None:
    """Start the bridge when SMARTCITY_MQTT_URL is set (from the server's startup)."""
    global _running
    url = settings.SMARTCITY_MQTT_URL
    if not url or _running is not None:
        return
    _running = MqttBridge(url)
    _running.start()


def stop_running() -> None:
    global _running
    if _running is not None:
        _running.stop()
        _running = None


def log_refused_subscriptions(
    client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any
) -> None:
    """A broker with device accounts refuses a subscription the platform's account may not
    make; without this nothing would be stored and nothing said."""
    refused = [reason for reason in reasons if reason.is_failure]
    if refused:
        log.error(
            "MQTT broker refused a subscription of the platform (%s): give its account the "
            "bridge's rights (smartcity mqtt sync)",
            refused[0],
        )
