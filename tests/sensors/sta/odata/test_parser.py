"""Parsing $filter and $orderby (OGC 18-088 req/request-data/filter,
req/request-data/built-in-filter-operations, req/request-data/orderby)."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from smartcity.core.errors import BadRequest
from smartcity.sensors.entities import ENTITY_TYPES
from smartcity.sensors.sta.odata import (
    compile_filter,
    compile_orderby,
    parse_filter,
    parse_orderby,
)
from smartcity.sensors.sta.odata.ast import Binary, Call, Literal, LitKind, OrderItem, Path, Unary
from smartcity.sensors.sta.odata.functions import _COMPILERS
from smartcity.sensors.sta.odata.parser import FUNCTIONS


def shape(node: object) -> object:
    """A compact nested form of a tree, for comparing structure."""
    if isinstance(node, Binary):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, Unary):
        return (node.op, shape(node.operand))
    if isinstance(node, Call):
        return (node.name, *[shape(a) for a in node.args])
    if isinstance(node, Path):
        return "/".join(node.segments)
    if isinstance(node, Literal):
        return node.value
    raise AssertionError(node)


@pytest.mark.parametrize(("text", "tree"), [
    ("a add b mul c", ("add", "a", ("mul", "b", "c"))),
    ("a sub b sub c", ("sub", ("sub", "a", "b"), "c")),
    ("(a add b) mul c", ("mul", ("add", "a", "b"), "c")),
    ("a mod 2 eq 0", ("eq", ("mod", "a", 2), 0)),
    ("a gt 1 eq true", ("eq", ("gt", "a", 1), True)),
    ("a eq 1 or b eq 2 and c eq 3",
     ("or", ("eq", "a", 1), ("and", ("eq", "b", 2), ("eq", "c", 3)))),
    ("not a eq b", ("eq", ("not", "a"), "b")),
    ("not (a eq b)", ("not", ("eq", "a", "b"))),
    ("- a mul 2", ("mul", ("-", "a"), 2)),
    ("-2.5 lt a", ("lt", -2.5, "a")),
])
def test_operator_precedence_req_built_in_filter_operations(text: str, tree: object) -> None:
    """req/request-data/built-in-filter-operations: OData 4.0 precedence
    (unary > multiplicative > additive > relational > equality > and > or)."""
    assert shape(parse_filter(text)) == tree


def test_paths_and_calls_req_filter() -> None:
    """req/request-data/filter: properties of linked entities and JSON members."""
    node = parse_filter("startswith(Datastream/Thing/name, 'A') and properties/list/1 eq 5")
    assert shape(node) == ("and", ("startswith", "Datastream/Thing/name", "A"),
                           ("eq", "properties/list/1", 5))


def test_literals_req_filter() -> None:
    """req/request-data/filter: strings, numbers, booleans, null, ISO 8601 times."""
    node = parse_filter("year(2024-01-01T01:00:00+01:00)")
    assert isinstance(node, Call)
    assert node.args[0] == Literal(5, LitKind.DATETIME, datetime(2024, 1, 1, tzinfo=UTC))
    cases = {
        "'it''s'": (LitKind.STRING, "it's"), "42": (LitKind.NUMBER, 42),
        "1.5e2": (LitKind.NUMBER, 150.0), "true": (LitKind.BOOL, True),
        "null": (LitKind.NULL, None), "2024-02-29": (LitKind.DATE, date(2024, 2, 29)),
        "13:45:00": (LitKind.TIMEOFDAY, time(13, 45)),
        "duration'P1DT2H'": (LitKind.DURATION, timedelta(days=1, hours=2)),
        "2024-01-01T00:00:00Z/P1D": (LitKind.INTERVAL, (datetime(2024, 1, 1, tzinfo=UTC),
                                                        datetime(2024, 1, 2, tzinfo=UTC))),
    }
    for text, (kind, value) in cases.items():
        literal = parse_filter(f"x eq {text}")
        assert isinstance(literal, Binary) and isinstance(literal.right, Literal)
        assert (literal.right.kind, literal.right.value) == (kind, value), text


def test_naive_datetime_is_local_time(settings: object) -> None:
    """req/request-data/filter: a time without offset is read in SMARTCITY_TIME_ZONE."""
    settings.TIME_ZONE = "Europe/Berlin"  # type: ignore[attr-defined]
    node = parse_filter("x eq 2024-07-01T12:00:00")
    assert isinstance(node, Binary) and isinstance(node.right, Literal)
    assert node.right.value == datetime(2024, 7, 1, 10, tzinfo=UTC)


def test_geometry_literal_is_validated_wkt() -> None:
    node = parse_filter("st_within(location, geography'POLYGON((0 0, 1 0, 1 1, 0 0))')")
    assert isinstance(node, Call) and isinstance(node.args[1], Literal)
    assert node.args[1].value == "POLYGON ((0 0, 1 0, 1 1, 0 0))"
    with pytest.raises(BadRequest, match=r"invalid geometry literal.* at position 20$"):
        parse_filter("st_within(location, geography'POLYGON((0 0, 1 0')")


@pytest.mark.parametrize(("text", "message"), [
    ("(name eq 'a'", "expected ')', found the end of the expression at position 12"),
    ("name eq 'a' 'b'", "expected an operator or the end of the expression, found string "
                        "at position 12"),
    ("startswith(name)", "startswith() takes 2 argument(s), got 1 at position 0"),
    ("frobnicate(name)", "unknown function 'frobnicate'"),
    ("name eq", "expected a value, found the end of the expression at position 7"),
    ("name eq 2024-13-01T00:00:00Z", "invalid datetime literal"),
    ("Datastream/ eq 1", "expected a property name after '/', found 'eq' at position 12"),
    ("x eq 2024-01-02T00:00:00Z/2024-01-01T00:00:00Z", "ends before it starts"),
])
def test_syntax_errors_say_what_and_where_req_filter(text: str, message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_filter(text)
    assert message in caught.value.message
    assert caught.value.where == "$filter"


def test_deep_nesting_is_a_bad_request_not_a_crash() -> None:
    with pytest.raises(BadRequest, match="nested too deeply"):
        parse_filter("(" * 500 + "id eq 1" + ")" * 500)
    with pytest.raises(BadRequest, match="nested too deeply"):
        parse_filter("not " * 500 + "true")
    with pytest.raises(BadRequest, match="nested too deeply"):
        parse_filter("id" + " add 1" * 500 + " eq 1")


def test_long_or_chain_is_fine() -> None:
    """Clients list ids: ``id eq 1 or id eq 2 or ...`` must not hit a depth limit."""
    node = parse_filter(" or ".join(f"id eq {i}" for i in range(500)))
    assert isinstance(node, Binary) and node.op == "or"


def test_orderby_keys_req_orderby() -> None:
    """req/request-data/orderby: comma-separated keys with asc/desc."""
    items = parse_orderby("Datastream/name desc, length(name),id asc")
    assert [(shape(i.expr), i.descending) for i in items] == [
        ("Datastream/name", True), (("length", "name"), False), ("id", False)]
    assert isinstance(items[0], OrderItem)


@pytest.mark.parametrize(("text", "descending"), [
    ("name DESC", True), ("name Desc", True), ("name ASC", False), ("name aSc", False)])
def test_orderby_direction_in_any_case(text: str, descending: bool) -> None:
    """OData 4.01 takes asc and desc in any case; FROST's Python client sends DESC."""
    [item] = parse_orderby(text)
    assert shape(item.expr) == "name" and item.descending is descending


