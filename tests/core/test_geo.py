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


def test_an_area_is_parsed_from_west_south_east_north():
    assert BBox.parse("7.65,51.58,8.05,51.78") == BBox(7.65, 51.58, 8.05, 51.78)
    assert BBox.parse(" 7 , 51 , 8 , 52 ").center == (7.5, 51.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7,51,8", "WEST,SOUTH,EAST,NORTH"),
        ("7,51,8,52,9", "WEST,SOUTH,EAST,NORTH"),
        ("a,51,8,52", "WEST,SOUTH,EAST,NORTH"),
        ("", "WEST,SOUTH,EAST,NORTH"),
        ("nan,51,8,52", "finite"),
        ("7,51,inf,52", "finite"),
        ("8,51,7,52", "WEST < EAST"),
        ("7,52,8,51", "SOUTH < NORTH"),
        ("7,51,7,52", "WEST < EAST"),
        ("-181,51,8,52", "longitudes"),
        ("7,-91,8,52", "latitudes"),
        ("7,51,8,90.5", "latitudes"),
    ],
)
def test_a_malformed_area_is_refused_with_what_is_wrong(text, message):
    with pytest.raises(GeometryError, match=message):
        BBox.parse(text)


def test_an_area_contains_its_edges_and_nothing_outside():
    box = BBox.of_degrees(7, 51, 8, 52)
    assert box.contains(7, 51) and box.contains(8, 52) and box.contains(7.5, 51.5)
    assert not box.contains(6.99, 51.5) and not box.contains(7.5, 52.01)
