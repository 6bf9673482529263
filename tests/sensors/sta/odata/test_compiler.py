"""$filter and $orderby compiled to SQL and run on real rows (OGC 18-088
req/request-data/filter, req/request-data/built-in-filter-operations,
req/request-data/built-in-query-functions, req/request-data/orderby).

The world (conftest.py): Things "Weather station" (description "Sensor Things", Datastreams
D1, D2, Location L1), "Air quality" (D3, Locations L2 and L3), "Empty"; observation results
o1=5, o2=20.5, o3="high", o4=true, o5={"a": 3, "b": "x"}, o6=-7; o1-o3 in D1, o4 in D2.
"""

from __future__ import annotations

from typing import Any

import pytest

from smartcity.core.errors import BadRequest
from smartcity.sensors import models as m
from smartcity.sensors.entities import OBSERVATION, THING
from smartcity.sensors.sta.odata import compile_filter, compile_orderby, parse_filter, parse_orderby
from tests.sensors.sta.odata.conftest import ordered, rows

pytestmark = pytest.mark.django_db
ALL_OBS = ["o1", "o2", "o3", "o4", "o5", "o6"]


@pytest.mark.parametrize(("expression", "expected"), [
    ("result eq 5", ["o1"]),
    ("result ne 5", ["o2", "o6"]),
    ("result gt 5", ["o2"]),
    ("result ge 5", ["o1", "o2"]),
    ("result lt 5", ["o6"]),
    ("result le 5", ["o1", "o6"]),
    ("result gt 0 and result lt 10", ["o1"]),
    ("result gt 20 or result lt 0", ["o2", "o6"]),
    ("not (result gt 0)", ["o6"]),  # non-numeric results: the comparison is null, omitted
    ("result add 5 gt 10", ["o2"]),
    ("result sub 5 gt 10", ["o2"]),
    ("result mul 2 gt 20", ["o2"]),
    ("result div 2 gt 4", ["o2"]),
    ("result mod 2 eq 1", ["o1"]),
    ("result mod 2 eq -1", ["o6"]),  # the sign of the dividend, on both stores
    ("(result sub 5) gt 10", ["o2"]),
    ("result add 5 mul 2 eq 15", ["o1"]),  # mul binds tighter than add
    ("result lt 0 or result gt 0 and result gt 100", ["o6"]),  # and binds tighter than or
    ("- result eq 7", ["o6"]),
    ("result div 0 eq 1", []),  # no error on either store
    ("1 eq 1", ALL_OBS),
    ("true", ALL_OBS),
    ("false or 2 gt 3", []),
    ("7 div 2 eq 3 and -7 div 2 eq -3 and 7 mod -2 eq 1", ALL_OBS),
])
def test_operators_req_built_in_filter_operations(world: Any, expression: str,
                                                  expected: list[str]) -> None:
    """req/request-data/built-in-filter-operations: Table 22 on Observation results."""
    assert rows("Observation", expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("substringof('Sensor Things', description)", ["Weather station"]),
    ("substringof('sensor', description)", []),  # case-sensitive, also on SQLite
    ("contains(description, 'Things')", ["Weather station"]),
    ("endswith(description, 'Things')", ["Weather station"]),
    ("endswith(description, 'things')", []),
    ("endswith(name, '')", ["Air quality", "Empty", "Weather station"]),
    ("startswith(description, 'Sensor')", ["Weather station"]),
    ("startswith(name, 'a')", []),
    ("not startswith(name, 'A')", ["Empty", "Weather station"]),
    ("length(description) eq 13", ["Weather station"]),
    ("indexof(description, 'Things') eq 7", ["Weather station"]),
    ("indexof(name, 'zzz') eq -1", ["Air quality", "Empty", "Weather station"]),
    ("substring(description, 1) eq 'ensor Things'", ["Weather station"]),
    ("substring(description, 2, 4) eq 'nsor'", ["Weather station"]),
    ("tolower(description) eq 'sensor things'", ["Weather station"]),
    ("toupper(description) eq 'SENSOR THINGS'", ["Weather station"]),
    ("trim(description) eq 'padded'", ["Air quality"]),
    ("concat(name, '!') eq 'Empty!'", ["Empty"]),
    ("name gt 'B'", ["Empty", "Weather station"]),
])
def test_string_functions_req_built_in_query_functions(world: Any, expression: str,
                                                       expected: list[str]) -> None:
    """req/request-data/built-in-query-functions: string functions of Table 23."""
    assert rows("Thing", expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("length(name) div 2 eq 2", ["Empty"]),  # integers divide to a truncated integer
    ("length(name) div 2.0 eq 2.5", ["Empty"]),
    ("id add 9223372036854775807 gt 0", ["Air quality", "Empty", "Weather station"]),
    ("id mul 3037000500 mul 3037000500 gt 0", ["Air quality", "Empty", "Weather station"]),
    ("substring(name, properties/height) eq 'ation'", ["Weather station"]),
    ("substring(name, properties/height mul 1e300) eq ''", ["Air quality", "Weather station"]),
])
def test_arithmetic_edges_behave_alike_on_both_stores(world: Any, expression: str,
                                                      expected: list[str]) -> None:
    """req/request-data/built-in-filter-operations: integer division, no overflow error
    on PostgreSQL, any number as a substring position."""
    assert rows("Thing", expression) == expected


