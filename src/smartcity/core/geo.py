"""The small geo interface: GeoJSON in, validated shapes and bounding boxes out.

Geometry is stored as GeoJSON plus bounding-box columns on every store; on PostgreSQL the
migrations add GiST expression indexes on the PostGIS geometry built from the GeoJSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


class GeometryError(ValueError):
    pass


@dataclass(frozen=True)
class BBox:
    min_x: float
    min_y: float
    max_x: float
    max_y: float

    def union(self, other: BBox | None) -> BBox:
        if other is None:
            return self
        return BBox(
            min(self.min_x, other.min_x),
            min(self.min_y, other.min_y),
            max(self.max_x, other.max_x),
            max(self.max_y, other.max_y),
        )

    def as_geojson(self) -> dict[str, Any]:
        if self.min_x == self.max_x and self.min_y == self.max_y:
            return {"type": "Point", "coordinates": [self.min_x, self.min_y]}
        return shapely.geometry.mapping(shapely.box(self.min_x, self.min_y, self.max_x, self.max_y))


def geometry_of(geojson: Any) -> dict[str, Any]:
    """The geometry inside a GeoJSON geometry, Feature, or ``{"geometry": ...}`` object."""
    if not isinstance(geojson, dict):
        raise GeometryError("a GeoJSON object is required")
    if geojson.get("type") == "Feature":
        geometry = geojson.get("geometry")
        if not isinstance(geometry, dict):
            raise GeometryError("the GeoJSON Feature has no geometry")
        return geometry
    return geojson


def to_shape(geojson: Any) -> BaseGeometry:
    geometry = geometry_of(geojson)
    if geometry.get("type") not in GEOMETRY_TYPES:
        raise GeometryError(f"unknown GeoJSON geometry type {geometry.get('type')!r}")
    try:
        result = shape(geometry)
    except Exception as exc:  # shapely raises several types for bad coordinates
        raise GeometryError(f"invalid GeoJSON coordinates: {exc}") from None
    if result.is_empty:
        raise GeometryError("the GeoJSON geometry is empty")
    return result


def bbox_of(geojson: Any) -> BBox:
    min_x, min_y, max_x, max_y = to_shape(geojson).bounds
    return BBox(min_x, min_y, max_x, max_y)


def from_wkt(text: str) -> BaseGeometry:
    try:
        return shapely.from_wkt(text)
    except Exception:
        raise GeometryError(f"invalid WKT geometry {text!r}") from None
