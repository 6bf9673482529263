"""Service root and resource paths: OGC 18-088 clause 9.2 (req/resource-path)."""

from __future__ import annotations

import json

import pytest

from smartcity.sensors.sta.conformance import CONFORMANCE_V11, UPDATE_JSON_PATCH, UPDATE_PUT
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


def test_service_root_lists_every_entity_set_and_conformance(anonymous):
    """req/resource-path/resource-path-to-entities, usage 1: value and serverSettings."""
    body = anonymous.get("").json()
    names = {item["name"] for item in body["value"]}
    assert names == {
        "Things",
        "Locations",
        "HistoricalLocations",
        "Datastreams",
        "MultiDatastreams",
        "Sensors",
        "ObservedProperties",
        "Observations",
        "FeaturesOfInterest",
    }
    assert all(
        item["url"] == f"http://testserver/sta/v1.1/{item['name']}" for item in body["value"]
    )
    assert body["serverSettings"]["conformance"] == CONFORMANCE_V11


def _put(sta, thing):
    response = sta.put(f"Things({thing.pk})", {"name": "Ersetzt", "description": "neu"})
    return response, {"name": "Ersetzt", "description": "neu", "properties": None}


def _json_patch(sta, thing):
    ops = [{"op": "replace", "path": "/name", "value": "Gepatcht"}]
    response = sta.patch(
        f"Things({thing.pk})", json.dumps(ops), content_type="application/json-patch+json"
    )
    return response, {"name": "Gepatcht", "properties": {"district": "Mitte"}}


CONDITIONAL_UPDATES = {UPDATE_PUT: _put, UPDATE_JSON_PATCH: _json_patch}


def test_claimed_conditional_updates_work(sta):
    """The conditional requirements the root names (18-088 clause 10.3): each one claimed
    is done here, and no other update requirement is claimed."""
    claimed = [
        uri
        for uri in sta.get("").json()["serverSettings"]["conformance"]
        if "/req/create-update-delete/" in uri
    ]
    assert sorted(claimed) == sorted(CONDITIONAL_UPDATES)
    for uri in claimed:
        thing, _ = make_thing_with_datastream()
        response, expected = CONDITIONAL_UPDATES[uri](sta, thing)
        assert response.status_code == 200, (uri, response.content)
        stored = sta.get(f"Things({thing.pk})").json()
        assert {name: stored.get(name) for name in expected} == expected, uri


def test_v10_root_has_v10_links(anonymous, client):
    body = client.get("/sta/v1.0/").json()
    assert body["value"][0]["url"].startswith("http://testserver/sta/v1.0/")


def test_entity_by_id_has_control_information(anonymous):
    """req/datamodel/entity-control-information: @iot.id, @iot.selfLink, navigationLinks."""
    thing, _ = make_thing_with_datastream()
    body = anonymous.get(f"Things({thing.pk})").json()
    assert body["@iot.id"] == thing.pk
    assert body["@iot.selfLink"] == f"http://testserver/sta/v1.1/Things({thing.pk})"
    for nav in ("Locations", "HistoricalLocations", "Datastreams", "MultiDatastreams"):
        assert (
            body[f"{nav}@iot.navigationLink"]
            == f"http://testserver/sta/v1.1/Things({thing.pk})/{nav}"
        )
    assert body["name"] == "Station Hauptbahnhof"
    assert body["properties"] == {"district": "Mitte"}


def test_unknown_entity_is_404_with_json(anonymous):
    """req/request-data/status-code: an absent entity is 404."""
    response = anonymous.get("Things(999999)")
    assert response.status_code == 404
    assert response.json()["code"] == 404
    assert "999999" in response.json()["message"]


def test_unknown_entity_set_is_404(anonymous):
    response = anonymous.get("Thingz")
    assert response.status_code == 404
    assert "Thingz" in response.json()["message"]


def test_navigation_to_collection_and_single(anonymous):
    """Usage 6 and 8: navigation properties and nested paths."""
    thing, stream = make_thing_with_datastream()
    obs = add_observations(stream, [("2026-11-01T10:00:00Z", 12.5)])[0]
    assert [
        d["@iot.id"] for d in anonymous.get(f"Things({thing.pk})/Datastreams").json()["value"]
    ] == [stream.pk]
    assert anonymous.get(f"Datastreams({stream.pk})/Thing").json()["@iot.id"] == thing.pk
    nested = anonymous.get(f"Things({thing.pk})/Datastreams({stream.pk})/Observations({obs.pk})")
    assert nested.json()["result"] == 12.5
    foi = anonymous.get(f"Datastreams({stream.pk})/Observations({obs.pk})/FeatureOfInterest")
    assert foi.status_code == 200 and foi.json()["feature"]["type"] == "Point"


