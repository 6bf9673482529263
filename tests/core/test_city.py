"""The city in one place: Hamm built in, another city from a JSON file, refused with a
message that names the file and the field when the file is malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartcity.core import city
from smartcity.core.geo import BBox
from smartcity.sensors.demo import PLACES


def test_hamm_is_the_default_city_with_its_seven_districts(monkeypatch):
    monkeypatch.delenv("SMARTCITY_CITY_FILE", raising=False)
    city.city.cache_clear()
    hamm = city.city()
    assert hamm.name == "Hamm"
    assert hamm.district_names == (
        "Mitte",
        "Uentrop",
        "Rhynern",
        "Pelkum",
        "Herringen",
        "Bockum-Hövel",
        "Heessen",
    )
    assert hamm.extent == BBox(7.65, 51.58, 8.05, 51.78)


def test_every_demo_place_lies_in_the_city_and_one_of_its_districts():
    for place in PLACES:
        assert city.HAMM.extent.contains(place.lon, place.lat), place.key
        assert place.district in city.HAMM.district_names, place.key


def test_another_city_comes_from_its_file(tmp_path: Path, monkeypatch):
    outline = {
        "type": "Polygon",
        "coordinates": [[[7.6, 51.5], [7.7, 51.5], [7.7, 51.55], [7.6, 51.5]]],
    }
    path = tmp_path / "unna.json"
    path.write_text(
        json.dumps(
            {
                "name": "Unna",
                "extent": [7.62, 51.49, 7.76, 51.58],
                "districts": [{"name": "Massen"}, {"name": "Königsborn", "outline": outline}],
            }
        )
    )
    monkeypatch.setenv("SMARTCITY_CITY_FILE", str(path))
    city.city.cache_clear()
    try:
        unna = city.city()
    finally:
        city.city.cache_clear()
    assert unna.name == "Unna" and unna.extent == BBox(7.62, 51.49, 7.76, 51.58)
    assert unna.district_names == ("Massen", "Königsborn")
    assert unna.districts[1].outline == outline and unna.districts[0].outline is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "cannot read the city file"),
        ('["Unna"]', 'non-empty "name"'),
        ('{"name": "", "extent": [7, 51, 8, 52]}', 'non-empty "name"'),
        ('{"name": "Unna"}', '"extent" must be'),
        ('{"name": "Unna", "extent": [7, 51, 8]}', '"extent" must be'),
        ('{"name": "Unna", "extent": [8, 51, 7, 52]}', "extent: expected WEST < EAST"),
        ('{"name": "Unna", "extent": ["a", 51, 8, 52]}', "extent:"),
        ('{"name": "Unna", "extent": [7, 51, 8, 52], "districts": {}}', "must be a list"),
        ('{"name": "Unna", "extent": [7, 51, 8, 52], "districts": [{}]}', r"districts\[0\]"),
        (
            '{"name": "Unna", "extent": [7, 51, 8, 52], "districts": '
            '[{"name": "A", "outline": {"type": "Point", "coordinates": [7, 51]}}]}',
            r"districts\[0\]\.outline: a Polygon or MultiPolygon",
        ),
        (
            '{"name": "Unna", "extent": [7, 51, 8, 52], "districts": '
            '[{"name": "A", "outline": {"type": "Polygon"}}]}',
            r"districts\[0\]\.outline:",
        ),
    ],
)
def test_a_malformed_city_file_is_refused_with_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "city.json"
    path.write_text(content)
    with pytest.raises(city.CityFileError, match=message):
        city.load(path)


def test_a_missing_city_file_is_named(tmp_path):
    with pytest.raises(city.CityFileError, match=r"missing\.json"):
        city.load(tmp_path / "missing.json")
