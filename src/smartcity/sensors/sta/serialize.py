"""Links and single property values of SensorThings entities (OGC 18-088 clause 8.2).

Whole entities are written from database rows by ``rows.represent_all``; the helpers here
serve it, and the places that hold a model instance (property addressing, JSON-Patch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartcity.core.geo import BBox
from smartcity.core.timeutil import format_instant, format_time_value
from smartcity.sensors.entities import EntityType, Kind, Property


@dataclass(frozen=True)
class Links:
    """Absolute URLs below one service root, e.g. ``http://host/sta/v1.1/``."""

    root: str
    version: str = "v1.1"

    def self_link(self, entity: EntityType, pk: int) -> str:
        return f"{self.root}{entity.plural}({pk})"

    def navigation_link(self, entity: EntityType, pk: int, navigation: str) -> str:
        return f"{self.root}{entity.plural}({pk})/{navigation}"


def property_value(instance: Any, prop: Property) -> Any:
    if prop.kind is Kind.ID:
        return instance.pk
    if prop.kind is Kind.TIME:
        return format_time_value(
            getattr(instance, prop.field), getattr(instance, prop.end_field or "")
        )
    if prop.kind is Kind.INSTANT:
        value = getattr(instance, prop.field)
        return format_instant(value) if value is not None else None
    if prop.kind is Kind.AREA:
        if instance.bbox_min_x is None:
            return None
        return BBox(
            instance.bbox_min_x, instance.bbox_min_y, instance.bbox_max_x, instance.bbox_max_y
        ).as_geojson()
    return getattr(instance, prop.field)
