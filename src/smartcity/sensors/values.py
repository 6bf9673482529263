"""Validation of property values in write requests: each Kind's JSON type, converted to
the columns that store it. Every error names the JSON pointer of the offending value."""

from __future__ import annotations

import math
from typing import Any

from django.utils import timezone

from smartcity.core.errors import BadRequest
from smartcity.core.geo import GeometryError, bbox_of
from smartcity.core.timeutil import TimeFormatError, parse_instant, parse_time_value
from smartcity.sensors.entities import EntityType, Kind, Property

GEOJSON_ENCODINGS = {"application/geo+json", "application/vnd.geo+json"}
# JSON properties that must be objects when given; the others may hold any JSON value.
_OBJECT_PROPERTIES = {"properties", "parameters", "unitOfMeasurement"}
_MAX_TEXT = 255


def columns_for(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    """Model field values for ``prop`` set to ``value`` (already known to be present)."""
    converter = _CONVERTERS[prop.kind]
    return converter(entity, prop, value, pointer)


def _text(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    if not isinstance(value, str):
        raise BadRequest(f"{entity.name}.{prop.name} must be a string", where=pointer)
    limited = prop.name in ("name", "encodingType", "observationType", "definition")
    if limited and len(value) > (500 if prop.name == "definition" else _MAX_TEXT):
        raise BadRequest(f"{entity.name}.{prop.name} is too long", where=pointer)
    if (
        prop.name == "encodingType"
        and entity.name in ("Location", "FeatureOfInterest")
        and value not in GEOJSON_ENCODINGS
    ):
        raise BadRequest(
            f"{entity.name}.encodingType must be application/geo+json "
            f"(the only encoding this service can index), not {value!r}",
            where=pointer,
        )
    return {prop.field: value}


def _json(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    if prop.name in _OBJECT_PROPERTIES and value is not None and not isinstance(value, dict):
        raise BadRequest(f"{entity.name}.{prop.name} must be a JSON object", where=pointer)
    if prop.name in ("unitOfMeasurements", "multiObservationDataTypes") and (
        not isinstance(value, list) or not value
    ):
        raise BadRequest(f"{entity.name}.{prop.name} must be a non-empty JSON array", where=pointer)
    if prop.name == "unitOfMeasurements" and not all(isinstance(v, dict) for v in value):
        raise BadRequest("every unitOfMeasurements element must be a JSON object", where=pointer)
    if prop.name == "multiObservationDataTypes" and not all(isinstance(v, str) for v in value):
        raise BadRequest("every multiObservationDataTypes element must be a string", where=pointer)
    return {prop.field: value}


def _geometry(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    try:
        box = bbox_of(value)
    except GeometryError as error:
        raise BadRequest(f"{entity.name}.{prop.name}: {error}", where=pointer) from None
    return {
        prop.field: value,
        "bbox_min_x": box.min_x,
        "bbox_min_y": box.min_y,
        "bbox_max_x": box.max_x,
        "bbox_max_y": box.max_y,
    }


def _instant(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    if value is None and not prop.required:
        return {prop.field: None}
    try:
        return {prop.field: parse_instant(value)}
    except TimeFormatError as error:
        raise BadRequest(f"{entity.name}.{prop.name}: {error}", where=pointer) from None


def _time(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    assert prop.end_field is not None
    if value is None:
        if prop.name == "phenomenonTime" and entity.name == "Observation":
            return {prop.field: timezone.now(), prop.end_field: None}
        return {prop.field: None, prop.end_field: None}
    try:
        start, end = parse_time_value(value)
    except TimeFormatError as error:
        raise BadRequest(f"{entity.name}.{prop.name}: {error}", where=pointer) from None
    return {prop.field: start, prop.end_field: end}


def numeric_result(value: Any, where: str) -> float | None:
    """The float mirror of a result (None unless it is a number; booleans are not)."""
    kind = type(value)
    if kind is not float and kind is not int:  # type(True) is bool, so bools stay out
        return None
    number = float(value)
    if not math.isfinite(number):
        raise BadRequest("Observation.result must be a finite number", where=where)
    return number


def result_columns(value: Any) -> dict[str, Any]:
    return {"result": value, "result_number": numeric_result(value, "/result")}


def _result(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    return result_columns(value)


def _read_only(entity: EntityType, prop: Property, value: Any, pointer: str) -> dict[str, Any]:
    return {}


_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.JSON: _json,
    Kind.GEOMETRY: _geometry,
    Kind.INSTANT: _instant,
    Kind.TIME: _time,
    Kind.RESULT: _result,
    Kind.AREA: _read_only,
    Kind.ID: _read_only,
}
