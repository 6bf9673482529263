"""A small SensorThings world made with the ORM, and helpers that run a $filter or
$orderby against it and name the rows that come back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from smartcity.core.geo import bbox_of
from smartcity.core.timeutil import parse_instant
from smartcity.sensors import models as m
from smartcity.sensors.entities import BY_NAME
from smartcity.sensors.sta.odata import compile_filter, compile_orderby, parse_filter, parse_orderby

UNIT_C = {"name": "degree Celsius", "symbol": "degC", "definition": "ucum:Cel"}
UNIT_P = {"name": "percent", "symbol": "%", "definition": "ucum:%"}
FEATURE_POLYGON = {"type": "Feature", "properties": {},
                   "geometry": {"type": "Polygon",
                                "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}}


def t(text: str) -> datetime:
    return parse_instant(text)


def _located(model: type[Any], field: str, geojson: dict[str, Any], **fields: Any) -> Any:
    box = bbox_of(geojson)
    return model.objects.create(**{field: geojson}, bbox_min_x=box.min_x, bbox_min_y=box.min_y,
                                bbox_max_x=box.max_x, bbox_max_y=box.max_y, **fields)


def _observation(key: str, stream: Any, foi: Any, result: Any, start: str,
                 end: str | None = None, **fields: Any) -> Any:
    number = float(result) if isinstance(result, int | float) and not isinstance(result, bool) \
        else None
    return m.Observation.objects.create(
        datastream=stream, feature_of_interest=foi, result=result, result_number=number,
        phenomenon_time_start=t(start), phenomenon_time_end=t(end) if end else None,
        parameters={"key": key, **fields.pop("parameters", {})}, **fields)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Things T1..T3, Locations, Datastreams D1..D3, features, observations o1..o6."""
    t1 = m.Thing.objects.create(
        name="Weather station", description="Sensor Things",
        properties={"owner": "city", "height": 10, "active": True, "tags": {"colour": "red"},
                    "list": [4, 5]})
    t2 = m.Thing.objects.create(name="Air quality", description="  padded  ",
                                properties={"owner": "uni", "height": 2.5, "active": False})
    t3 = m.Thing.objects.create(name="Empty", description="", properties=None)
    l1 = _located(m.Location, "location", {"type": "Point", "coordinates": [7.8, 51.68]},
                  name="L1", encoding_type="application/geo+json")
    l2 = _located(m.Location, "location", FEATURE_POLYGON, name="L2",
                  encoding_type="application/geo+json")
    l3 = _located(m.Location, "location", {"type": "Point", "coordinates": [10, 10]},
                  name="L3", encoding_type="application/geo+json")
    t1.locations.add(l1)
    t2.locations.add(l2, l3)
    sensor = m.Sensor.objects.create(name="S", encoding_type="text/plain", metadata="x")
    prop = m.ObservedProperty.objects.create(name="Temperature", definition="def:T")
    streams = {}
    for name, thing, unit, area in (("D1", t1, UNIT_C, (7.8, 51.68, 7.8, 51.68)),
                                    ("D2", t1, UNIT_P, None),
                                    ("D3", t2, UNIT_C, (0.0, 0.0, 2.0, 2.0))):
        columns = ("bbox_min_x", "bbox_min_y", "bbox_max_x", "bbox_max_y")
        box = dict(zip(columns, area or (None,) * 4, strict=True))
        streams[name] = m.Datastream.objects.create(
            name=name, description=f"stream {name}", unit_of_measurement=unit,
            observation_type="OM_Measurement", thing=thing, sensor=sensor,
            observed_property=prop, **box)
    d1, d2, d3 = streams["D1"], streams["D2"], streams["D3"]
    d1.phenomenon_time_start, d1.phenomenon_time_end = t("2024-01-01T00:00:00Z"), \
        t("2024-01-10T00:00:00Z")
    d1.save()
    f1 = _located(m.FeatureOfInterest, "feature", {"type": "Point", "coordinates": [7.8, 51.68]},
                  name="F1", encoding_type="application/geo+json")
    f2 = _located(m.FeatureOfInterest, "feature", FEATURE_POLYGON, name="F2",
                  encoding_type="application/geo+json")
    _observation("o1", d1, f1, 5, "2024-01-01T00:00:00Z",
                 result_time=t("2024-01-01T00:00:01Z"), parameters={"depth": 1})
    _observation("o2", d1, f1, 20.5, "2024-01-02T00:00:00Z", "2024-01-02T06:00:00Z",
                 valid_time_start=t("2024-01-02T00:00:00Z"),
                 valid_time_end=t("2024-01-03T00:00:00Z"))
    _observation("o3", d1, f2, "high", "2024-01-03T12:30:15.250Z")
    _observation("o4", d2, f2, True, "2024-01-05T00:00:00Z")
    _observation("o5", d3, f2, {"a": 3, "b": "x"}, "2024-02-01T00:00:00Z")
    _observation("o6", d3, f1, -7, "2023-12-31T23:00:00Z")
    return {"things": (t1, t2, t3), "locations": (l1, l2, l3), "streams": (d1, d2, d3)}


def label(row: Any) -> str:
    if isinstance(row, m.Observation):
        return str(row.parameters["key"])
    return str(row.name)


def rows(entity_name: str, expression: str) -> list[str]:
    """Labels of the rows ``$filter=expression`` selects, sorted, duplicates kept."""
    entity = BY_NAME[entity_name]
    condition = compile_filter(parse_filter(expression), entity)
    return sorted(label(row) for row in entity.model.objects.filter(condition))


def ordered(entity_name: str, orderby: str) -> list[str]:
    entity = BY_NAME[entity_name]
    keys = compile_orderby(parse_orderby(orderby), entity)
    return [label(row) for row in entity.model.objects.order_by(*keys, "id")]
