"""The dataArray extension: OGC 18-088 clause 13 (req/data-array/data-array)."""

from __future__ import annotations

import pytest

from smartcity.sensors.models import Datastream, FeatureOfInterest, Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


def _group(stream, rows, components=("phenomenonTime", "result")):
    return {"Datastream": {"@iot.id": stream.pk}, "components": list(components), "dataArray": rows}


def test_create_observations_answers_urls_in_order(sta):
    _, stream = make_thing_with_datastream()
    rows = [["2026-11-01T10:00:00Z", 20], ["2026-11-01T10:10:00Z", 21.5]]
    response = sta.post("CreateObservations", [_group(stream, rows)])
    assert response.status_code == 201, response.content
    urls = response.json()
    created = list(Observation.objects.order_by("id"))
    assert urls == [f"http://testserver/sta/v1.1/Observations({o.pk})" for o in created]
    assert [o.result for o in created] == [20, 21.5]
    assert [o.result_number for o in created] == [20.0, 21.5]
    stream.refresh_from_db()
    assert stream.phenomenon_time_end.isoformat() == "2026-11-01T10:10:00+00:00"


def test_create_observations_with_feature_ids_and_several_groups(sta):
    _, first = make_thing_with_datastream("A")
    _, second = make_thing_with_datastream("B")
    add_observations(first, [("2026-11-01T09:00:00Z", 1)])
    foi = FeatureOfInterest.objects.get()
    body = [
        _group(
            first,
            [["2026-11-01T10:00:00Z", 1, foi.pk]],
            ("phenomenonTime", "result", "FeatureOfInterest/id"),
        ),
        _group(second, [["2026-11-01T10:00:00Z", 2], ["2026-11-01T10:10:00Z", 3]]),
    ]
    response = sta.post("CreateObservations", body)
    assert response.status_code == 201 and len(response.json()) == 3
    assert Observation.objects.filter(datastream=second).count() == 2


def test_ids_continue_after_existing_rows(sta):
    _, stream = make_thing_with_datastream()
    existing = add_observations(stream, [("2026-11-01T09:00:00Z", 1)])[0]
    urls = sta.post("CreateObservations", [_group(stream, [["2026-11-01T10:00:00Z", 2]])]).json()
    assert urls == [f"http://testserver/sta/v1.1/Observations({existing.pk + 1})"]
    # and the normal path keeps working after explicit ids were used
    later = sta.post("Observations", {"result": 3, "Datastream": {"@iot.id": stream.pk}})
    assert later.json()["@iot.id"] > existing.pk + 1


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        ([["2026-11-01T10:00:00Z", 1], ["not a time", 2]], "/0/dataArray/1/0"),
        ([["2026-11-01T10:00:00Z"]], "/0/dataArray/0"),
        ("rows", "/0/dataArray"),
    ],
)
def test_one_bad_row_writes_nothing_when_strict(sta, rows, where):
    _, stream = make_thing_with_datastream()
    response = sta.post(
        "CreateObservations", [_group(stream, rows)], headers={"Prefer": "handling=strict"}
    )
    assert response.status_code == 400
    assert response.json()["where"] == where
    assert not Observation.objects.exists()


def test_unknown_datastream_is_error_and_unknown_component_400(sta):
    _, stream = make_thing_with_datastream()
    bad_stream = {"Datastream": {"@iot.id": 999}, "components": ["result"], "dataArray": [[1]]}
    assert sta.post("CreateObservations", [bad_stream]).json() == ["error"]
    bad_component = _group(stream, [[1, 2]], ("result", "colour"))
    assert sta.post("CreateObservations", [bad_component]).status_code == 400


def test_create_observations_needs_token(anonymous):
    assert anonymous.post("CreateObservations", []).status_code == 401


def test_get_in_data_array_format(anonymous):
    _, stream = make_thing_with_datastream()
    obs = add_observations(stream, [("2026-11-01T10:00:00Z", 20), ("2026-11-01T10:10:00Z", 30)])
    body = anonymous.get(
        f"Datastreams({stream.pk})/Observations", **{"$resultFormat": "dataArray", "$count": "true"}
    ).json()
    assert body["@iot.count"] == 2
    group = body["value"][0]
    assert (
        group["Datastream@iot.navigationLink"]
        == f"http://testserver/sta/v1.1/Datastreams({stream.pk})"
    )
    assert group["components"] == ["id", "phenomenonTime", "resultTime", "result"]
    assert group["dataArray"] == [
        [obs[0].pk, "2026-11-01T10:00:00Z", None, 20],
        [obs[1].pk, "2026-11-01T10:10:00Z", None, 30],
    ]


def test_data_array_with_select(anonymous):
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T10:00:00Z", 20)])
    body = anonymous.get(
        "Observations", **{"$resultFormat": "dataArray", "$select": "result,phenomenonTime"}
    ).json()
    assert body["value"][0]["components"] == ["result", "phenomenonTime"]
    assert body["value"][0]["dataArray"] == [[20, "2026-11-01T10:00:00Z"]]


def test_data_array_only_for_observations(anonymous):
    assert anonymous.get("Things", **{"$resultFormat": "dataArray"}).status_code == 400
    assert Datastream.objects.count() == 0


def test_falsy_json_components_are_stored_as_given(sta, anonymous):
    """resultQuality 0, parameters {} and result false are values, not absences."""
    _, stream = make_thing_with_datastream()
    rows = [["2026-11-01T10:00:00Z", False, 0, {}], ["2026-11-01T10:10:00Z", 0, "", {"a": 1}]]
    response = sta.post("CreateObservations", [_group(
        stream, rows, ("phenomenonTime", "result", "resultQuality", "parameters"))])
    assert response.status_code == 201, response.content
    body = anonymous.get(f"Datastreams({stream.pk})/Observations",
                         **{"$orderby": "phenomenonTime",
                            "$select": "result,resultQuality,parameters"}).json()
    assert body["value"] == [
        {"result": False, "resultQuality": 0, "parameters": {}},
        {"result": 0, "resultQuality": "", "parameters": {"a": 1}},
    ]
