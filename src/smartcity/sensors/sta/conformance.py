"""The service root document (OGC 18-088 clause 9.2.1, usage 1) and the conformance
classes this service implements: only those whose requirements all pass our tests."""

from __future__ import annotations

from typing import Any

from smartcity.sensors.entities import ENTITY_TYPES

_BASE = "http://www.opengis.net/spec/iot_sensing/1.1/req/"
# Conditional requirements of create-update-delete ("a SensorThings service that supports
# updates with PUT / with the JSON PATCH format SHALL ..."), named on their own besides
# the class, so that a client can tell without trying that these updates work here.
UPDATE_PUT = _BASE + "create-update-delete/update-entity-put"
UPDATE_JSON_PATCH = _BASE + "create-update-delete/update-entity-jsonpatch"
CONFORMANCE_V11 = [
    _BASE + "datamodel/thing",
    _BASE + "datamodel/location",
    _BASE + "datamodel/historical-location",
    _BASE + "datamodel/datastream",
    _BASE + "datamodel/sensor",
    _BASE + "datamodel/observed-property",
    _BASE + "datamodel/observation",
    _BASE + "datamodel/feature-of-interest",
    _BASE + "datamodel/entity-control-information",
    _BASE + "resource-path",
    _BASE + "request-data",
    _BASE + "create-update-delete",
    UPDATE_PUT,
    UPDATE_JSON_PATCH,
    _BASE + "multi-datastream",
    _BASE + "data-array",
    _BASE + "batch-request",
]


MQTT_CREATE = _BASE + "create-observations-via-mqtt/observations-creation"
MQTT_UPDATES = _BASE + "receive-updates-via-mqtt/receive-updates"


def service_root(root_url: str, version: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "value": [{"name": e.plural, "url": f"{root_url}{e.plural}"} for e in ENTITY_TYPES],
    }
    if version == "v1.1":
        settings: dict[str, Any] = {"conformance": list(CONFORMANCE_V11)}
        broker = mqtt_endpoint()
        if broker:
            # receive-updates: the bridge announces to entity sets, entities and to-one
            # parents' collections; mqtt.subscriptions serves property, $select and all
            # other resource-path topics from the broker's log of subscriptions
            for claimed in (MQTT_CREATE, MQTT_UPDATES):
                settings["conformance"].append(claimed)
                settings[claimed] = {"endpoints": [broker]}
        body["serverSettings"] = settings
    return body


def mqtt_endpoint() -> str:
    """The broker devices publish to (SMARTCITY_MQTT_URL without its credentials)."""
    from urllib.parse import urlsplit

    from smartcity.core import config

    url = config.get("MQTT_URL")
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
