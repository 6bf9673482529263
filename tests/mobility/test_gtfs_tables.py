"""The field parsers of GTFS tables; the fast path of times held to the full check."""

from __future__ import annotations

import itertools
import re

import pytest

from smartcity.mobility.gtfs import tables

_FULL = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)")


def _reference(value: str) -> int | None:
    """The reference's Time, by the expression alone."""
    match = _FULL.fullmatch(value.strip())
    if match is None:
        raise tables.FieldError("t", "no")
    h, m, s = (int(p) for p in match.groups())
    if h > 47:
        raise tables.FieldError("t", "late")
    return h * 3600 + m * 60 + s


def _parse(parser, value):
    try:
        return parser(value)
    except tables.FieldError:
        return "error"


VALUES = [
    "".join(parts)
    for parts in itertools.product(
        ["00", "07", "23", "24", "47", "48", "99", "+1", " 7", "\u0660\u0667", "7", "1a"],
        [":"],
        ["00", "59", "60", "5x"],
        [":", "-"],
        ["00", "59", "60", "0"],
    )
] + ["", "  ", "8:00:00", "123:00:00", "25:10:00", "08:00:00 "]


@pytest.mark.parametrize("value", VALUES)
def test_the_fast_path_of_times_is_the_full_check(value):
    fast = _parse(lambda v: tables.seconds(v, "t"), value)
    expected = None if not value.strip() else _parse(_reference, value)
    assert fast == expected


def test_a_time_says_what_is_wrong():
    with pytest.raises(tables.FieldError, match="arrival_time: '8:1O:00' is not a time"):
        tables.seconds("8:1O:00", "arrival_time")
    with pytest.raises(tables.FieldError, match="more than two days"):
        tables.seconds("48:00:00", "arrival_time")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tables.day({"d": "20260230"}, "d"), "not a date of the calendar"),
        (lambda: tables.day({"d": "2026-02-01"}, "d"), "not a date YYYYMMDD"),
        (lambda: tables.enum({"e": "7"}, "e", range(3)), "'7' is not one of 0..2"),
        (lambda: tables.coordinate({"c": "x"}, "c", 90), "'x' is not a number"),
        (lambda: tables.color({"c": "#FF0000"}, "c"), "not a colour of six hex digits"),
        (lambda: tables.whole({"w": "-1"}, "w"), "not a whole number"),
    ],
)
def test_field_parsers_name_the_field_and_the_fault(call, message):
    with pytest.raises(tables.FieldError, match=message):
        call()
