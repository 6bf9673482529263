"""The tokens of the $filter language (OGC 18-088 req/request-data/filter: literals are
single-quoted strings, numbers, booleans and ISO 8601 times)."""

from __future__ import annotations

import pytest

from smartcity.core.errors import BadRequest
from smartcity.sensors.sta.odata.lexer import Tok, tokenize


def kinds(text: str) -> list[Tok]:
    return [token.kind for token in tokenize(text)][:-1]


def test_string_literal_with_doubled_quote_req_filter() -> None:
    """req/request-data/filter: strings in single quotes, '' is one quote."""
    tokens = tokenize("name eq 'O''Brien'")
    assert [t.kind for t in tokens] == [Tok.NAME, Tok.NAME, Tok.STRING, Tok.END]
    assert tokens[2].text == "O'Brien"
    assert (tokens[2].pos, tokens[2].end) == (8, 18)


def test_numbers_req_filter() -> None:
    """req/request-data/filter: integers and decimals, including exponents."""
    tokens = tokenize("1 2.5 1e3 6.02E-23")
    assert [t.kind for t in tokens[:-1]] == [Tok.INT, Tok.DECIMAL, Tok.DECIMAL, Tok.DECIMAL]
    assert [t.text for t in tokens[:-1]] == ["1", "2.5", "1e3", "6.02E-23"]


def test_integer_beyond_64_bits_is_decimal() -> None:
    assert kinds("99999999999999999999999") == [Tok.DECIMAL]


def test_infinite_number_is_refused() -> None:
    with pytest.raises(BadRequest, match="out of range at position 3"):
        tokenize("id 1e999")


def test_times_req_filter() -> None:
    """req/request-data/filter: datetime values as ISO 8601 strings; intervals too."""
    assert kinds("2024-01-01T00:00:00Z 2024-01-01T01:00:00+01:00 2024-01-01T00:00") == \
        [Tok.DATETIME] * 3
    assert kinds("2024-01-01T00:00:00Z/2024-01-02T00:00:00Z") == [Tok.INTERVAL]
    assert kinds("2024-01-01T00:00:00Z/P1D") == [Tok.INTERVAL]
    assert kinds("2024-01-01 12:30:00.5 duration'PT1H'") == \
        [Tok.DATE, Tok.TIMEOFDAY, Tok.DURATION]


def test_geography_literal_req_built_in_query_functions() -> None:
    """req/request-data/built-in-query-functions: geography'WKT' arguments."""
    tokens = tokenize("st_within(location, geography'POLYGON ((30 10, 10 20, 20 40, 30 10))')")
    assert [t.kind for t in tokens[:-1]] == [Tok.NAME, Tok.LPAREN, Tok.NAME, Tok.COMMA, Tok.GEO,
                                             Tok.RPAREN]
    assert tokens[4].text.startswith("POLYGON")
    assert kinds("geometry'POINT(1 2)'") == [Tok.GEO]


def test_names_paths_and_punctuation() -> None:
    tokens = tokenize("geo.distance(Datastream/Thing/name,-1)")
    assert [t.text for t in tokens[:-1]] == ["geo.distance", "(", "Datastream", "/", "Thing",
                                             "/", "name", ",", "-", "1", ")"]


@pytest.mark.parametrize(("text", "message", "pos"), [
    ("name eq 'abc", "unterminated string literal starting", 8),
    ("name eq #", "unexpected character '#'", 8),
    ("12abc", "unexpected character '1'", 0),
    ("name eq foo'x'", "unknown literal type 'foo'", 8),
])
def test_lexer_errors_say_what_and_where(text: str, message: str, pos: int) -> None:
    with pytest.raises(BadRequest) as caught:
        tokenize(text)
    assert caught.value.message.startswith(message)
    assert caught.value.message.endswith(f"at position {pos}")
    assert caught.value.where == "$filter"


def test_iot_id_annotation_is_a_name() -> None:
    """@iot.id in a path, as $select takes it (FROST-Server reads it so)."""
    tokens = tokenize("Datastream/@iot.id eq 1")
    assert [t.kind for t in tokens[:-1]] == [Tok.NAME, Tok.SLASH, Tok.NAME, Tok.NAME, Tok.INT]
    assert (tokens[2].text, tokens[2].pos, tokens[2].end) == ("@iot.id", 11, 18)


@pytest.mark.parametrize("text", ["@iot.selfLink eq 1", "@iot.idx eq 1", "@ eq 1", "name eq @"])
def test_other_annotations_are_refused(text: str) -> None:
    with pytest.raises(BadRequest, match=r"only @iot\.id"):
        tokenize(text)
