"""Geospatial functions in $filter (OGC 18-088 req/request-data/built-in-query-functions,
Table 23: geo.distance, geo.length, geo.intersects and the nine st_* functions).

Locations: L1 POINT(7.8 51.68); L2 a GeoJSON Feature with POLYGON((0 0, 2 0, 2 2, 0 2));
L3 POINT(10 10). L1 belongs to "Weather station", L2 and L3 to "Air quality".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from smartcity.core.errors import BadRequest
from smartcity.sensors import models as m
from smartcity.sensors.entities import LOCATION
from smartcity.sensors.sta.odata import compile_filter, parse_filter
from tests.sensors.sta.odata.conftest import _located, rows

pytestmark = pytest.mark.django_db
NEAR_L1 = "geography'POLYGON((7 51, 8 51, 8 52, 7 52, 7 51))'"
AROUND_L2_L3 = "geography'POLYGON((-1 -1, 11 -1, 11 11, -1 11, -1 -1))'"


@pytest.mark.parametrize(("expression", "expected"), [
    (f"st_intersects(location, {NEAR_L1})", ["L1"]),
    ("geo.intersects(location, geography'POINT(1 1)')", ["L2"]),
    (f"st_within(location, {AROUND_L2_L3})", ["L2", "L3"]),
    ("st_contains(location, geography'POINT(1 1)')", ["L2"]),
    ("st_disjoint(location, geography'POINT(1 1)')", ["L1", "L3"]),
    ("st_equals(location, geography'POINT(10 10)')", ["L3"]),
    ("st_touches(location, geography'LINESTRING(2 2, 3 3)')", ["L2"]),
    ("st_overlaps(location, geography'POLYGON((1 1, 3 1, 3 3, 1 3, 1 1))')", ["L2"]),
    ("st_crosses(geography'LINESTRING(-1 1, 3 1)', location)", ["L2"]),
    ("st_relate(location, geography'POINT(1 1)', 'T********')", ["L2"]),
    ("st_relate(location, geography'POINT(1 1)', 'FF*FF****')", ["L1", "L3"]),
    ("not st_intersects(location, geography'POINT(1 1)')", ["L1", "L3"]),
    ("st_intersects(location, geography'MULTIPOINT((1 1), (10 10))')", ["L2", "L3"]),
    ("st_intersects(location, geometry'GEOMETRYCOLLECTION(POINT(10 10))')", ["L3"]),
    ("st_intersects(location, geography'MULTILINESTRING((9 9, 11 11), (50 50, 60 60))')",
     ["L3"]),
    ("st_within(location, geography'MULTIPOLYGON(((7 51, 8 51, 8 52, 7 51)), "
     "((-1 -1, 3 -1, 3 3, -1 -1)))')", ["L1"]),
    ("st_intersects(location, 'POINT(1 1)')", ["L2"]),  # WKT as plain text
    ("geo.distance(location, geography'POINT(10 13)') lt 3.5", ["L3"]),
    ("geo.distance(location, geography'POINT(10 13)') ge 3.5", ["L1", "L2"]),
    ("geo.distance(location, geography'POINT(3 1)') eq 1", ["L2"]),
    ("geo.length(location) eq 0", ["L1", "L2", "L3"]),  # points and areas have no length
    ("geo.length(geography'LINESTRING(0 0, 3 4)') eq 5", ["L1", "L2", "L3"]),
])
def test_spatial_functions_on_locations_req_built_in_query_functions(
        world: Any, expression: str, expected: list[str]) -> None:
    """req/request-data/built-in-query-functions: geospatial and spatial relationship
    functions on GeoJSON geometries and Features, with WKT literals of every type."""
    assert rows("Location", expression) == expected


def test_geo_length_of_a_line_req_built_in_query_functions(world: Any) -> None:
    """req/request-data/built-in-query-functions: geo.length(LineString)."""
    _located(m.Location, "location", {"type": "LineString", "coordinates": [[0, 0], [3, 4]]},
             name="L4", encoding_type="application/geo+json")
    assert rows("Location", "geo.length(location) eq 5") == ["L4"]
    assert rows("Location", "geo.length(location) gt 4 and geo.length(location) lt 6") == ["L4"]


@pytest.mark.parametrize(("entity", "expression", "expected"), [
    ("Thing", "st_intersects(Locations/location, geography'POINT(1 1)')", ["Air quality"]),
    ("Thing", "geo.distance(Locations/location, geography'POINT(-122 43)') gt 1",
     ["Air quality", "Weather station"]),
    ("Thing", "geo.distance(Locations/location, geography'POINT(10 11)') lt 2",
     ["Air quality"]),
    ("Datastream", "st_intersects(observedArea, geography'POINT(1 1)')", ["D3"]),
    ("Datastream", "st_equals(observedArea, geography'POINT(7.8 51.68)')", ["D1"]),
    ("Datastream", "observedArea eq null", ["D2"]),
    ("FeatureOfInterest", f"st_within(feature, {NEAR_L1})", ["F1"]),
    ("Observation", "st_intersects(FeatureOfInterest/feature, geography'POINT(1 1)')",
     ["o3", "o4", "o5"]),
    ("Observation", "st_intersects(FeatureOfInterest/feature, "
                    "Datastream/Thing/Locations/location)", ["o1", "o2", "o5"]),
])
def test_spatial_functions_through_paths_req_built_in_query_functions(
        world: Any, entity: str, expression: str, expected: list[str]) -> None:
    """req/request-data/built-in-query-functions: geometries of related entities
    (``Things?$filter=geo.distance(Locations/location, ...)``, Example 3 of $filter), the
    bbox of observedArea, and two stored geometries."""
    assert rows(entity, expression) == expected


def test_literal_predicates_use_the_bbox_columns(world: Any) -> None:
    """The bbox prefilter lets the store narrow rows with an index before the exact test."""
    condition = compile_filter(parse_filter(f"st_intersects(location, {NEAR_L1})"), LOCATION)
    sql = str(m.Location.objects.filter(condition).query)
    assert "bbox_max_x" in sql and "bbox_min_y" in sql


@pytest.mark.parametrize(("expression", "fragment"), [
    ("st_relate(location, geography'POINT(1 1)', 'XYZ')", "9-character intersection matrix"),
    ("st_relate(location, geography'POINT(1 1)', name)", "9-character intersection matrix"),
    ("st_within(name, geography'POINT(1 1)')", "needs a geometry, got a string"),
    ("st_within(location, 'not wkt')", "is not WKT"),
    ("location eq geography'POINT(1 1)'", "cannot compare a geometry"),
])
def test_spatial_errors_req_built_in_query_functions(world: Any, expression: str,
                                                     fragment: str) -> None:
    with pytest.raises(BadRequest) as caught:
        compile_filter(parse_filter(expression), LOCATION)
    assert fragment in caught.value.message


@pytest.mark.postgres_only
def test_postgis_index_serves_spatial_filters(world: Any) -> None:
    """Migration 0002: the GiST expression index matches the SQL the compiler emits."""
    if connection.vendor != "postgresql":
        pytest.skip("PostGIS only")
    condition = compile_filter(parse_filter(f"st_intersects(location, {NEAR_L1})"), LOCATION)
    queryset = m.Location.objects.filter(condition)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "sensors_location_geom_gist" in plan
    assert [row.name for row in queryset] == ["L1"]
