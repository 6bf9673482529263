"""Updating and deleting: OGC 18-088 clauses 10.3 and 10.4."""

from __future__ import annotations

import pytest

from smartcity.core.tokens import create_token
from smartcity.sensors.models import (
    Datastream,
    HistoricalLocation,
    Location,
    Observation,
    Thing,
)
from tests.sensors.conftest import StaClient
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


def test_patch_merges(sta):
    """req/create-update-delete/update-entity: PATCH changes only what it names."""
    thing, _ = make_thing_with_datastream()
    response = sta.patch(f"Things({thing.pk})", {"description": "neu"})
    assert response.status_code == 200
    thing.refresh_from_db()
    assert (thing.name, thing.description) == ("Station Hauptbahnhof", "neu")


def test_patch_ignores_id(sta):
    thing, _ = make_thing_with_datastream()
    sta.patch(f"Things({thing.pk})", {"@iot.id": 99, "name": "X"})
    assert Thing.objects.get(pk=thing.pk).name == "X"


def test_put_replaces_and_requires_mandatory(sta):
    """req/create-update-delete/update-entity-put."""
    thing, _ = make_thing_with_datastream()
    assert sta.put(f"Things({thing.pk})", {"name": "nur Name"}).status_code == 400
    response = sta.put(f"Things({thing.pk})", {"name": "P", "description": "D"})
    assert response.status_code == 200
    thing.refresh_from_db()
    assert thing.properties is None  # omitted optional property is cleared


def test_json_patch(sta):
    """req/create-update-delete/update-entity-jsonpatch (RFC 6902)."""
    thing, _ = make_thing_with_datastream()
    ops = [
        {"op": "add", "path": "/properties/owner", "value": "Stadt Hamm"},
        {"op": "replace", "path": "/name", "value": "Neu"},
    ]
    response = sta.patch(
        f"Things({thing.pk})",
        __import__("json").dumps(ops),
        content_type="application/json-patch+json",
    )
    assert response.status_code == 200, response.content
    thing.refresh_from_db()
    assert thing.name == "Neu"
    assert thing.properties == {"district": "Mitte", "owner": "Stadt Hamm"}


def test_bad_json_patch_is_400_and_changes_nothing(sta):
    thing, _ = make_thing_with_datastream()
    ops = [
        {"op": "replace", "path": "/name", "value": "X"},
        {"op": "remove", "path": "/nothing/here"},
    ]
    response = sta.patch(
        f"Things({thing.pk})",
        __import__("json").dumps(ops),
        content_type="application/json-patch+json",
    )
    assert response.status_code == 400
    assert Thing.objects.get(pk=thing.pk).name == "Station Hauptbahnhof"


def test_patch_relinks_single_navigation(sta):
    _thing_a, stream = make_thing_with_datastream("A")
    thing_b, _ = make_thing_with_datastream("B")
    response = sta.patch(f"Datastreams({stream.pk})", {"Thing": {"@iot.id": thing_b.pk}})
    assert response.status_code == 200
    assert Datastream.objects.get(pk=stream.pk).thing_id == thing_b.pk


def test_patch_may_not_create_inline(sta):
    _, stream = make_thing_with_datastream()
    response = sta.patch(f"Datastreams({stream.pk})", {"Thing": {"name": "x", "description": "y"}})
    assert response.status_code == 400


def test_patch_locations_of_thing_adds_history(sta):
    thing, _ = make_thing_with_datastream()
    extra = Location.objects.create(
        name="L2",
        encoding_type="application/geo+json",
        location={"type": "Point", "coordinates": [7.9, 51.7]},
    )
    before = HistoricalLocation.objects.filter(thing=thing).count()
    sta.patch(f"Things({thing.pk})", {"Locations": [{"@iot.id": extra.pk}]})
    assert HistoricalLocation.objects.filter(thing=thing).count() == before + 1


def test_update_of_missing_entity_is_404(sta):
    assert sta.patch("Things(777777)", {"name": "x"}).status_code == 404


def test_patch_observation_recomputes_extent(sta, anonymous):
    _, stream = make_thing_with_datastream()
    _first, last = add_observations(
        stream, [("2026-11-01T10:00:00Z", 1), ("2026-11-01T12:00:00Z", 2)]
    )
    sta.patch(f"Observations({last.pk})", {"phenomenonTime": "2026-11-01T11:00:00Z"})
    assert (
        anonymous.get(f"Datastreams({stream.pk})").json()["phenomenonTime"]
        == "2026-11-01T10:00:00Z/2026-11-01T11:00:00Z"
    )


@pytest.fixture
def admin(client) -> StaClient:
    return StaClient(client, create_token("city data team", ["sta:admin"])[1])


def test_delete_thing_cascades(admin):
    """Table 25: deleting a Thing deletes its Datastreams and HistoricalLocations."""
    thing, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T10:00:00Z", 1)])
    assert admin.delete(f"Things({thing.pk})").status_code == 200
    assert not Datastream.objects.filter(pk=stream.pk).exists()
    assert not Observation.objects.exists()
    assert not HistoricalLocation.objects.filter(thing_id=thing.pk).exists()
    assert Location.objects.exists()  # Locations are not part of the cascade


def test_deleting_a_whole_thing_with_its_data_needs_sta_admin(sta):
    """sta:write may delete a Datastream or an Observation, but a Thing takes all its
    Datastreams' data with it: that needs sta:admin, and a refusal deletes nothing."""
    thing, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-11-01T10:00:00Z", 1)])
    response = sta.delete(f"Things({thing.pk})")
    assert response.status_code == 403
    assert "sta:admin" in response.json()["message"]
    assert Observation.objects.filter(datastream=stream).count() == 1
    assert sta.delete(f"Datastreams({stream.pk})").status_code == 200


def test_delete_location_removes_its_history(sta):
    thing, _ = make_thing_with_datastream()
    location = thing.locations.get()
    sta.delete(f"Locations({location.pk})")
    assert not HistoricalLocation.objects.filter(thing=thing).exists()
    assert Thing.objects.filter(pk=thing.pk).exists()


def test_delete_sensor_deletes_datastreams(sta):
    _, stream = make_thing_with_datastream()
    sta.delete(f"Sensors({stream.sensor_id})")
    assert not Datastream.objects.exists()


def test_delete_observation_recomputes_extent(sta, anonymous):
    _, stream = make_thing_with_datastream()
    _first, last = add_observations(
        stream, [("2026-11-01T10:00:00Z", 1), ("2026-11-01T12:00:00Z", 2)]
    )
    sta.delete(f"Observations({last.pk})")
    # A Datastream's phenomenonTime is a TM_Period, even when it spans one instant.
    assert (
        anonymous.get(f"Datastreams({stream.pk})").json()["phenomenonTime"]
        == "2026-11-01T10:00:00Z/2026-11-01T10:00:00Z"
    )


def test_delete_collection_is_405(sta):
    assert sta.delete("Things").status_code == 405
