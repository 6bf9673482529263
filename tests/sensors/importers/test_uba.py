"""The Umweltbundesamt importer on stored answers of the air data API v3 (the real format:
positional arrays described by indices, CET without summer time, hours 1 to 24, null
values, unknown component ids). Station ids, codes and values are made up."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity import cli
from smartcity.core import importers
from smartcity.sensors.importers import common, uba
from smartcity.sensors.models import Datastream, Observation, ObservedProperty, Thing

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "uba.json"


def _payload():
    return json.loads(SAMPLE.read_text())


def _run(payload):
    """Import ``payload`` as the source would send it: a stream of JSON bytes."""
    return importers.run(uba.IMPORTER, json.dumps(payload).encode())


def _utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def _spans(series):
    stream = Datastream.objects.get(properties__ubaSeries=series)
    return list(
        Observation.objects.filter(datastream=stream)
        .order_by("phenomenon_time_start")
        .values_list("phenomenon_time_start", "phenomenon_time_end", "result")
    )


def test_stations_become_things_and_series_datastreams():
    report = _run(_payload())
    assert report.created == {"things": 1, "datastreams": 3, "observations": 7}
    station = Thing.objects.get(properties__stationId="1590")
    assert station.name == "Luftmessstation Hamm Mitte"
    assert station.properties["stationCode"] == "DENW900"
    assert station.locations.get().location["coordinates"] == [7.814, 51.679]
    no2 = Datastream.objects.get(properties__ubaSeries="NO2/1SMW")
    assert no2.name == "Stickstoffdioxid (NO₂), Einstundenmittel (Luftmessstation Hamm Mitte)"
    assert no2.observed_property.definition.endswith("/pollutant/8")
    co = Datastream.objects.filter(properties__ubaSeries__startswith="CO")
    assert not co.exists()


def test_hourly_means_are_the_hour_before_their_cet_end_in_utc():
    _run(_payload())
    assert _spans("NO2/1SMW") == [
        (_utc(2026, 3, 28, 21), _utc(2026, 3, 28, 22), 21),
        # hour 24 of 28 March is the midnight that ends the day: 23:00 UTC
        (_utc(2026, 3, 28, 22), _utc(2026, 3, 28, 23), 19.5),
        (_utc(2026, 3, 29, 0), _utc(2026, 3, 29, 1), 16),
        # Germany changes to summer time at 01:00 UTC on 29 March; the API's CET does not
        (_utc(2026, 3, 29, 1), _utc(2026, 3, 29, 2), 15),
        (_utc(2026, 3, 29, 2), _utc(2026, 3, 29, 3), 14),
    ]


def test_daily_and_eight_hour_means_cover_their_whole_interval():
    _run(_payload())
    # 25 October 2026 has 25 local hours in Germany, but a CET day is always 24 hours
    assert _spans("PM10/1TMW") == [(_utc(2026, 10, 24, 23), _utc(2026, 10, 25, 23), 18.5)]
    assert _spans("O3/8SMW") == [(_utc(2026, 10, 25, 0), _utc(2026, 10, 25, 8), 61)]


def test_what_is_left_out_is_counted_or_rejected():
    report = _run(_payload())
    assert report.skipped["station outside the area"] == 1
    assert report.skipped["value null"] == 1
    assert report.skipped["component C6H6"] == 1
    assert dict(report.rejected) == {
        "/stations/data/1602": "could not convert string to float: 'östlich'",
        "/measures/0/data/1590/2026-03-29 05:00:00": "unknown component id 99",
        "/measures/0/data/1590/2026-03-29 06:00:00": "could not convert string to float: 'viel'",
        "/measures/4/data/4711": "unknown station id 4711",
    }


def test_a_second_run_stores_nothing_twice():
    _run(_payload())
    again = _run(_payload())
    assert again.created == {}
    assert again.skipped["already stored"] == 7
    assert Observation.objects.count() == 7
    assert Thing.objects.count() == 1


def test_shares_observed_properties_with_the_citys_own_sensors():
    ObservedProperty.objects.create(
        name="Stickstoffdioxid (NO₂)",
        definition="http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8",
        description="Stadt",
    )
    _run(_payload())
    assert ObservedProperty.objects.filter(definition__endswith="/pollutant/8").count() == 1


def test_not_an_object_of_three_answers_is_rejected():
    report = _run([{"data": {}}])
    assert report.rejected == [("/", "expected an object with stations, components and measures")]
    report = _run({"stations": {"data": {}}, "components": [], "measures": []})
    assert report.rejected == [("/components", "a components answer must be a JSON object")]


def test_an_empty_answer_is_an_empty_array():
    payload = _payload()
    payload["measures"].append({"request": {}, "indices": [], "data": []})
    report = _run(payload)
    assert report.created["observations"] == 7
    assert len(report.rejected) == 4


def test_fetch_builds_the_api_urls(monkeypatch):
    sample = _payload()
    asked = []

    def fake_fetch(url, timeout):
        asked.append(url)
        if "stations/json" in url:
            return sample["stations"]
        if "components/json" in url:
            return sample["components"]
        return {"data": {}}

    monkeypatch.setattr(common, "fetch_json", fake_fetch)
    payload = json.loads(uba.locate(now=_utc(2026, 11, 30, 23, 30), hours=24).read())
    assert asked[:2] == [
        "https://www.umweltbundesamt.de/api/air_data/v3/stations/json?lang=de",
        "https://www.umweltbundesamt.de/api/air_data/v3/components/json?lang=de",
    ]
    measures = [urlsplit(url) for url in asked[2:]]
    assert all(u.path == "/api/air_data/v3/measures/json" for u in measures)
    queries = [parse_qs(u.query) for u in measures]
    # only the active station inside the area; 23:00 UTC is hour 24 of 30 November in CET
    assert {q["station"][0] for q in queries} == {"1590"}
    assert queries[0] == {
        "date_from": ["2026-11-30"],
        "time_from": ["1"],
        "date_to": ["2026-11-30"],
        "time_to": ["24"],
        "station": ["1590"],
        "component": ["5"],
        "scope": ["2"],
    }
    assert {(q["component"][0], q["scope"][0]) for q in queries} == {
        ("5", "2"),
        ("1", "2"),
        ("1", "1"),
        ("9", "2"),
        ("9", "1"),
        ("3", "2"),
        ("3", "4"),
        ("4", "2"),
        ("4", "1"),
        ("2", "4"),
    }
    assert len(payload["measures"]) == 10


def test_fetch_reports_a_strange_answer_as_a_value_error(monkeypatch):
    monkeypatch.setattr(common, "fetch_json", lambda url, timeout: ["kein", "Objekt"])
    with pytest.raises(ValueError, match="unexpected answer of the UBA API"):
        uba.locate()


def test_command(capsys):
    assert cli.main(["import", "uba", "--file", str(SAMPLE), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "created 1 things, 3 datastreams, 7 observations" in out
    assert "rejected /measures/4/data/4711: unknown station id 4711" in err


_json = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
_record = st.lists(
    st.sampled_from([5, 1, 99, "5", None, "2026-03-28 24:00:00", "2026-13-01 01:00:00", 2.5])
    | _json,
    max_size=6,
)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    stations=_json,
    components=_json,
    measures=_json,
    records=st.dictionaries(st.sampled_from(["2026-03-28 22:00:00", "24", ""]), _record | _json),
)
def test_no_answer_makes_the_importer_fail(stations, components, measures, records):
    sample = _payload()
    for payload in (
        {"stations": stations, "components": components, "measures": measures},
        {**sample, "measures": [{"data": {"1590": records}}]},
    ):
        report = _run(payload)
        assert isinstance(report.rejected, list)
