"""The environment JSON API (/api/v1/environment/), its CSV and its OpenAPI document."""

from __future__ import annotations

import csv
import io

import pytest

from smartcity.environment.api import LatestList, LimitReportOut, SeriesOut, StationIndexOut
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db
API = "/api/v1/environment/"


@pytest.fixture
def stream():
    _, stream = make_thing_with_datastream()
    add_observations(
        stream,
        [("2026-11-01T08:00:00Z", 10), ("2026-11-01T09:00:00Z", 20), ("2026-11-02T09:00:00Z", 5)],
    )
    return stream


def test_daily_aggregates_as_json(client, stream):
    response = client.get(
        f"{API}datastreams/{stream.pk}/aggregates",
        {"interval": "day", "start": "2026-11-01T00:00:00", "end": "2026-11-03T00:00:00"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    SeriesOut.model_validate(body)  # the body is what the OpenAPI document promises
    assert body["timeZone"] == "Europe/Berlin"
    assert body["start"] == "2026-10-31T23:00:00Z"  # local midnight
    assert [(b["count"], b["mean"]) for b in body["buckets"]] == [(2, 15.0), (1, 5.0)]


def test_aggregates_as_csv(client, stream):
    response = client.get(
        f"{API}datastreams/{stream.pk}/aggregates",
        {
            "interval": "hour",
            "start": "2026-11-01T08:00:00Z",
            "end": "2026-11-01T10:00:00Z",
            "format": "csv",
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [str(stream.pk), "Station Hauptbahnhof", "PM10", "µg/m³"]
    assert rows == [
        ["start", "end", "count", "mean", "min", "max", "datastream", "station", "quantity",
         "unit"],
        ["2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z", "1", "10.0", "10.0", "10.0", *names],
        ["2026-11-01T09:00:00Z", "2026-11-01T10:00:00Z", "1", "20.0", "20.0", "20.0", *names],
    ]


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"interval": "week"}, "interval"),
        ({"start": "gestern"}, "start"),
        ({"start": "2026-11-02T00:00:00Z", "end": "2026-11-01T00:00:00Z"}, "end"),
    ],
)
def test_bad_parameters_are_400_with_where(client, stream, params, where):
    response = client.get(f"{API}datastreams/{stream.pk}/aggregates", params)
    assert response.status_code == 400, response.content
    assert response.json()["where"] == where
    assert response.json()["type"] == "error"


def test_unknown_datastream_is_404(client, db):
    response = client.get(f"{API}datastreams/999/aggregates")
    assert response.status_code == 404
    assert response.json()["where"] == "datastream"


def test_non_numeric_id_is_400(client, db):
    response = client.get(f"{API}datastreams/abc/aggregates")
    assert response.status_code in (400, 404)


def test_latest(client, stream):
    body = client.get(f"{API}latest").json()
    LatestList.model_validate(body)
    assert body["value"] == [
        {
            "datastream": stream.pk,
            "name": stream.name,
            "thing": stream.thing_id,
            "unit": "µg/m³",
            "phenomenonTime": "2026-11-02T09:00:00Z",
            "result": 5,
        }
    ]


def test_openapi_document_lists_the_endpoints(client, db):
    document = client.get("/api/openapi.json").json()
    assert "/api/v1/environment/datastreams/{datastream_id}/aggregates" in document["paths"]
    assert "/api/v1/environment/latest" in document["paths"]


def test_limit_values_of_a_pm10_series(client, db):
    """PM10 (Eionet pollutant 5) against 2008/50/EC and (EU) 2024/2881."""
    _, stream = make_thing_with_datastream("Limit")
    add_observations(
        stream,
        [
            (f"2026-03-0{d}T{h:02d}:30:00Z", 80.0 if d == 2 else 10.0)
            for d in (1, 2, 3)
            for h in range(24)
        ],
    )
    response = client.get(f"{API}datastreams/{stream.pk}/limit-values", {"year": "2026"})
    assert response.status_code == 200, response.content
    body = response.json()
    LimitReportOut.model_validate(body)
    assert body["pollutant"] == "pm10" and body["hours"] == 8760
    daily = {(v["directive"], v["averaging"]): v for v in body["limitValues"]}
    assert daily[("2008/50/EC", "day")]["exceedances"] == 1
    assert daily[("2008/50/EC", "day")]["exceeded"] is False
    assert daily[("2008/50/EC", "year")]["valid"] is False


def test_limit_values_need_a_pollutant(client, db):
    from smartcity.sensors.models import ObservedProperty

    _, stream = make_thing_with_datastream("Temperatur")
    ObservedProperty.objects.filter(pk=stream.observed_property_id).update(
        definition="http://mmisw.org/ont/cf/parameter/air_temperature"
    )
    response = client.get(f"{API}datastreams/{stream.pk}/limit-values")
    assert response.status_code == 400
    assert response.json()["where"] == "datastream"
    assert (
        client.get(f"{API}datastreams/{stream.pk}/limit-values", {"year": "1800"}).status_code
        == 400
    )


def test_air_quality_index_of_a_station(client, db):
    """UBA LQI: the newest hourly mean of each pollutant; the worst class decides."""
    thing, stream = make_thing_with_datastream("Index")
    add_observations(
        stream,
        [
            ("2026-12-01T07:10:00Z", 99.0),
            ("2026-12-01T08:10:00Z", 40.0),
            ("2026-12-01T08:40:00Z", 20.0),
        ],
    )  # newest hour: mean 30
    response = client.get(f"{API}things/{thing.pk}/air-quality")
    assert response.status_code == 200, response.content
    body = response.json()
    StationIndexOut.model_validate(body)
    assert (body["index"], body["label"], body["determinedBy"]) == (3, "mäßig", "pm10")
    assert body["complete"] is False
    assert body["pollutants"] == [
        {
            "pollutant": "pm10",
            "datastream": stream.pk,
            "hour": "2026-12-01T08:00:00Z",
            "mean": 30.0,
            "index": 3,
        }
    ]


def test_air_quality_of_a_station_without_pollutants_and_of_none(client, db):
    thing, _ = make_thing_with_datastream("Leer")
    body = client.get(f"{API}things/{thing.pk}/air-quality").json()
    assert body["index"] is None and body["pollutants"] == []
    assert client.get(f"{API}things/999/air-quality").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"end": "0001-01-02T00:00:00"},  # the default start would precede the year 1
        {"start": "0001-01-01T00:00:00Z", "end": "0001-01-01T05:00:00Z", "interval": "hour"},
        {"start": "9999-12-31T00:00:00Z"},
        {"end": "9999-12-31T23:59:59"},
    ],
)
def test_times_at_the_ends_of_the_calendar_are_a_400(client, stream, query):
    response = client.get(f"{API}datastreams/{stream.pk}/aggregates", query)
    assert response.status_code == 400, response.content
    assert "between the years 1000 and 9000" in response.json()["message"]