def test_concat_of_json_members_req_built_in_query_functions(world: Any) -> None:
    """req/request-data/built-in-query-functions: Table 23's concat example."""
    expression = ("concat(concat(unitOfMeasurement/symbol, ', '), unitOfMeasurement/name) "
                  "eq 'degC, degree Celsius'")
    assert rows("Datastream", expression) == ["D1", "D3"]


def test_string_with_quote_req_filter(world: Any) -> None:
    """req/request-data/filter: string literals with an escaped quote."""
    m.Thing.objects.create(name="O'Brien")
    assert rows("Thing", "name eq 'O''Brien'") == ["O'Brien"]


@pytest.mark.parametrize(("expression", "expected"), [
    ("round(result) eq 21", ["o2"]),  # 20.5: half away from zero (not to even) on both stores
    ("round(result div 2) eq -4", ["o6"]),  # -3.5
    ("floor(result) eq 20", ["o2"]),
    ("ceiling(result) eq 21", ["o2"]),
    ("floor(result) eq -7 and ceiling(result) eq -7", ["o6"]),
    ("round(2.5) eq 3 and floor(-0.5) eq -1", ALL_OBS),
])
def test_math_functions_req_built_in_query_functions(world: Any, expression: str,
                                                     expected: list[str]) -> None:
    """req/request-data/built-in-query-functions: round, floor, ceiling."""
    assert rows("Observation", expression) == expected


@pytest.mark.parametrize(("entity", "expression", "expected"), [
    ("Observation", "Datastream/name eq 'D1'", ["o1", "o2", "o3"]),
    ("Observation", "Datastream/Thing/name eq 'Air quality'", ["o5", "o6"]),
    ("Observation", "FeatureOfInterest/name eq 'F2' and result eq true", ["o4"]),
    ("Thing", "Datastreams/name eq 'D1'", ["Weather station"]),
    ("Thing", "Datastreams/Observations/result gt 0", ["Weather station"]),
    ("Thing", "Datastreams/Observations/result lt 100", ["Air quality", "Weather station"]),
    ("Thing", "Locations/name eq 'L2' or Locations/name eq 'L3'", ["Air quality"]),
    ("Thing", "Locations/name ne 'L1'", ["Air quality"]),
    ("Thing", "not (Datastreams/name eq 'D1')", ["Air quality", "Empty"]),
    ("Thing", "Datastreams/unitOfMeasurement/symbol eq '%'", ["Weather station"]),
    ("Location", "Things/Datastreams/name eq 'D3'", ["L2", "L3"]),
    ("Datastream", "Thing/Locations/name eq 'L3' and name eq 'D3'", ["D3"]),
    ("FeatureOfInterest", "Observations/Datastream/Thing/name eq 'Weather station'",
     ["F1", "F2"]),
])
def test_navigation_paths_req_filter(world: Any, entity: str, expression: str,
                                     expected: list[str]) -> None:
    """req/request-data/filter: properties of linked entities; a to-many path matches
    when any related entity does, and never repeats a row."""
    assert rows(entity, expression) == expected


