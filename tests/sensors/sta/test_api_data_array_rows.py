"""CreateObservations row by row (OGC 18-088 clause 13.2): a row that cannot be created is
"error" in its place and the others are created; with ``Prefer: handling=strict``
(RFC 7240) such a row refuses the request, naming the row and the value, and nothing is
stored. A malformed request is a 400 either way."""

from __future__ import annotations

import json

import pytest

from smartcity.sensors.models import FeatureOfInterest, Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.sta.test_api_create import _multi_datastream

pytestmark = pytest.mark.django_db
STRICT = {"Prefer": "handling=strict"}
PAIR = ["phenomenonTime", "result"]
WITH_FEATURE = ["phenomenonTime", "result", "FeatureOfInterest/id"]
EVERYTHING = ["phenomenonTime", "result", "resultTime", "validTime", "parameters"]


def _group(stream, rows, components=PAIR, kind="Datastream"):
    return {kind: {"@iot.id": stream.pk}, "components": list(components), "dataArray": rows}


def _ids(answer):
    """The ids of the selfLinks of an answer, "error" where it says so."""
    return [u if u == "error" else int(u.rsplit("(", 1)[1].rstrip(")")) for u in answer]


def _stored(stream):
    return list(
        Observation.objects.filter(datastream=stream)
        .order_by("phenomenon_time_start")
        .values_list("result", flat=True)
    )


def test_bad_rows_are_error_in_place_and_good_rows_are_stored(sta, anonymous):
    _, stream = make_thing_with_datastream("A")
    _, other = make_thing_with_datastream("B")
    add_observations(other, [("2026-11-01T09:00:00Z", 0)])
    foi = FeatureOfInterest.objects.get().pk
    body = [
        _group(
            stream,
            [
                ["2026-11-01T10:00:00Z", 1],
                ["2026-11-01T10:10:00Z"],  # one value short
                ["9999-12-31T23:59:59-05:00", 2],  # beyond the year 9999 in UTC
                ["2026-02-30T10:00:00Z", 3],  # no such day
                "not a row",
                ["2026-11-01T10:20:00Z", 4],
            ],
        ),
        _group(stream, [["2026-11-01T10:30:00Z", 5, None, None, []]], EVERYTHING),  # parameters
        {"Datastream": {"@iot.id": 987654}, "components": PAIR, "dataArray": [["2026-11-01", 6]]},
        {"Datastream": {"@iot.id": 987654}, "components": PAIR, "dataArray": [["2026-11-02", 6]]},
        _group(
            other,
            [["2026-11-01T10:00:00Z", 7, foi], ["2026-11-01T10:10:00Z", 8, 987654]],
            WITH_FEATURE,
        ),
        _group(
            other, [["2026-11-01T10:20:00Z", 9, "2026-11-01T10:21:00Z", "x/y", None]], EVERYTHING
        ),  # validTime is no interval
    ]
    response = sta.post("CreateObservations", body)
    assert response.status_code == 201, response.content
    answer = _ids(response.json())
    assert [i for i, a in enumerate(answer) if a == "error"] == [1, 2, 3, 4, 6, 7, 8, 10, 11]
    assert _stored(stream) == [1, 4]
    assert _stored(other) == [0, 7]
    for pk, value in zip([answer[0], answer[5], answer[9]], [1, 4, 7], strict=True):
        read = anonymous.get(f"Observations({pk})")
        assert read.status_code == 200 and read.json()["result"] == value
    assert anonymous.get(f"Observations({answer[9]})/FeatureOfInterest").json()["@iot.id"] == foi


def test_a_multidatastream_row_of_the_wrong_shape_is_error(sta):
    thing, stream = make_thing_with_datastream()
    properties = [
        {"@iot.id": stream.observed_property_id},
        {"name": "PM2.5", "definition": "x", "description": "y"},
    ]
    mds = sta.post("MultiDatastreams", _multi_datastream(thing, stream, properties)).json()
    group = {
        "MultiDatastream": {"@iot.id": mds["@iot.id"]},
        "components": PAIR,
        "dataArray": [["2026-11-01T10:00:00Z", [1, 2]], ["2026-11-01T10:10:00Z", 3]],
    }
    answer = sta.post("CreateObservations", [group]).json()
    assert answer[1] == "error" and answer[0] != "error"
    assert Observation.objects.get().result == [1, 2]


def test_a_group_without_a_good_row_stores_nothing_not_even_its_feature(sta):
    _, stream = make_thing_with_datastream()
    response = sta.post("CreateObservations", [_group(stream, [["later", 1], ["", 2]])])
    assert response.status_code == 201
    assert response.json() == ["error", "error"]
    assert not Observation.objects.exists()
    assert not FeatureOfInterest.objects.exists()  # generated only for a stored row


