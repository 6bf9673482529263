"""Times in $filter (OGC 18-088 req/request-data/filter: ISO 8601 time literals;
req/request-data/built-in-query-functions: date functions).

phenomenonTime of the observations (UTC): o6 2023-12-31T23:00 (instant), o1 2024-01-01T00:00,
o2 2024-01-02T00:00/2024-01-02T06:00 (interval), o3 2024-01-03T12:30:15.25, o4 2024-01-05,
o5 2024-02-01. Comparison semantics are documented in sensors/sta/odata/compare.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.sensors.sta.odata.conftest import rows

pytestmark = pytest.mark.django_db
ALL_OBS = ["o1", "o2", "o3", "o4", "o5", "o6"]


@pytest.fixture(autouse=True)
def _berlin(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Berlin"


@pytest.mark.parametrize(("expression", "expected"), [
    # an interval is after t only when it starts after t, before t only when it ends before t
    ("phenomenonTime gt 2024-01-02T03:00:00Z", ["o3", "o4", "o5"]),
    ("phenomenonTime lt 2024-01-02T03:00:00Z", ["o1", "o6"]),
    ("phenomenonTime ge 2024-01-02T00:00:00Z", ["o2", "o3", "o4", "o5"]),
    ("phenomenonTime le 2024-01-02T06:00:00Z", ["o1", "o2", "o6"]),
    ("phenomenonTime lt 2024-01-02T06:00:00Z", ["o1", "o6"]),
    ("2024-01-02T03:00:00Z lt phenomenonTime", ["o3", "o4", "o5"]),
    # eq: only an instant equals an instant; an interval equals the same interval
    ("phenomenonTime eq 2024-01-01T00:00:00Z", ["o1"]),
    ("phenomenonTime eq 2024-01-02T00:00:00Z", []),
    ("phenomenonTime eq 2024-01-02T00:00:00Z/2024-01-02T06:00:00Z", ["o2"]),
    ("phenomenonTime ne 2024-01-01T00:00:00Z", ["o2", "o3", "o4", "o5", "o6"]),
    # interval literals: wholly after / before
    ("phenomenonTime gt 2024-01-01T00:00:00Z/2024-01-02T00:00:00Z", ["o3", "o4", "o5"]),
    ("phenomenonTime ge 2024-01-01T00:00:00Z/2024-01-02T00:00:00Z", ["o2", "o3", "o4", "o5"]),
    ("phenomenonTime lt 2024-01-01T00:00:00Z/P1D", ["o6"]),
    ("phenomenonTime le 2024-01-01T00:00:00Z/P1D", ["o1", "o6"]),
    # a day's window
    ("phenomenonTime ge 2024-01-01T00:00:00Z and phenomenonTime lt 2024-01-03T00:00:00Z",
     ["o1", "o2"]),
    # no offset: local time (Europe/Berlin, +01:00 in winter)
    ("phenomenonTime eq 2024-01-01T01:00:00", ["o1"]),
    ("phenomenonTime ge 2024-01-05", ["o4", "o5"]),
])
def test_time_comparisons_req_filter(world: Any, expression: str, expected: list[str]) -> None:
    """req/request-data/filter: TM_Object (instant or period) compared with ISO 8601 times."""
    assert rows("Observation", expression) == expected


@pytest.mark.parametrize(("entity", "expression", "expected"), [
    ("Observation", "resultTime eq 2024-01-01T00:00:01Z", ["o1"]),
    ("Observation", "resultTime gt 2020-01-01T00:00:00Z", ["o1"]),
    ("Observation", "resultTime eq null", ["o2", "o3", "o4", "o5", "o6"]),
    ("Observation", "validTime le 2024-01-03T00:00:00Z", ["o2"]),
    ("Observation", "validTime gt 2024-01-01T00:00:00Z", ["o2"]),
    ("Datastream", "phenomenonTime ge 2024-01-01T00:00:00Z", ["D1"]),
    ("Datastream", "phenomenonTime lt 2024-01-05T00:00:00Z", []),
    ("Datastream", "phenomenonTime le 2024-01-10T00:00:00Z", ["D1"]),
    ("Datastream", "phenomenonTime eq null", ["D2", "D3"]),
    ("Thing", "Datastreams/phenomenonTime gt 2023-01-01T00:00:00Z", ["Weather station"]),
])
def test_instant_and_period_properties_req_filter(world: Any, entity: str, expression: str,
                                                  expected: list[str]) -> None:
    """req/request-data/filter: resultTime (instant), validTime and Datastream
    phenomenonTime (periods with start and end)."""
    assert rows(entity, expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("year(phenomenonTime) eq 2023", ["o6"]),
    ("month(phenomenonTime) eq 2", ["o5"]),
    ("day(phenomenonTime) eq 3", ["o3"]),
    ("hour(phenomenonTime) eq 12", ["o3"]),
    ("minute(phenomenonTime) eq 30", ["o3"]),
    ("second(phenomenonTime) eq 15", ["o3"]),
    ("fractionalseconds(phenomenonTime) eq 0.25", ["o3"]),
    ("fractionalseconds(phenomenonTime) eq 0 and day(phenomenonTime) eq 2", ["o2"]),
    ("date(phenomenonTime) eq 2024-01-03", ["o3"]),
    ("date(phenomenonTime) ne date(resultTime)", []),
    ("date(phenomenonTime) eq date(resultTime)", ["o1"]),
    ("time(phenomenonTime) gt 12:00:00", ["o3", "o6"]),
    ("totaloffsetminutes(phenomenonTime) eq 0", ALL_OBS),
    ("phenomenonTime lt now()", ALL_OBS),
    ("phenomenonTime gt now()", []),
    ("phenomenonTime gt mindatetime() and phenomenonTime lt maxdatetime()", ALL_OBS),
    ("year(2024-06-30T23:30:00-01:00) eq 2024 and month(2024-06-30T23:30:00-01:00) eq 7",
     ALL_OBS),
])
def test_date_functions_req_built_in_query_functions(world: Any, expression: str,
                                                     expected: list[str]) -> None:
    """req/request-data/built-in-query-functions: date functions, read in UTC."""
    assert rows("Observation", expression) == expected


@pytest.mark.parametrize(("expression", "expected"), [
    ("phenomenonTime gt 2024-01-01T00:00:00Z add duration'P1D'", ["o3", "o4", "o5"]),
    ("phenomenonTime add duration'PT1H' eq 2024-01-01T01:00:00Z", ["o1"]),
    ("phenomenonTime sub duration'PT6H' le 2024-01-02T00:00:00Z", ["o1", "o2", "o6"]),
    ("resultTime sub 2024-01-01T00:00:00Z eq duration'PT1S'", ["o1"]),
    ("resultTime sub 2024-01-01T00:00:00Z gt duration'PT1M'", []),
])
def test_durations_req_filter(world: Any, expression: str, expected: list[str]) -> None:
    """req/request-data/filter: times shifted by ISO 8601 durations."""
    assert rows("Observation", expression) == expected