def test_navigation_below_missing_parent_is_404(anonymous):
    assert anonymous.get("Things(424242)/Datastreams").status_code == 404


def test_entity_not_in_parent_collection_is_404(anonymous):
    thing_a, _ = make_thing_with_datastream("A")
    _, stream_b = make_thing_with_datastream("B")
    assert anonymous.get(f"Things({thing_a.pk})/Datastreams({stream_b.pk})").status_code == 404


def test_property_and_value(anonymous):
    """Usage 4 and 5: a property as JSON, its raw $value as text, null is 204."""
    thing, stream = make_thing_with_datastream()
    obs = add_observations(stream, [("2026-11-01T10:00:00Z", 12.5)])[0]
    assert anonymous.get(f"Things({thing.pk})/name").json() == {"name": "Station Hauptbahnhof"}
    raw = anonymous.get(f"Things({thing.pk})/name/$value")
    assert raw.status_code == 200 and raw.content.decode() == "Station Hauptbahnhof"
    assert raw["Content-Type"].startswith("text/plain")
    assert (
        anonymous.get(f"Observations({obs.pk})/phenomenonTime/$value").content.decode()
        == "2026-11-01T10:00:00Z"
    )
    assert anonymous.get(f"Observations({obs.pk})/resultTime").status_code == 204
    assert anonymous.get(f"Things({thing.pk})/properties/district").json() == {"district": "Mitte"}


def test_unknown_property_is_404(anonymous):
    thing, _ = make_thing_with_datastream()
    assert anonymous.get(f"Things({thing.pk})/colour").status_code == 404


def test_ref_lists_self_links(anonymous):
    """Usage 7: $ref returns only the selfLinks."""
    thing, stream = make_thing_with_datastream()
    body = anonymous.get(f"Things({thing.pk})/Datastreams/$ref").json()
    assert body["value"] == [
        {"@iot.selfLink": f"http://testserver/sta/v1.1/Datastreams({stream.pk})"}
    ]
    single = anonymous.get(f"Datastreams({stream.pk})/Thing/$ref").json()
    assert single == {"@iot.selfLink": f"http://testserver/sta/v1.1/Things({thing.pk})"}


def test_times_are_utc_and_naive_times_are_local(anonymous):
    """Time stamps without an offset are read in SMARTCITY_TIME_ZONE (Europe/Berlin)."""
    _, stream = make_thing_with_datastream()
    winter, summer = add_observations(
        stream, [("2026-01-15T12:00:00", 1), ("2026-07-15T12:00:00", 2)]
    )
    assert (
        anonymous.get(f"Observations({winter.pk})").json()["phenomenonTime"]
        == "2026-01-15T11:00:00Z"
    )
    assert (
        anonymous.get(f"Observations({summer.pk})").json()["phenomenonTime"]
        == "2026-07-15T10:00:00Z"
    )


def test_v10_has_properties_on_things_only(client):
    """OGC 18-088 annex B: v1.1 added `properties` to every entity but Thing."""
    thing, stream = make_thing_with_datastream()
    v10 = client.get(f"/sta/v1.0/Datastreams({stream.pk})").json()
    v11 = client.get(f"/sta/v1.1/Datastreams({stream.pk})").json()
    assert "properties" not in v10 and "properties" in v11
    assert v10["@iot.selfLink"].startswith("http://testserver/sta/v1.0/")
    assert "properties" in client.get(f"/sta/v1.0/Things({thing.pk})").json()
    assert "serverSettings" not in client.get("/sta/v1.0/").json()


def test_missing_parent_is_404_for_every_use_of_its_collection(sta):
    """Entities(n)/Collection checks n only when no row proves it; the answer is the same."""
    assert sta.get("Datastreams(424242)/Observations").status_code == 404
    assert (
        sta.get("Datastreams(424242)/Observations", **{"$resultFormat": "dataArray"}).status_code
        == 404
    )
    assert sta.get("Datastreams(424242)/Observations/$ref").status_code == 404
    response = sta.post("Datastreams(424242)/Observations", {"result": 1})
    assert response.status_code == 404


def test_existing_parent_with_empty_collection_is_200(anonymous):
    _, stream = make_thing_with_datastream()
    body = anonymous.get(f"Datastreams({stream.pk})/Observations").json()
    assert body == {"value": []}
