"""The series CSV for German spreadsheets (format=csv-de) beside the RFC 4180 one: both
parsed back, with the station, quantity and unit on every line and a compared station's
lines in the same file."""

from __future__ import annotations

import csv
import io

import pytest

from smartcity.environment.export import german_number
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db
URL = "/api/v1/environment/datastreams/{}/aggregates"


@pytest.fixture
def two_streams():
    _, first = make_thing_with_datastream("Station Hauptbahnhof")
    _, second = make_thing_with_datastream("Station Bockum-Hövel")
    # 25 October 2026: the clocks go back at 03:00 MESZ, so 02:00 to 03:00 comes twice
    add_observations(
        first,
        [
            ("2026-10-25T00:30:00Z", 12.345),
            ("2026-10-25T00:40:00Z", 12.4),
            ("2026-10-25T01:30:00Z", 1234.56),
        ],
    )
    add_observations(second, [("2026-10-25T00:30:00Z", -0.01)])
    return first, second


def _get(client, stream, **params):
    query = {
        "interval": "hour",
        "start": "2026-10-25T00:00:00Z",
        "end": "2026-10-25T02:00:00Z",
        **params,
    }
    return client.get(URL.format(stream.pk), query)


def _german_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_german_csv_has_semicolons_decimal_commas_and_local_time(client, two_streams):
    first, _ = two_streams
    response = _get(client, first, format="csv-de")
    assert response["Content-Disposition"] == (
        f'attachment; filename="datastream-{first.pk}-hour-de.csv"'
    )
    rows = _german_rows(response)
    assert rows[0] == [
        "Messstelle",
        "Messgröße",
        "Einheit",
        "Beginn",
        "Ende",
        "Zeitzone",
        "Anzahl Werte",
        "Mittelwert",
        "Minimum",
        "Maximum",
    ]
    station = ["Station Hauptbahnhof", "PM10", "µg/m³"]
    assert rows[1:] == [  # the same local hour twice, told apart by MESZ and MEZ
        [*station, "25.10.2026 02:00", "25.10.2026 02:00", "MESZ", "2", "12,4", "12,3", "12,4"],
        [
            *station,
            "25.10.2026 02:00",
            "25.10.2026 03:00",
            "MEZ",
            "1",
            "1234,6",
            "1234,6",
            "1234,6",
        ],
    ]


def test_a_compared_station_is_in_the_same_file(client, two_streams):
    first, second = two_streams
    rows = _german_rows(_get(client, first, format="csv-de", compare=second.pk))
    assert [r[0] for r in rows[1:]] == ["Station Hauptbahnhof"] * 2 + ["Station Bockum-Hövel"] * 2
    assert rows[3][6:] == ["1", "0,0", "0,0", "0,0"]  # -0.01 rounded is 0, not "-0,0"
    assert rows[4][6:] == ["0", "", "", ""]  # an hour without values stays a line
    plain = _get(client, first, format="csv", compare=second.pk)
    lines = list(csv.reader(io.StringIO(plain.content.decode(), newline="")))
    assert lines[0][6:] == ["datastream", "station", "quantity", "unit"]
    assert [(r[6], r[7]) for r in lines[1:]] == [(str(first.pk), "Station Hauptbahnhof")] * 2 + [
        (str(second.pk), "Station Bockum-Hövel")
    ] * 2
    assert lines[3][3] == "-0.01"  # full precision for programs
    assert lines[1][0] == "2026-10-25T00:00:00Z"  # UTC


@pytest.mark.parametrize(
    ("params", "status", "where"),
    [
        ({"format": "xlsx"}, 400, "format"),
        ({"format": "csv-de", "compare": "nein"}, 400, "compare"),
        ({"format": "csv-de", "compare": "999999"}, 404, "datastream"),
    ],
)
def test_a_bad_download_request_says_what_is_wrong(client, two_streams, params, status, where):
    response = _get(client, two_streams[0], **params)
    assert response.status_code == status
    assert where in response.content.decode()


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (12.25, 1, "12,3"),
        (12.35, 1, "12,4"),
        (12.349, 1, "12,3"),
        (0.04, 1, "0,0"),
        (-0.04, 1, "0,0"),
        (-3.26, 1, "-3,3"),
        (1234567.0, 0, "1234567"),
        (None, 1, ""),
        (7.125, 2, "7,13"),
        (5.0, 2, "5,00"),
    ],
)
def test_german_numbers(value, decimals, text):
    assert german_number(value, decimals) == text
