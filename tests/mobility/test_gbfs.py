"""Every official GBFS fixture (v2.3, v3.0, v3.1-RC3) served on loopback as a live system,
read in full, and checked offer by offer against the fixture's own numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from smartcity.core.importers import ImportReport
from smartcity.mobility import feeds
from smartcity.mobility.gbfs import catalogue, system, validation
from smartcity.mobility.models import GbfsFile, Offer
from tests.mobility import gbfs_site

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _read(site, version: str) -> tuple[Any, ImportReport]:
    url = gbfs_site.serve(site, version)
    feed = feeds.feed(f"gbfs-{version.replace('.', '-')}", kind="gbfs", provider="Test", url=url)
    report = system.read_system(feed, now=NOW, report=ImportReport(), force=True)
    return feed, report


def _time(version: str, value: Any) -> datetime:
    """A fixture's time read independently of the code: POSIX seconds or RFC 3339."""
    if version == "v2.3":
        return datetime.fromtimestamp(value, UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _types(version: str) -> dict[str, dict[str, Any]]:
    if "vehicle_types" not in gbfs_site.names(version):
        return {}
    data = gbfs_site.load(version, "vehicle_types")["data"]
    return {t["vehicle_type_id"]: t for t in data["vehicle_types"]}


@pytest.mark.parametrize("version", gbfs_site.VERSIONS)
def test_every_fixture_file_is_valid_for_its_version(version):
    for name in gbfs_site.names(version):
        validation.check(version.removeprefix("v"), name, gbfs_site.load(version, name))


@pytest.mark.parametrize("version", gbfs_site.VERSIONS)
def test_every_station_is_offered_with_the_fixtures_numbers(site, version):
    feed, report = _read(site, version)
    assert report.rejected == [] and report.failure == ""
    info = gbfs_site.load(version, "station_information")["data"]["stations"]
    status_file = gbfs_site.load(version, "station_status")
    status = {s["station_id"]: s for s in status_file["data"]["stations"]}
    offered = {o.ref: o for o in Offer.objects.filter(feed=feed, kind="station")}
    assert set(offered) == {f"station:{s['station_id']}" for s in info}
    for station in info:
        offer = offered[f"station:{station['station_id']}"]
        assert (offer.lat, offer.lon) == (station["lat"], station["lon"])
        name = station["name"]
        assert offer.name == (name if isinstance(name, str) else name[0]["text"])
        assert offer.details.get("capacity") == station.get("capacity")
        assert offer.details.get("is_virtual_station") == station.get("is_virtual_station")
        live = status.get(station["station_id"])
        if live is None:
            assert (offer.status, offer.status_at) == ({}, None)
            continue
        available = live.get("num_vehicles_available", live.get("num_bikes_available"))
        assert offer.status["num_vehicles_available"] == available
        assert offer.status.get("num_docks_available") == live.get("num_docks_available")
        assert offer.status["vehicle_types_available"] == {
            t["vehicle_type_id"]: t["count"] for t in live.get("vehicle_types_available", [])
        }
        assert offer.status["is_renting"] is live["is_renting"]
        assert offer.status["is_returning"] is live["is_returning"]
        reported = _time(version, live["last_reported"])
        assert offer.status["last_reported"] == reported.isoformat()
        assert offer.status_at == _time(version, status_file["last_updated"])


@pytest.mark.parametrize("version", gbfs_site.VERSIONS)
def test_every_available_free_floating_vehicle_is_offered_by_its_form_factor(site, version):
    feed, report = _read(site, version)
    name = "free_bike_status" if version == "v2.3" else "vehicle_status"
    document = gbfs_site.load(version, name)
    listed = document["data"]["bikes" if version == "v2.3" else "vehicles"]
    types = _types(version)
    offered = {o.ref: o for o in Offer.objects.filter(feed=feed, kind="vehicle")}
    expected = [
        v
        for v in listed
        if not v["is_disabled"] and not v["is_reserved"] and "station_id" not in v and "lat" in v
    ]
    assert len(offered) == len(expected)
    assert sum(report.skipped.values()) == len(listed) - len(expected)
    for vehicle in expected:
        offer = offered[f"vehicle:{vehicle.get('vehicle_id', vehicle.get('bike_id'))}"]
        kind = types.get(vehicle.get("vehicle_type_id"), {"form_factor": "bicycle"})
        assert offer.mode == catalogue.MODES[kind["form_factor"]]
        assert (offer.lat, offer.lon) == (vehicle["lat"], vehicle["lon"])
        assert offer.status.get("current_range_meters") == vehicle.get("current_range_meters")
        assert offer.status.get("propulsion_type") == kind.get("propulsion_type")
        assert offer.status["is_reserved"] is False and offer.status["is_disabled"] is False
        assert offer.status.get("pricing_plan_id") == vehicle.get(
            "pricing_plan_id", kind.get("default_pricing_plan_id")
        )
        assert offer.status_at == _time(version, document["last_updated"])


def test_v2_3_the_disabled_scooter_is_not_offered_and_stations_are_bike_stations(site):
    _, report = _read(site, "v2.3")
    assert report.skipped == {"disabled vehicles": 1}
    assert not Offer.objects.filter(kind="vehicle").exists()
    first = Offer.objects.get(ref="station:TST:Station:1")
    assert (first.mode, first.name, first.status["num_vehicles_available"]) == (
        "bike",
        "Cool bikes",
        1,
    )
    assert first.details["vehicle_docks_capacity"] == [
        {"vehicle_type_ids": ["TST:VehicleType:CityBike"], "count": 7}
    ]
    assert first.status_at == datetime(2025, 7, 2, 6, 21, 3, tzinfo=UTC)  # POSIX 1751437263


def test_v3_0_vehicles_carry_their_pricing_plan_and_the_rfc3339_times(site):
    _read(site, "v3.0")
    vehicle = Offer.objects.filter(kind="vehicle").order_by("ref").first()
    assert vehicle.name == "Electric Bicycle" and vehicle.mode == "bike"
    assert vehicle.status["propulsion_type"] == "electric_assist"
    assert vehicle.status["pricing_plan"]["plan_id"] == "87c7ed6e-aecf-4900-9a85-2a78efbba65b"
    assert vehicle.status_at == datetime(2019, 7, 4, 13, 33, 3, 969000, tzinfo=UTC)
    assert Offer.objects.filter(kind="station").count() == 23


def test_v3_1_keeps_vehicle_availability_and_the_reference_files(site):
    feed, report = _read(site, "v3.1-RC3")
    assert report.skipped == {"vehicles at a station": 1}
    kept = {f.name: f for f in GbfsFile.objects.filter(feed=feed)}
    availability = kept["vehicle_availability"]
    assert availability.data["vehicles"][0]["station_id"] == "pga"
    assert availability.last_updated == datetime(2025, 7, 17, 11, 34, 13, tzinfo=UTC)  # +02:00
    assert kept["system_information"].data["system_id"]
    assert kept["geofencing_zones"].data["geofencing_zones"]["type"] == "FeatureCollection"
    assert kept["system_pricing_plans"].data["plans"]
    station = Offer.objects.get(ref="station:pga")
    assert station.name == "Parking garage A" and station.details["is_charging_station"] is True
    assert station.details["vehicle_types"][0]["form_factor"] == "bicycle"


def test_the_mode_follows_the_form_factor():
    found = catalogue.Catalogue(
        "3.0",
        "de",
        {
            "s": {"form_factor": "scooter_standing"},
            "m": {"form_factor": "moped"},
            "c": {"form_factor": "car"},
            "k": {"form_factor": "cargo_bicycle"},
        },
    )
    assert found.mode_of(["s", "s", "m"]) == "scooter"
    assert found.mode_of(["c"]) == "car" and found.mode_of(["m"]) == "moped"
    assert found.mode_of(["k", "s"]) == "bike"  # a tie goes to the bike
    assert found.mode_of([]) == "bike" and found.mode_of(["unknown"]) == "bike"
