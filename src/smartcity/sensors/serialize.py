"""Entities to their SensorThings JSON representation (OGC 18-088 clause 8.2 control
information, clause 9.3 $select): ``@iot.id``, ``@iot.selfLink``, the properties, a
navigationLink per navigation property, and expanded entities inline."""

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


def represent(
    instance: Any, entity: EntityType, links: Links, select: list[str] | None
) -> dict[str, Any]:
    """The entity without expansions; the caller adds expanded navigation properties."""
    pk = instance.pk
    body: dict[str, Any] = {}
    wanted = set(select) if select else None
    if wanted is None or "id" in wanted:
        body["@iot.id"] = pk
    if wanted is None:
        body["@iot.selfLink"] = links.self_link(entity, pk)
    for name, prop in entity.properties.items():
        if name == "id" or (wanted is not None and name not in wanted):
            continue
        if links.version == "v1.0" and name == "properties" and entity.name != "Thing":
            continue  # v1.0 has user properties on Things only (OGC 18-088 annex B)
        body[name] = property_value(instance, prop)
    for name in entity.navigations:
        if wanted is None or name in wanted:
            body[f"{name}@iot.navigationLink"] = links.navigation_link(entity, pk, name)
    return body