def test_related_id_req_filter(world: Any) -> None:
    """req/request-data/filter: ``Datastream/id eq 1`` (Example 2 of the $filter clause)."""
    d1 = world["streams"][0]
    assert rows("Observation", f"Datastream/id eq {d1.pk}") == ["o1", "o2", "o3"]
    assert rows("Observation", f"Datastream/id eq '{d1.pk}'") == ["o1", "o2", "o3"]
    assert rows("Observation", "FeatureOfInterest/id eq 'FOI_1'") == []
    assert rows("Observation", f"Datastream/id ne {d1.pk} and result lt 0") == ["o6"]


def test_to_many_paths_compile_to_exists_req_filter(world: Any) -> None:
    """req/request-data/filter: each entity is evaluated once (no join duplicates)."""
    condition = compile_filter(parse_filter("Datastreams/Observations/result gt -100"), THING)
    assert "EXISTS" in str(m.Thing.objects.filter(condition).query)
    assert m.Thing.objects.filter(condition).count() == 2


@pytest.mark.parametrize(("entity", "expression", "expected"), [
    ("Thing", "properties/owner eq 'city'", ["Weather station"]),
    ("Thing", "properties/height gt 5", ["Weather station"]),
    ("Thing", "properties/height lt 5", ["Air quality"]),
    ("Thing", "properties/height eq '10'", []),  # a number is not the text '10'
    ("Thing", "properties/active eq true", ["Weather station"]),
    ("Thing", "properties/active", ["Weather station"]),
    ("Thing", "not properties/active", ["Air quality"]),
    ("Thing", "properties/tags/colour eq 'red'", ["Weather station"]),
    ("Thing", "properties/list/1 eq 5", ["Weather station"]),
    ("Thing", "properties/owner eq null", ["Empty"]),
    ("Thing", "properties/owner ne null", ["Air quality", "Weather station"]),
    ("Thing", "properties/height add 1 gt 3", ["Air quality", "Weather station"]),
    ("Thing", "length(properties/owner) eq 4", ["Weather station"]),
    ("Datastream", "unitOfMeasurement/name eq 'degree Celsius'", ["D1", "D3"]),
    ("Datastream", "unitOfMeasurement/name ne 'degree Celsius'", ["D2"]),
    ("Observation", "parameters/depth eq 1", ["o1"]),
    ("Observation", "result eq 'high'", ["o3"]),
    ("Observation", "result eq true", ["o4"]),
    ("Observation", "result/a eq 3", ["o5"]),
    ("Observation", "result/b eq 'x'", ["o5"]),
    ("Observation", "result/a eq null", [*ALL_OBS[:4], "o6"]),
])
def test_json_members_req_filter(world: Any, entity: str, expression: str,
                                 expected: list[str]) -> None:
    """req/request-data/filter: JSON members compared by their JSON type."""
    assert rows(entity, expression) == expected


