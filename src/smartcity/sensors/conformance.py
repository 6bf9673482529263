"""The service root document (OGC 18-088 clause 9.2.1, usage 1) and the conformance
classes this service implements: only those whose requirements all pass our tests."""

from __future__ import annotations

from typing import Any

from smartcity.sensors.entities import ENTITY_TYPES

_BASE = "http://www.opengis.net/spec/iot_sensing/1.1/req/"
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
    _BASE + "multi-datastream",
    _BASE + "data-array",
    _BASE + "batch-request",
]


def service_root(root_url: str, version: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "value": [{"name": e.plural, "url": f"{root_url}{e.plural}"} for e in ENTITY_TYPES],
    }
    if version == "v1.1":
        body["serverSettings"] = {"conformance": list(CONFORMANCE_V11)}
    return body
