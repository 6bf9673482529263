from __future__ import annotations

import pytest

from smartcity.core.geo import BBox, GeometryError, bbox_of, to_shape


def test_bbox_of_point_polygon_and_feature():
    assert bbox_of({"type": "Point", "coordinates": [7.8, 51.7]}) == BBox(7.8, 51.7, 7.8, 51.7)
    feature = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[7, 51], [8, 51], [8, 52], [7, 51]]]},
    }
    assert bbox_of(feature) == BBox(7, 51, 8, 52)


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"type": "Point"},
        {"type": "Circle", "coordinates": [1, 2]},
        {"type": "Point", "coordinates": ["a", "b"]},
        {"type": "Feature"},
    ],
)
def test_invalid_geojson(bad):
    with pytest.raises(GeometryError):
        to_shape(bad)


def test_bbox_as_geojson():
    assert BBox(1, 2, 1, 2).as_geojson() == {"type": "Point", "coordinates": [1, 2]}
    assert BBox(0, 0, 1, 1).as_geojson()["type"] == "Polygon"
