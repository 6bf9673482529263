"""The city the platform serves: its name, its extent and its districts, in one place.

Importers take the extent as their default area, the demo places its stations inside it,
and pages centre their maps on it. Hamm is built in; another municipality gives its own
in a JSON file named by ``SMARTCITY_CITY_FILE``::

    {"name": "Unna", "extent": [7.62, 51.49, 7.76, 51.58],
     "districts": [{"name": "Massen", "outline": {"type": "Polygon", ...}}, ...]}

``extent`` is west, south, east, north in WGS84 degrees; a district's ``outline`` (a GeoJSON
Polygon or MultiPolygon) and ``label`` ([lon, lat], where maps write its name; default a
point inside the outline) are optional.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from smartcity.core import config
from smartcity.core.geo import BBox, GeometryError, to_shape


@dataclass(frozen=True)
class District:
    name: str
    outline: dict[str, Any] | None = None  # GeoJSON Polygon or MultiPolygon, where known
    label: tuple[float, float] | None = None  # where the map writes its name (lon, lat)

    @property
    def label_point(self) -> tuple[float, float] | None:
        """Where a map writes the district's name: ``label``, else a point inside the
        outline, else None."""
        if self.label is not None:
            return self.label
        if self.outline is None:
            return None
        inside = to_shape(self.outline).representative_point()
        return (round(inside.x, 6), round(inside.y, 6))


@dataclass(frozen=True)
class City:
    name: str
    extent: BBox  # WGS84 degrees; importers' default area, the maps' first view
    districts: tuple[District, ...]

    @property
    def district_names(self) -> tuple[str, ...]:
        return tuple(district.name for district in self.districts)


# The city area of Hamm with a margin of about a kilometre (the city spans roughly
# 7.67-8.03 E, 51.60-51.76 N), so that stations at the city limits are inside it.
HAMM = City(
    "Hamm",
    BBox(7.65, 51.58, 8.05, 51.78),
    # The seven Stadtbezirke, named at their centres (approximate; no outlines built in).
    (
        District("Mitte", label=(7.82, 51.68)),
        District("Uentrop", label=(7.95, 51.67)),
        District("Rhynern", label=(7.86, 51.62)),
        District("Pelkum", label=(7.74, 51.64)),
        District("Herringen", label=(7.72, 51.665)),
        District("Bockum-Hövel", label=(7.74, 51.705)),
        District("Heessen", label=(7.85, 51.71)),
    ),
)


class CityFileError(ValueError):
    pass


def load(path: Path) -> City:
    """The city a JSON file describes; CityFileError says what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CityFileError(f"cannot read the city file {path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise CityFileError(f"{path}: expected an object with a non-empty \"name\"")
    extent = data.get("extent")
    if not (isinstance(extent, list) and len(extent) == 4):
        raise CityFileError(f"{path}: \"extent\" must be [west, south, east, north] in degrees")
    try:
        box = BBox.of_degrees(*(float(v) for v in extent))
    except (TypeError, ValueError) as error:
        raise CityFileError(f"{path}: extent: {error}") from None
    districts = data.get("districts", [])
    if not isinstance(districts, list):
        raise CityFileError(f"{path}: \"districts\" must be a list")
    return City(data["name"], box, tuple(_district(path, i, d) for i, d in enumerate(districts)))


def _district(path: Path, index: int, data: Any) -> District:
    where = f"{path}: districts[{index}]"
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise CityFileError(f"{where}: expected an object with a non-empty \"name\"")
    outline = data.get("outline")
    if outline is not None:
        try:
            kind = to_shape(outline).geom_type
        except GeometryError as error:
            raise CityFileError(f"{where}.outline: {error}") from None
        if kind not in {"Polygon", "MultiPolygon"}:
            raise CityFileError(f"{where}.outline: a Polygon or MultiPolygon, not a {kind}")
    label = data.get("label")
    if label is not None:
        try:
            lon, lat = (float(v) for v in label)
        except (TypeError, ValueError):
            raise CityFileError(f"{where}.label: [longitude, latitude] in degrees") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CityFileError(f"{where}.label: [longitude, latitude] in degrees")
        label = (lon, lat)
    return District(data["name"], outline, label)


@cache
def city() -> City:
    """The configured city (SMARTCITY_CITY_FILE), else Hamm."""
    configured = config.value("CITY_FILE")
    return load(Path(configured)) if configured else HAMM
