"""A small PMTiles v3 archive of Hamm for the base map tests, written here (pmtiles'
writer, tiles encoded by mapbox-vector-tile): in the Protomaps schema, a lake
("Testsee", layer water) and a road across the city ("Teststraße", layer roads), in
every tile of zoom 8 to 11 that covers the city."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import mapbox_vector_tile
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

WEST, SOUTH, EAST, NORTH = 7.65, 51.58, 8.05, 51.78
LAKE = [(7.77, 51.655), (7.87, 51.655), (7.87, 51.705), (7.77, 51.705), (7.77, 51.655)]
ROAD = [(7.60, 51.672), (8.10, 51.690)]
R = 6378137.0


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return (math.radians(lon) * R, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * R)


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def _bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    size = 2 * math.pi * R / 2**z
    west, north = -math.pi * R + x * size, math.pi * R - y * size
    return (west, north - size, west + size, north)


def _wkt(points: list[tuple[float, float]], kind: str) -> str:
    text = ", ".join(f"{x} {y}" for x, y in (_mercator(*p) for p in points))
    return f"POLYGON (({text}))" if kind == "polygon" else f"LINESTRING ({text})"


def tile(z: int, x: int, y: int) -> bytes:
    with warnings.catch_warnings():  # its use of shapely.ops.transform, deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        return _encode(z, x, y)


def _encode(z: int, x: int, y: int) -> bytes:
    return mapbox_vector_tile.encode(
        [
            {
                "name": "water",
                "features": [
                    {
                        "geometry": _wkt(LAKE, "polygon"),
                        "properties": {"name": "Testsee", "kind": "lake"},
                    }
                ],
            },
            {
                "name": "roads",
                "features": [
                    {
                        "geometry": _wkt(ROAD, "line"),
                        "properties": {"name": "Teststraße", "kind": "major_road"},
                    }
                ],
            },
        ],
        default_options={"quantize_bounds": _bounds(z, x, y)},
    )


def write(path: Path, zooms: range = range(8, 12)) -> Path:
    entries = []
    for z in zooms:
        (x0, y0), (x1, y1) = _tile_of(WEST, NORTH, z), _tile_of(EAST, SOUTH, z)
        entries += [
            (zxy_to_tileid(z, x, y), tile(z, x, y))
            for x in range(x0, x1 + 1)
            for y in range(y0, y1 + 1)
        ]
    with path.open("wb") as handle:
        writer = Writer(handle)
        for tileid, data in sorted(entries):
            writer.write_tile(tileid, data)
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(WEST * 1e7),
                "min_lat_e7": int(SOUTH * 1e7),
                "max_lon_e7": int(EAST * 1e7),
                "max_lat_e7": int(NORTH * 1e7),
                "center_zoom": zooms.start + 2,
                "center_lon_e7": int((WEST + EAST) / 2 * 1e7),
                "center_lat_e7": int((SOUTH + NORTH) / 2 * 1e7),
            },
            {
                "name": "Hamm test",
                "vector_layers": [
                    {"id": "water", "fields": {"name": "String", "kind": "String"}},
                    {"id": "roads", "fields": {"name": "String", "kind": "String"}},
                ],
            },
        )
    return path
