"""Malformed and hostile input is a 4xx with a message that says what is wrong, never a
500 and never a partial write: JSON nested too deeply or holding NUL, $filter and $orderby
beyond what a store compiles, and /api/ itself."""

from __future__ import annotations

import pytest

from smartcity.sensors.models import Thing
from tests.sensors.factories import make_thing_with_datastream

pytestmark = pytest.mark.django_db


def _deep(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def test_a_thing_whose_properties_nest_300_levels_is_refused_and_not_stored(sta):
    answer = sta.post("Things", {"name": "x", "description": "y", "properties": _deep(300)})
    assert answer.status_code == 400
    assert "SMARTCITY_JSON_MAX_DEPTH" in answer.json()["message"]
    assert not Thing.objects.exists()
    assert sta.get("Things").status_code == 200


def test_properties_up_to_the_limit_are_stored_and_read_back(sta):
    answer = sta.post("Things", {"name": "x", "description": "y", "properties": _deep(30)})
    assert answer.status_code == 201
    assert sta.get(f"Things({answer.json()['@iot.id']})").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Nord\u0000", "description": "y"},
        {"name": "x", "description": "y", "properties": {"k\u0000": 1}},
    ],
)
def test_nul_characters_are_refused_on_every_store(sta, body):
    answer = sta.post("Things", body)
    assert answer.status_code == 400
    assert "U+0000" in answer.json()["message"]
    assert not Thing.objects.exists()


def test_an_observation_with_a_deep_result_is_refused(sta):
    _, stream = make_thing_with_datastream()
    body = {"result": _deep(40), "phenomenonTime": "2026-12-01T10:00:00Z"}
    answer = sta.post(f"Datastreams({stream.pk})/Observations", body)
    assert answer.status_code == 400
    create = [{"Datastream": {"@iot.id": stream.pk}, "components": ["phenomenonTime", "result"],
               "dataArray": [["2026-12-01T10:00:00Z", _deep(40)]]}]
    assert sta.post("CreateObservations", create).status_code == 400


def test_a_filter_beyond_the_term_limit_is_a_400_and_up_to_it_compiles(anonymous):
    make_thing_with_datastream()
    many = " or ".join(["id eq 1"] * 3000)
    answer = anonymous.get("Things", **{"$filter": many})
    assert answer.status_code == 400
    assert "SMARTCITY_STA_MAX_QUERY_TERMS" in answer.json()["message"]
    # 625 comparisons: 2,499 terms, within what SQLite compiles (depth 1,000)
    fits = " or ".join(f"id eq {n}" for n in range(1, 626))
    assert anonymous.get("Things", **{"$filter": fits}).status_code == 200


def test_an_orderby_beyond_its_limits_is_a_400(anonymous):
    answer = anonymous.get("Things", **{"$orderby": ",".join(["name"] * 3000)})
    assert answer.status_code == 400
    seventeen = anonymous.get("Things", **{"$orderby": ",".join(["name"] * 17)})
    assert seventeen.status_code == 400
    assert "SMARTCITY_STA_MAX_ORDERBY_KEYS" in seventeen.json()["message"]
    assert anonymous.get("Things", **{"$orderby": ",".join(["name"] * 16)}).status_code == 200


def test_the_api_root_is_an_index_and_unknown_paths_a_json_404(client):
    index = client.get("/api/")
    assert index.status_code == 200
    body = index.json()
    assert body["openapi"].endswith("/api/openapi.json")
    assert any(api["url"].endswith("/api/v1/environment/") for api in body["apis"])
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404
