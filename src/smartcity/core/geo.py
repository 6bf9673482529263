"""The small geo interface: GeoJSON in, validated shapes and bounding boxes out.

Geometry is stored as GeoJSON plus bounding-box columns on every store; on PostgreSQL the
migrations add GiST expression indexes on the PostGIS geometry built from the GeoJSON.
"""

from __future__ import annotations

import math
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
    """A bounding box; in WGS84 degrees: west, south, east, north."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @classmethod
    def of_degrees(cls, west: float, south: float, east: float, north: float) -> BBox:
        """An area in WGS84 degrees, checked: within -180..180 and -90..90, west below east
        and south below north (an area, not a line or a point)."""
        values = (west, south, east, north)
        if not all(math.isfinite(v) for v in values):
            raise GeometryError("the corners of an area must be finite numbers")
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            raise GeometryError("longitudes (WEST, EAST) lie between -180 and 180 degrees")
        if not (-90 <= south <= 90 and -90 <= north <= 90):
            raise GeometryError("latitudes (SOUTH, NORTH) lie between -90 and 90 degrees")
        if not (west < east and south < north):
            raise GeometryError("expected WEST < EAST and SOUTH < NORTH")
        return cls(*values)

    @classmethod
    def parse(cls, text: str) -> BBox:
        """``"WEST,SOUTH,EAST,NORTH"`` in degrees, as a command line or a query gives it."""
        parts = text.split(",")
        try:
            if len(parts) != 4:
                raise ValueError
            values = [float(part) for part in parts]
        except ValueError:
            raise GeometryError("expected WEST,SOUTH,EAST,NORTH in degrees") from None
        return cls.of_degrees(*values)

    def contains(self, x: float, y: float) -> bool:
        return self.min_x <= x <= self.max_x and self.min_y <= y <= self.max_y

    @property
    def center(self) -> tuple[float, float]:
        return (self.min_x + self.max_x) / 2, (self.min_y + self.max_y) / 2

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
