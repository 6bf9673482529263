"""What the API answers of a GBFS system besides its offers: its information, vehicle
types, pricing plans and files, its geofencing zones and vehicle availability."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smartcity.mobility import feeds
from smartcity.mobility.gbfs import system
from tests.mobility import gbfs_site

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


@pytest.fixture
def example(site):
    url = gbfs_site.serve(site, "v3.1-RC3")
    feed = feeds.feed("example", kind="gbfs", provider="Example", url=url)
    system.poll(feed, now=NOW)
    return feed


def test_the_systems_are_listed_with_their_files(example, client):
    [listed] = client.get("/api/v1/mobility/gbfs/").json()
    assert (listed["feed"], listed["version"]) == ("example", "3.1-RC3")
    assert listed["systemInformation"]["system_id"] == "example_cityname"
    files = {f["name"]: f for f in listed["files"]}
    assert files["station_status"]["ttl"] == 0
    assert files["vehicle_availability"]["lastUpdated"] == "2025-07-17T11:34:13+00:00"
    assert files["system_information"]["fetchedAt"] == NOW.isoformat()


def test_one_system_has_its_vehicle_types_and_pricing_plans(example, client):
    answer = client.get("/api/v1/mobility/gbfs/example").json()
    types = {t["vehicle_type_id"]: t["form_factor"] for t in answer["vehicleTypes"]}
    assert types["def456"] == "scooter_standing" and types["car1"] == "car"
    assert answer["pricingPlans"][0]["plan_id"]


def test_the_geofencing_zones_are_geojson_and_availability_is_answered(example, client):
    zones = client.get("/api/v1/mobility/gbfs/example/geofencing_zones").json()
    assert zones["geofencing_zones"]["type"] == "FeatureCollection"
    assert zones["geofencing_zones"]["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert "global_rules" in zones
    slots = client.get("/api/v1/mobility/gbfs/example/vehicle_availability").json()
    assert slots["vehicles"][0]["availabilities"][0]["from"] == "2025-05-24T00:00:00+02:00"


def test_an_unknown_system_or_a_file_it_lacks_is_a_404(example, client, site):
    assert client.get("/api/v1/mobility/gbfs/nothing").status_code == 404
    url = gbfs_site.serve(site, "v2.3")
    feeds.feed("old", kind="gbfs", provider="Old", url=url)
    answer = client.get("/api/v1/mobility/gbfs/old/vehicle_availability")
    assert answer.status_code == 404 and "has no vehicle_availability" in answer.json()["message"]
