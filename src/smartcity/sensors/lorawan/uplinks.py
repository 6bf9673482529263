"""LoRaWAN uplinks of the city's own sensors, as network servers deliver them: The Things
Stack (v3) webhooks and ChirpStack (v4) HTTP integration events. Plain functions, no HTTP
(the Django adapter is ``lorawan/views.py``).

A message is parsed into an :class:`Uplink` (DevEUI, decoded payload, times), the device is
looked up by its DevEUI (``LoRaWANDevice``), and each payload member mapped to a Datastream
(``LoRaWANField``) becomes an Observation, written through bulk ingest in one transaction
per uplink. phenomenonTime is the earliest gateway time when a gateway reports one (GPS
time, closest to the measurement), else the time the network server received the uplink;
resultTime is that receipt time. Network servers retry: an Observation already stored for
the stream at the same phenomenonTime is not written again.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from smartcity.core.errors import BadRequest
from smartcity.core.timeutil import TimeFormatError, as_utc
from smartcity.sensors.ingest.groups import create_observations
from smartcity.sensors.lorawan.deveui import normalise_dev_eui
from smartcity.sensors.models import Datastream, LoRaWANDevice, LoRaWANField, Observation

log = logging.getLogger("smartcity.lorawan")

# The Things Stack: the member that names a webhook message's type; only uplinks are stored
TTS_MESSAGES = (
    "join_accept",
    "downlink_ack",
    "downlink_nack",
    "downlink_sent",
    "downlink_failed",
    "downlink_queued",
    "downlink_queue_invalidated",
    "location_solved",
    "service_data",
    "uplink_normalized",
)
# ChirpStack: the ?event= values besides "up"; "status" is stored when it has a battery level
CHIRPSTACK_EVENTS = ("join", "status", "ack", "txack", "log", "location", "integration")


@dataclass
class Uplink:
    dev_eui: str
    values: dict[str, Any] | None  # the decoded payload; None when the message has none
    phenomenon_time: datetime
    result_time: datetime
    parameters: dict[str, Any] = field(default_factory=dict)  # frame counter and port
    pointer: str = "/"  # where the values are in the body, for error messages
    simulated: bool = False  # sent from the network server's console, not by the device
    missing: str = ""  # why there are no values, said only for a mapped device


@dataclass
class Outcome:
    """What became of one message; ``stored`` is False when nothing was to be written
    (an unknown or inactive device, a simulated uplink)."""

    stored: bool
    created: int = 0
    duplicates: int = 0
    ignored: list[str] = field(default_factory=list)  # payload members without a stream
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"created": self.created, "duplicates": self.duplicates}
        if self.ignored:
            body["ignored"] = self.ignored
        if self.reason:
            body["reason"] = self.reason
        return body


def _member(body: Any, path: str) -> Any:
    """``body["a"]["b"]`` for ``"a.b"``; a missing or malformed member is a 400."""
    value = body
    walked = ""
    for name in path.split("."):
        walked += "/" + name
        if not isinstance(value, dict) or name not in value:
            raise BadRequest(f"the message lacks {path!r}", where=walked)
        value = value[name]
    return value


def _time(text: Any, where: str) -> datetime:
    if not isinstance(text, str):
        raise BadRequest("a time must be an RFC 3339 string", where=where)
    try:
        value = datetime.fromisoformat(_trim_fraction(text.strip()))
    except ValueError:
        raise BadRequest(f"{text!r} is not an RFC 3339 time", where=where) from None
    if value.tzinfo is None:
        raise BadRequest(f"{text!r} has no UTC offset", where=where)
    try:
        return as_utc(value, text)
    except TimeFormatError as error:
        raise BadRequest(str(error), where=where) from None


def _trim_fraction(text: str) -> str:
    """Network servers send nanoseconds (``.775023242``); Python keeps microseconds."""
    head, dot, tail = text.partition(".")
    if not dot:
        return text
    digits = len(tail) - len(tail.lstrip("0123456789"))
    return f"{head}.{tail[: min(digits, 6)]}{tail[digits:]}"


def _dev_eui(text: Any, where: str) -> str:
    if not isinstance(text, str):
        raise BadRequest("the DevEUI must be a string of 16 hexadecimal digits", where=where)
    try:
        return normalise_dev_eui(text)
    except ValueError as error:
        raise BadRequest(str(error), where=where) from None


def _earliest(times: list[Any], key: str, where: str) -> datetime | None:
    found = [
        _time(item[key], f"{where}/{index}/{key}")
        for index, item in enumerate(times)
        if isinstance(item, dict) and item.get(key)
    ]
    return min(found) if found else None


def parse_tts(body: Any) -> Uplink | None:
    """A The Things Stack webhook message; None for a message type other than an uplink."""
    if not isinstance(body, dict):
        raise BadRequest("the message must be a JSON object", where="/")
    if "uplink_message" not in body:
        if any(kind in body for kind in TTS_MESSAGES):
            return None
        raise BadRequest("the message has no uplink_message", where="/uplink_message")
    dev_eui = _dev_eui(_member(body, "end_device_ids.dev_eui"), "/end_device_ids/dev_eui")
    uplink = _member(body, "uplink_message")
    if not isinstance(uplink, dict):
        raise BadRequest("uplink_message must be an object", where="/uplink_message")
    values = uplink.get("decoded_payload")
    received_text = body.get("received_at") or uplink.get("received_at")
    received = _time(received_text, "/received_at")
    metadata = uplink.get("rx_metadata") or []
    if not isinstance(metadata, list):
        raise BadRequest("rx_metadata must be an array", where="/uplink_message/rx_metadata")
    gateway = _earliest(metadata, "time", "/uplink_message/rx_metadata")
    return Uplink(
        dev_eui,
        values,
        gateway or received,
        received,
        _counters(uplink.get("f_cnt"), uplink.get("f_port")),
        "/uplink_message/decoded_payload",
        simulated=body.get("simulated") is True,
        missing="the uplink has no decoded_payload object; set a payload formatter",
    )


def parse_chirpstack(event: str, body: Any) -> Uplink | None:
    """A ChirpStack HTTP integration event (``?event=``); None for an event not to store."""
    if event not in ("up", *CHIRPSTACK_EVENTS):
        raise BadRequest(
            f"unknown event {event!r}; ChirpStack sends up, {', '.join(CHIRPSTACK_EVENTS)}",
            where="event",
        )
    if not isinstance(body, dict):
        raise BadRequest("the event must be a JSON object", where="/")
    if event not in ("up", "status"):
        return None
    dev_eui = _dev_eui(_member(body, "deviceInfo.devEui"), "/deviceInfo/devEui")
    received = _time(_member(body, "time"), "/time")
    if event == "status":
        level = body.get("batteryLevel")
        if body.get("batteryLevelUnavailable") or level is None:
            return None
        return Uplink(dev_eui, {"batteryLevel": level}, received, received, pointer="")
    values = body.get("object")
    rx_info = body.get("rxInfo") or []
    if not isinstance(rx_info, list):
        raise BadRequest("rxInfo must be an array", where="/rxInfo")
    gateway = _earliest(rx_info, "gwTime", "/rxInfo")
    return Uplink(
        dev_eui,
        values,
        gateway or received,
        received,
        _counters(body.get("fCnt"), body.get("fPort")),
        "/object",
        missing="the event has no decoded object; set a codec in the device profile",
    )


def _counters(f_cnt: Any, f_port: Any) -> dict[str, Any]:
    return {
        name: value
        for name, value in (("fCnt", f_cnt), ("fPort", f_port))
        if isinstance(value, int) and not isinstance(value, bool)
    }


def store(uplink: Uplink) -> Outcome:
    """Write the uplink's mapped values as Observations, all or nothing."""
    if uplink.simulated:
        return Outcome(False, reason="simulated uplink; the integration works, nothing stored")
    device = LoRaWANDevice.objects.filter(dev_eui=uplink.dev_eui).first()
    if device is None or not device.active:
        why = "unknown device" if device is None else "device is inactive"
        log.warning("LoRaWAN uplink of %s ignored: %s", uplink.dev_eui, why)
        return Outcome(False, reason=f"{why} {uplink.dev_eui}; map it in the admin")
    if not isinstance(uplink.values, dict):
        raise BadRequest(uplink.missing, where=uplink.pointer)
    fields = {f.key: f.datastream_id for f in LoRaWANField.objects.filter(device=device)}
    readings, ignored = _readings(uplink, fields)
    outcome = Outcome(True, ignored=ignored)
    with transaction.atomic():
        # lock the streams so two deliveries of the same uplink cannot both pass the check
        list(Datastream.objects.select_for_update().filter(pk__in=readings).values_list("pk"))
        stored = set(
            Observation.objects.filter(
                datastream_id__in=readings, phenomenon_time_start=uplink.phenomenon_time
            ).values_list("datastream_id", flat=True)
        )
        groups = [
            _group(stream, uplink, number)
            for stream, number in readings.items()
            if stream not in stored
        ]
        if groups:
            create_observations(groups)
    outcome.created, outcome.duplicates = len(groups), len(stored)
    return outcome


def _readings(uplink: Uplink, fields: dict[str, int]) -> tuple[dict[int, float], list[str]]:
    """Stream -> number for each mapped member; the members nobody mapped are listed."""
    assert uplink.values is not None
    readings: dict[int, float] = {}
    for key, stream in fields.items():
        where = f"{uplink.pointer}/{key.replace('.', '/')}"
        value: Any = uplink.values
        for name in key.split("."):
            value = value.get(name) if isinstance(value, dict) else None
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRequest(f"{key} must be a number, not {value!r}", where=where)
        if not math.isfinite(value):
            raise BadRequest(f"{key} must be a finite number", where=where)
        readings[stream] = float(value)
    mapped_roots = {key.split(".")[0] for key in fields}
    ignored = sorted(name for name in uplink.values if name not in mapped_roots)
    return readings, ignored


def _group(stream: int, uplink: Uplink, number: float) -> dict[str, Any]:
    row: list[Any] = [uplink.phenomenon_time.isoformat(), uplink.result_time.isoformat(), number]
    components = ["phenomenonTime", "resultTime", "result"]
    if uplink.parameters:
        components.append("parameters")
        row.append(uplink.parameters)
    return {"Datastream": {"@iot.id": stream}, "components": components, "dataArray": [row]}
