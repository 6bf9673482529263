"""The city's merged GBFS 3.0 feed: the official fixtures (v2.3, v3.0, v3.1-RC3) imported
as three operators from a live loopback site, every merged file read through the API and
checked against the official v3.0 JSON Schema, ids prefixed, v2.3 converted, times and
ttls from the sources, stale and broken sources left out, and the budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from smartcity.core.importers import ImportReport
from smartcity.mobility import feeds
from smartcity.mobility.gbfs import publish, system, validation
from smartcity.mobility.models import Feed, GbfsFile
from tests.mobility import gbfs_site

pytestmark = pytest.mark.django_db
ROOT = "/api/v1/mobility/gbfs/city/"
KEYS = {"v2.3": "old", "v3.0": "paris", "v3.1-RC3": "example"}


def _import(site, version: str, key: str | None = None) -> Feed:
    url = gbfs_site.serve(site, version)
    feed = feeds.feed(key or KEYS[version], kind="gbfs", provider=version, url=url)
    report = system.read_system(feed, now=timezone.now(), report=ImportReport(), force=True)
    assert report.failure == ""
    return feed


@pytest.fixture
def operators(site) -> dict[str, Feed]:
    return {version: _import(site, version) for version in gbfs_site.VERSIONS}


def _get(client, name: str) -> dict[str, Any]:
    answer = client.get(f"{ROOT}{name}.json")
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/json"
    document = answer.json()
    validation.check("3.0", name, document)  # the official v3.0 schema
    return document


def _every_file(client) -> dict[str, dict[str, Any]]:
    discovery = _get(client, "gbfs")
    files = {}
    for entry in discovery["data"]["feeds"]:
        assert entry["url"].startswith("http://testserver" + ROOT)
        files[entry["name"]] = _get(client, entry["name"])
    return {"gbfs": discovery, **files}


def test_every_merged_file_is_valid_gbfs_3_0(operators, client):
    files = _every_file(client)
    assert set(files) == {"gbfs", *publish.FILES}
    information = files["system_information"]["data"]
    assert information["system_id"] == "hamm" and information["timezone"] == "Europe/Berlin"
    assert information["name"] == [{"text": "Hamm", "language": "de"}]
    assert set(information["languages"]) >= {"de", "en"}


def _ids(document: dict[str, Any], member: str, key: str) -> set[str]:
    return {item[key] for item in document["data"][member]}


def _type_refs(files: dict[str, dict[str, Any]]) -> set[str]:
    """Every vehicle_type_id a merged file refers to."""
    found: set[str] = set()
    for station in files["station_information"]["data"]["stations"]:
        for key in ("vehicle_types_capacity", "vehicle_docks_capacity"):
            found.update(t for c in station.get(key, []) for t in c["vehicle_type_ids"])
    for station in files["station_status"]["data"]["stations"]:
        found.update(t["vehicle_type_id"] for t in station.get("vehicle_types_available", []))
        found.update(t for c in station.get("vehicle_docks_available", [])
                     for t in c["vehicle_type_ids"])  # fmt: skip
    found.update(v["vehicle_type_id"] for v in files["vehicle_status"]["data"]["vehicles"])
    if "geofencing_zones" not in files:
        return found
    zones = files["geofencing_zones"]["data"]
    rules = [r for f in zones["geofencing_zones"]["features"] for r in f["properties"]["rules"]]
    found.update(t for r in rules + zones["global_rules"] for t in r["vehicle_type_ids"])
    return found


def test_every_id_is_prefixed_with_its_feed_and_every_reference_resolves(operators, client):
    files = _every_file(client)
    stations = _ids(files["station_information"], "stations", "station_id")
    fixture = {
        f"{KEYS[v]}:{s['station_id']}"
        for v in gbfs_site.VERSIONS
        for s in gbfs_site.load(v, "station_information")["data"]["stations"]
    }
    assert stations == fixture
    assert _ids(files["station_status"], "stations", "station_id") <= stations
    types = _ids(files["vehicle_types"], "vehicle_types", "vehicle_type_id")
    plans = _ids(files["system_pricing_plans"], "plans", "plan_id")
    assert all(t.split(":", 1)[0] in KEYS.values() for t in types | plans)
    # the fixtures' own loose ends: v3.0's station_status and v3.1's zones name a type
    # their vehicle_types do not define
    assert _type_refs(files) - types == {"paris:escooter_paris", "example:moped1"}
    for kind in files["vehicle_types"]["data"]["vehicle_types"]:
        owner = kind["vehicle_type_id"].split(":", 1)[0]
        for plan in [kind.get("default_pricing_plan_id"), *kind.get("pricing_plan_ids", [])]:
            assert plan is None or plan.startswith(f"{owner}:")
    vehicles = files["vehicle_status"]["data"]["vehicles"]
    assert {v["pricing_plan_id"] for v in vehicles if "pricing_plan_id" in v} - plans <= {
        "example:bike_plan_1"  # the v3.1 fixture's vehicles name plans it does not define
    }


def test_two_operators_with_the_same_ids_do_not_collide(site, client):
    _import(site, "v2.3", "first")
    _import(site, "v2.3", "second")
    stations = _ids(_get(client, "station_information"), "stations", "station_id")
    assert stations == {f"{k}:TST:Station:{n}" for k in ("first", "second") for n in (1, 2)}
    types = _ids(_get(client, "vehicle_types"), "vehicle_types", "vehicle_type_id")
    assert len(types) == 4 and "second:TST:VehicleType:Scooter" in types


def test_v2_3_is_converted_to_the_shapes_of_3_0(site, client):
    _import(site, "v2.3")
    kinds = {
        t["vehicle_type_id"]: t for t in _get(client, "vehicle_types")["data"]["vehicle_types"]
    }
    assert kinds["old:TST:VehicleType:Scooter"]["form_factor"] == "scooter_standing"
    [plan] = _get(client, "system_pricing_plans")["data"]["plans"]
    assert plan["name"] == [{"text": "Basic", "language": "en"}]
    assert plan["description"][0]["text"] == "Start NOK 0, Per minute 3,50 NOK"
    zones = _get(client, "geofencing_zones")["data"]
    [zone] = zones["geofencing_zones"]["features"]
    assert zone["properties"]["name"] == [{"text": "Nes", "language": "en"}]
    [rule] = zone["properties"]["rules"]
    assert rule == {"vehicle_type_ids": ["old:TST:VehicleType:CityBike"],
                    "ride_start_allowed": True, "ride_end_allowed": True,
                    "ride_through_allowed": False, "maximum_speed_kph": 20}  # fmt: skip
    assert zones["global_rules"] == []
    status = _get(client, "station_status")["data"]["stations"]
    assert status[0]["last_reported"] == "2025-07-02T06:21:03+00:00"  # POSIX 1751437263
    assert status[0]["num_vehicles_available"] == 1  # v2.3 num_bikes_available
    assert _get(client, "station_information")["data"]["stations"][0]["name"] == [
        {"text": "Cool bikes", "language": "en"}
    ]
    assert _get(client, "vehicle_status")["data"]["vehicles"] == []  # the one was disabled


def _time(value: Any) -> datetime:
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _header(version: str, name: str) -> tuple[datetime, int]:
    source = "free_bike_status" if (version, name) == ("v2.3", "vehicle_status") else name
    document = gbfs_site.load(version, source)
    return _time(document["last_updated"]), document["ttl"]


def test_last_updated_is_the_oldest_source_and_ttl_the_smallest(operators, client):
    files = _every_file(client)
    every = []
    for name in publish.FILES[1:]:
        headers = [_header(v, name) for v in gbfs_site.VERSIONS]
        every += headers
        assert _time(files[name]["last_updated"]) == min(at for at, _ in headers), name
        assert files[name]["ttl"] == min(ttl for _, ttl in headers), name
    for name in ("gbfs", "system_information"):
        assert _time(files[name]["last_updated"]) == min(at for at, _ in every)
        assert files[name]["ttl"] == min(ttl for _, ttl in every)


def test_a_stale_source_is_left_out_and_a_failed_one_keeps_its_fresh_data(operators, client):
    paris, old = operators["v3.0"], operators["v2.3"]
    Feed.objects.filter(pk=paris.pk).update(delivered_at=timezone.now() - timedelta(hours=1))
    feeds.failed(old, "HTTP 503 from the source")
    files = _every_file(client)
    stations = _ids(files["station_information"], "stations", "station_id")
    assert stations and not any(s.startswith("paris:") for s in stations)
    assert any(s.startswith("old:") for s in stations)
    types = _ids(files["vehicle_types"], "vehicle_types", "vehicle_type_id")
    assert not any(t.startswith("paris:") for t in types)
    # the 2019 files of the stale source no longer count for the merged feed's age
    assert _time(files["station_status"]["last_updated"]).year == 2023


def test_a_source_whose_data_breaks_is_left_out_and_the_rest_is_served(operators, client):
    broken = operators["v3.1-RC3"]
    GbfsFile.objects.filter(feed=broken, name="vehicle_types").update(
        data={"vehicle_types": [{"form_factor": "bicycle"}]}  # no vehicle_type_id
    )
    files = _every_file(client)
    stations = _ids(files["station_information"], "stations", "station_id")
    assert not any(s.startswith("example:") for s in stations)
    assert any(s.startswith("old:") for s in stations)


def test_stations_and_vehicles_are_bounded_by_the_setting(operators, client, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_GBFS_PUBLISH_MAX_PLACES", "2")
    information = _get(client, "station_information")["data"]
    assert len(information["stations"]) == 2 and information["_truncated"] is True
    shown = {s["station_id"] for s in information["stations"]}
    status = _get(client, "station_status")["data"]
    assert {s["station_id"] for s in status["stations"]} <= shown and status["_truncated"]
    vehicles = _get(client, "vehicle_status")["data"]
    assert len(vehicles["vehicles"]) == 2 and vehicles["_truncated"] is True
    monkeypatch.setenv("SMARTCITY_MOBILITY_GBFS_PUBLISH_MAX_PLACES", "100")
    assert "_truncated" not in _get(client, "station_information")["data"]


def test_unknown_files_and_files_no_source_has_are_json_404s(client):
    answer = client.get(f"{ROOT}free_bike_status.json")
    assert answer.status_code == 404
    assert "station_information" in answer.json()["message"]
    answer = client.get(f"{ROOT}vehicle_types.json")
    assert answer.status_code == 404 and "no GBFS system" in answer.json()["message"]
    listed = _get(client, "gbfs")["data"]["feeds"]
    assert [f["name"] for f in listed] == [
        "system_information",
        "station_information",
        "station_status",
        "vehicle_status",
    ]
    assert _get(client, "station_information")["data"]["stations"] == []
    assert _get(client, "vehicle_status")["ttl"] == publish.EMPTY_TTL


def test_the_city_is_configurable(client, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_GBFS_SYSTEM_ID", "hamm-sharing")
    monkeypatch.setenv("SMARTCITY_MOBILITY_GBFS_LANGUAGES", "de, en")
    monkeypatch.setenv("SMARTCITY_MOBILITY_GBFS_FEED_CONTACT_EMAIL", "mobil@hamm.de")
    data = _get(client, "system_information")["data"]
    assert (data["system_id"], data["languages"]) == ("hamm-sharing", ["de", "en"])
    assert data["feed_contact_email"] == "mobil@hamm.de"


def test_the_demo_sharing_systems_are_valid_in_the_merged_feed(client):
    from smartcity.mobility.demo import load_demo

    load_demo()
    files = _every_file(client)
    stations = _ids(files["station_information"], "stations", "station_id")
    assert any(s.startswith("demo-metropolradruhr:") for s in stations)
    assert any(s.startswith("demo-carsharing:") for s in stations)
    vehicles = files["vehicle_status"]["data"]["vehicles"]
    assert len(vehicles) == 30 and all(
        v["vehicle_id"].startswith("demo-escooter:") for v in vehicles
    )
    types = _ids(files["vehicle_types"], "vehicle_types", "vehicle_type_id")
    assert _type_refs(files) <= types


def test_the_merged_feed_reads_back_through_the_gbfs_importer(operators, client, site):
    """A conforming reader (the platform's own importer, which validates each file against
    the schema of its version) takes the merged feed as one GBFS 3.0 system."""
    files = _every_file(client)
    for entry in files["gbfs"]["data"]["feeds"]:
        entry["url"] = site.url(f"/city/{entry['name']}.json")
        gbfs_site.put(site, "city", entry["name"], files[entry["name"]])
    gbfs_site.put(site, "city", "gbfs", files["gbfs"])
    again = feeds.feed("again", kind="gbfs", provider="Hamm", url=site.url("/city/gbfs.json"))
    report = system.read_system(again, now=timezone.now(), report=ImportReport(), force=True)
    assert report.failure == "" and report.rejected == [] and again.error == ""
    kinds = dict(again.offers.values_list("kind").annotate(n=Count("id")).order_by())
    assert kinds == {
        "station": len(files["station_information"]["data"]["stations"]),
        "vehicle": len(files["vehicle_status"]["data"]["vehicles"]),
    }
    assert again.offers.filter(ref="station:old:TST:Station:1").exists()
