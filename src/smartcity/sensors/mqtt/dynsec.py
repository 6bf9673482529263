"""A small client of Mosquitto's dynamic security plugin: JSON commands published to
``$CONTROL/dynamic-security/v1``, answered on ``.../v1/response`` (one answer per command,
in order, with ``error`` when it failed). It connects as the plugin's administrator
(``SMARTCITY_MQTT_ADMIN_URL``) for one exchange at a time."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

import orjson
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from smartcity.sensors.mqtt import sockets

TOPIC = "$CONTROL/dynamic-security/v1"
RESPONSE_TOPIC = TOPIC + "/response"
_TIMEOUT = 10.0
Command = dict[str, Any]


class BrokerUnavailable(Exception):
    """The broker could not be reached, refused the administrator, or did not answer."""


class Dynsec:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname or not parts.username:
            raise ValueError("SMARTCITY_MQTT_ADMIN_URL must be mqtt://user:password@host:port")
        self.host = parts.hostname
        self.port = parts.port or (8883 if parts.scheme == "mqtts" else 1883)
        self.username = parts.username
        self.password = parts.password or ""
        self._tls = sockets.tls_context() if parts.scheme == "mqtts" else None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def run(self, commands: list[Command]) -> list[Command]:
        """Send the commands in one message; the plugin's answers, one per command."""
        answer: list[bytes] = []
        connected = threading.Event()
        answered = threading.Event()
        refused: list[str] = []
        client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        client.username_pw_set(self.username, self.password)
        if self._tls is not None:
            client.tls_set_context(self._tls)

        def on_connect(client: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
            if reason.is_failure:
                refused.append(str(reason))
            connected.set()

        def on_subscribe(client: mqtt.Client, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
            if any(r.is_failure for r in reasons):
                refused.append(f"subscribing to {RESPONSE_TOPIC}: {reasons[0]}")
                answered.set()
                return
            client.publish(TOPIC, orjson.dumps({"commands": commands}), qos=1)

        def on_message(client: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
            answer.append(bytes(message.payload))
            answered.set()

        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        try:
            client.connect(self.host, self.port, keepalive=30)
        except OSError as error:
            raise BrokerUnavailable(f"cannot reach the broker at {self.address}: {error}") from None
        client.loop_start()
        try:
            if not connected.wait(_TIMEOUT) or refused:
                raise BrokerUnavailable(
                    f"the broker at {self.address} refused {self.username!r}: "
                    + (refused[0] if refused else "no answer")
                )
            client.subscribe(RESPONSE_TOPIC, qos=1)
            if not answered.wait(_TIMEOUT) or refused:
                reason = refused[0] if refused else "no answer from the dynamic security plugin"
                raise BrokerUnavailable(f"broker at {self.address}: {reason}")
        finally:
            client.disconnect()
            client.loop_stop()
        responses: list[Command] = orjson.loads(answer[0]).get("responses", [])
        return responses


def failures(responses: list[Command], *, tolerated: dict[str, str]) -> list[str]:
    """The errors among the answers, leaving out those that mean 'already so': ``tolerated``
    maps a command to the error text that means it (``createRole``: ``already exists``)."""
    return [
        f"{r.get('command')}: {r['error']}"
        for r in responses
        if r.get("error") and tolerated.get(str(r.get("command")), "\0") not in r["error"]
    ]