@pytest.mark.parametrize(
    ("rows", "components", "where", "names"),
    [
        (
            [["2026-11-01T10:00:00Z", 1], ["not a time", 2]],
            PAIR,
            "/0/dataArray/1/0",
            "phenomenonTime",
        ),
        (
            [
                ["2026-11-01T10:00:00Z", 1],
                ["2026-11-01T10:00:00Z", 2, "2026-11-01T10:00:00.1234567Z", None, None],
            ],
            None,
            "/0/dataArray/1/2",
            "resultTime",
        ),
        (
            [["2026-11-01T10:10:00Z", 2, 987654]],
            WITH_FEATURE,
            "/0/dataArray/0/2",
            "FeatureOfInterest",
        ),
        (
            [["2026-11-01T10:00:00Z", 1], ["2026-11-01T10:10:00Z"]],
            PAIR,
            "/0/dataArray/1",
            "2 values",
        ),
    ],
)
def test_strict_refuses_the_request_naming_the_row_and_value(sta, rows, components, where, names):
    _, stream = make_thing_with_datastream()
    if components is None:  # the first row as long as the second
        components, rows[0] = EVERYTHING, [*rows[0], None, None, None]
    response = sta.post("CreateObservations", [_group(stream, rows, components)], headers=STRICT)
    assert response.status_code == 400, response.content
    assert response.json()["where"] == where
    assert names in response.json()["message"]
    assert not Observation.objects.exists()
    assert not FeatureOfInterest.objects.exists()


def test_strict_refuses_an_unknown_datastream_after_a_good_group(sta):
    _, stream = make_thing_with_datastream()
    unknown = {
        "Datastream": {"@iot.id": 987654},
        "components": PAIR,
        "dataArray": [["2026-11-01T10:00:00Z", 1]],
    }
    body = [_group(stream, [["2026-11-01T10:00:00Z", 1]]), unknown]
    response = sta.post("CreateObservations", body, headers=STRICT)
    assert response.status_code == 400
    assert response.json()["where"] == "/1/Datastream"
    assert "987654" in response.json()["message"]
    assert not Observation.objects.exists()


def test_strict_and_valid_stores_everything_and_says_so(sta):
    _, stream = make_thing_with_datastream()
    rows = [["2026-11-01T10:00:00Z", 1], ["2026-11-01T10:10:00+01:00", 2]]
    response = sta.post(
        "CreateObservations",
        [_group(stream, rows)],
        headers={"Prefer": 'return=minimal, Handling="Strict"; x=1'},
    )
    assert response.status_code == 201
    assert response.headers["Preference-Applied"] == "handling=strict"
    assert "error" not in response.json() and len(response.json()) == 2
    lenient = sta.post(
        "CreateObservations", [_group(stream, rows)], headers={"Prefer": "handling=lenient"}
    )
    assert lenient.headers["Preference-Applied"] == "handling=lenient"
    plain = sta.post("CreateObservations", [_group(stream, rows)])
    assert "Preference-Applied" not in plain.headers
    assert Observation.objects.count() == 6


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (["2026-11-01T10:00:00Z", 1], "/1"),
        ({"components": PAIR, "dataArray": []}, "/1"),
        ({"Datastream": {"@iot.id": "one"}, "components": PAIR, "dataArray": []}, "/1/Datastream"),
        ({"Datastream": {"@iot.id": 1}, "dataArray": []}, "/1/components"),
        (
            {"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime"], "dataArray": []},
            "/1/components",
        ),
        ({"Datastream": {"@iot.id": 1}, "components": PAIR, "dataArray": {}}, "/1/dataArray"),
    ],
)
@pytest.mark.parametrize("headers", [None, STRICT])
def test_a_malformed_group_is_400_in_either_mode(sta, bad, where, headers):
    _, stream = make_thing_with_datastream()
    good = _group(stream, [["2026-11-01T10:00:00Z", 1]])
    response = sta.post("CreateObservations", [good, bad], headers=headers)
    assert response.status_code == 400, response.content
    assert response.json()["where"] == where
    assert not Observation.objects.exists()


def test_a_body_that_is_no_array_is_400(sta):
    response = sta.post("CreateObservations", {"Datastream": {"@iot.id": 1}})
    assert response.status_code == 400 and response.json()["where"] == "/"


def test_strict_in_a_batch_part(sta):
    _, stream = make_thing_with_datastream()
    body = json.dumps([_group(stream, [["2026-11-01T10:00:00Z", 1], ["no time", 2]])])
    part = (
        "--b\r\nContent-Type: application/http\r\n\r\n"
        "POST CreateObservations HTTP/1.1\r\nContent-Type: application/json\r\n"
        "Prefer: handling=strict\r\n\r\n" + body + "\r\n--b--\r\n"
    )
    response = sta.post("$batch", part, content_type="multipart/mixed; boundary=b")
    assert response.status_code == 200, response.content
    assert b"HTTP/1.1 400" in response.content and b"/0/dataArray/1/0" in response.content
    assert not Observation.objects.exists()