@pytest.mark.parametrize(("expression", "fragment", "pos"), [
    ("nme eq 'x'", "unknown property 'nme' of Thing; known: id, name, description", 0),
    ("name eq 1", "cannot compare a string with a number", 0),
    ("Datastreams eq 1", "'Datastreams' is an entity, not a value", 0),
    ("name/x eq 'a'", "Thing/name has no members", 0),
    ("startswith(id, 'a')", "startswith() needs a string, got a number", 11),
    ("name", "expected a condition, got a string", 0),
    ("name gt null", "null cannot be compared with 'gt'", 0),
    ("geo.distance(name, geography'POINT(1 1)') lt 1", "needs a geometry", 13),
    ("substring(name, -1) eq 'a'", "non-negative integer", 16),
    ("Datastreams/Observations/nothing eq 1", "unknown property 'nothing' of Observation", 0),
])
def test_compile_errors_say_what_and_where_req_filter(world: Any, expression: str,
                                                      fragment: str, pos: int) -> None:
    with pytest.raises(BadRequest) as caught:
        compile_filter(parse_filter(expression), THING)
    assert fragment in caught.value.message
    assert caught.value.message.endswith(f"at position {pos}")
    assert caught.value.where == "$filter"


@pytest.mark.parametrize(("entity", "orderby", "expected"), [
    ("Thing", "name", ["Air quality", "Empty", "Weather station"]),
    ("Thing", "name desc", ["Weather station", "Empty", "Air quality"]),
    ("Thing", "length(name) desc", ["Weather station", "Air quality", "Empty"]),
    ("Thing", "properties/height", ["Empty", "Air quality", "Weather station"]),
    ("Thing", "properties/height desc", ["Weather station", "Air quality", "Empty"]),
    ("Thing", "startswith(name, 'E') desc, name", ["Empty", "Air quality", "Weather station"]),
    ("Datastream", "phenomenonTime, name desc", ["D3", "D2", "D1"]),
    ("Datastream", "Thing/name, name desc", ["D3", "D2", "D1"]),
    ("Observation", "Datastream/name desc, phenomenonTime desc",
     ["o5", "o6", "o4", "o3", "o2", "o1"]),
])
def test_orderby_req_orderby(world: Any, entity: str, orderby: str,
                             expected: list[str]) -> None:
    """req/request-data/orderby: several keys, asc/desc, paths to one entity, functions;
    nulls first ascending and last descending on both stores."""
    assert ordered(entity, orderby) == expected


def test_orderby_result_numbers_req_orderby(world: Any) -> None:
    """req/request-data/orderby: numeric results sort numerically (not as text)."""
    keys = compile_orderby(parse_orderby("result desc"), OBSERVATION)
    numeric = m.Observation.objects.filter(result_number__isnull=False).order_by(*keys)
    assert [o.parameters["key"] for o in numeric] == ["o2", "o1", "o6"]


@pytest.mark.parametrize(("orderby", "fragment"), [
    ("Datastreams/name", "$orderby cannot use the to-many navigation 'Datastreams'"),
    ("nme", "unknown property 'nme' of Thing"),
    ("Locations/location", "to-many"),
])
def test_orderby_errors_req_orderby(world: Any, orderby: str, fragment: str) -> None:
    with pytest.raises(BadRequest) as caught:
        compile_orderby(parse_orderby(orderby), THING)
    assert fragment in caught.value.message
    assert caught.value.where == "$orderby"


@pytest.mark.parametrize(("entity", "orderby"), [
    (THING, "properties/height"), (OBSERVATION, "result"), (OBSERVATION, "phenomenonTime desc"),
    (THING, "startswith(name, 'x')"), (OBSERVATION, "Datastream/name"),
    (OBSERVATION, "result/a desc"),
])
def test_orderby_keys_can_be_annotated_and_read(world: Any, entity: Any, orderby: str) -> None:
    """req/request-data/orderby: the paging code selects each key's value (keyset
    paging), so every key must also be readable as a column on both stores."""
    keys = compile_orderby(parse_orderby(orderby), entity)
    queryset = entity.model.objects.annotate(_k0=keys[0].expression).order_by(keys[0])
    values = list(queryset.values_list("_k0", flat=True))
    assert len(values) == entity.model.objects.count()
    assert any(v is not None for v in values)