def test_iot_id_in_paths() -> None:
    node = parse_filter("Datastream/Thing/@iot.id eq 1 and @iot.id gt 3")
    assert shape(node) == ("and", ("eq", "Datastream/Thing/@iot.id", 1), ("gt", "@iot.id", 3))
    assert [shape(i.expr) for i in parse_orderby("@iot.id desc")] == ["@iot.id"]


@pytest.mark.parametrize("text", ["name desc desc", "name,", "", "name sideways"])
def test_orderby_errors_name_orderby(text: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_orderby(text)
    assert caught.value.where == "$orderby"
    assert "position" in caught.value.message


def test_parser_and_compiler_know_the_same_functions() -> None:
    """req/request-data/built-in-query-functions: every function of Table 23."""
    table_23 = {"substringof", "endswith", "startswith", "length", "indexof", "substring",
                "tolower", "toupper", "trim", "concat", "year", "month", "day", "hour",
                "minute", "second", "fractionalseconds", "date", "time", "totaloffsetminutes",
                "now", "mindatetime", "maxdatetime", "round", "floor", "ceiling",
                "geo.distance", "geo.length", "geo.intersects", "st_equals", "st_disjoint",
                "st_touches", "st_within", "st_overlaps", "st_crosses", "st_intersects",
                "st_contains", "st_relate"}
    assert table_23 <= set(FUNCTIONS)
    assert set(FUNCTIONS) == set(_COMPILERS)


@hypothesis_settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_any_text_only_raises_bad_request(text: str) -> None:
    """req/request-data/filter: an invalid expression is a 400, never a server error."""
    for parse in (parse_filter, parse_orderby):
        with contextlib.suppress(BadRequest):
            parse(text)


_WORDS = ["name", "id", "result", "properties/a", "Datastream/name", "Datastreams/name",
          "phenomenonTime", "location", "result/x/0", "unitOfMeasurement/symbol",
          "Locations/location", "observedArea", "feature", "resultTime", "validTime",
          "Thing/Locations/location", "'T********'", "1e5",
          "geometry'LINESTRING(0 0, 1 1)'", "eq", "ne", "gt", "lt", "and", "or", "not", "add",
          "sub", "mul", "div", "mod", "(", ")", ",", "-", "1", "0", "2.5", "'x'", "''", "null",
          "true", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z/P1D", "duration'PT1H'",
          "geography'POINT(1 2)'", "2024-01-01", "12:00:00", "/", "asc", "desc",
          *sorted(FUNCTIONS)]


@hypothesis_settings(max_examples=int(os.environ.get("ODATA_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), max_size=12),
       st.sampled_from([e.name for e in ENTITY_TYPES]))
def test_token_soup_only_raises_bad_request_down_to_the_database(
        world: Any, words: list[str], entity_name: str) -> None:
    """req/request-data/filter: whatever parses either compiles and runs on the store (on
    the rows of the test world, so functions meet real values) or is a BadRequest; no SQL
    error reaches the client."""
    from smartcity.sensors.entities import BY_NAME

    entity = BY_NAME[entity_name]
    text = " ".join(words)
    with contextlib.suppress(BadRequest):
        condition = compile_filter(parse_filter(text), entity)
        list(entity.model.objects.filter(condition))
    with contextlib.suppress(BadRequest):
        keys = compile_orderby(parse_orderby(text), entity)
        list(entity.model.objects.order_by(*keys))


_ATOMS = [w for w in _WORDS if w not in FUNCTIONS and w not in (
    "eq", "ne", "gt", "lt", "and", "or", "not", "add", "sub", "mul", "div", "mod", "(", ")",
    ",", "-", "/", "asc", "desc")]
_BINARY = ["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "add", "sub", "mul", "div", "mod"]


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args[:FUNCTIONS[name][0]])})"


_EXPRESSIONS = st.recursive(
    st.sampled_from(_ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(_BINARY), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"not {e}"),
        st.builds(_call, st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, min_size=3,
                                                                       max_size=3)),
    ),
    max_leaves=6,
)


@hypothesis_settings(max_examples=int(os.environ.get("ODATA_FUZZ_EXAMPLES", "300")),
                     deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_EXPRESSIONS, st.sampled_from([e.name for e in ENTITY_TYPES]))
def test_generated_expressions_only_raise_bad_request(world: Any, text: str,
                                                      entity_name: str) -> None:
    """req/request-data/filter: well-formed expressions of every shape, well- or ill-typed,
    run on the store or are a BadRequest."""
    from smartcity.sensors.entities import BY_NAME

    entity = BY_NAME[entity_name]
    with contextlib.suppress(BadRequest):
        list(entity.model.objects.filter(compile_filter(parse_filter(text), entity)))
    with contextlib.suppress(BadRequest):
        list(entity.model.objects.order_by(*compile_orderby(parse_orderby(text), entity)))
