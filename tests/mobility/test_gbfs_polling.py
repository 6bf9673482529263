"""Polling a GBFS system served on loopback: each file read again only after its own ttl,
a file that breaks its version's schema (or time format) rejected with the reason while
the rest is used, a failing source marked failed and stale with its offers kept, and the
importer ``gbfs`` from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smartcity import cli
from smartcity.core.importers import ImportReport
from smartcity.mobility import feeds
from smartcity.mobility.gbfs import system
from smartcity.mobility.models import Feed, GbfsFile, Offer
from tests.https import Answer
from tests.mobility import gbfs_site

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def _feed(url: str) -> Feed:
    return feeds.feed("metropolradruhr", kind="gbfs", provider="metropolradruhr", url=url)


def _paths(site) -> list[str]:
    return sorted(path.rsplit("/", 1)[1].removesuffix(".json") for path in site.requests)


def test_a_file_is_read_again_only_after_its_own_ttl(site):
    feed = _feed(gbfs_site.serve(site, "v3.0"))  # system_information ttl 3600, the rest 60
    system.poll(feed, now=NOW)
    assert len(site.requests) == 8
    site.requests.clear()
    system.poll(feed, now=NOW + timedelta(seconds=59))
    assert site.requests == []  # within every ttl: nothing fetched again
    system.poll(feed, now=NOW + timedelta(seconds=60))
    assert "system_information" not in _paths(site)
    assert _paths(site) == sorted(
        [
            *("gbfs", "vehicle_types", "system_pricing_plans", "geofencing_zones"),
            *("station_information", "station_status", "vehicle_status"),
        ]
    )
    site.requests.clear()
    system.poll(feed, now=NOW + timedelta(seconds=3600))
    assert "system_information" in _paths(site)
    feed.refresh_from_db()
    assert (feed.failures, feed.error) == (0, "")


def test_ttl_zero_is_read_on_every_poll(site):
    feed = _feed(gbfs_site.serve(site, "v2.3"))  # station files: ttl 0; the others 300
    system.poll(feed, now=NOW)
    site.requests.clear()
    system.poll(feed, now=NOW + timedelta(seconds=1))
    assert _paths(site) == ["geofencing_zones", "station_information", "station_status"]


def test_a_station_status_that_breaks_the_schema_is_rejected_and_the_rest_kept(site):
    feed = _feed(gbfs_site.serve(site, "v2.3"))
    system.poll(feed, now=NOW)
    broken = gbfs_site.load("v2.3", "station_status")
    broken["data"]["stations"][0]["num_docks_available"] = -1
    gbfs_site.put(site, "v2.3", "station_status", broken)
    renamed = gbfs_site.load("v2.3", "station_information")
    renamed["data"]["stations"][0]["name"] = "Hauptbahnhof"
    gbfs_site.put(site, "v2.3", "station_information", renamed)
    system.poll(feed, now=NOW + timedelta(seconds=1))
    feed.refresh_from_db()
    assert feed.failures == 1
    assert "station_status: not valid GBFS 2.3 station_status" in feed.error
    assert "/data/stations/0/num_docks_available: -1 is less than the minimum of 0" in feed.error
    station = Offer.objects.get(ref="station:TST:Station:1")
    assert station.name == "Hauptbahnhof"  # station_information was good: used
    assert station.status["num_docks_available"] == 3  # the last good status kept
    row = GbfsFile.objects.get(feed=feed, name="station_status")
    assert "minimum of 0" in row.error and row.fetched_at == NOW


@pytest.mark.parametrize(
    ("version", "name", "value", "why"),
    [
        ("v2.3", "free_bike_status", "2020-12-01T21:26:08Z", "is not of type 'integer'"),
        ("v3.0", "vehicle_status", 1606857968, "is not of type 'string'"),
        ("v3.0", "vehicle_status", "2019-07-04 13:33:03", "is not a 'date-time'"),
        ("v3.0", "vehicle_status", "2019-07-04T13:33:03", "is not a 'date-time'"),
    ],
)
def test_each_version_has_its_own_time_format(site, version, name, value, why):
    feed = _feed(gbfs_site.serve(site, version))
    document = gbfs_site.load(version, name)
    document["last_updated"] = value
    gbfs_site.put(site, version, name, document)
    system.poll(feed, now=NOW)
    feed.refresh_from_db()
    assert f"{name}: not valid GBFS {version[1:]} {name}: /last_updated: {value!r} {why}" in (
        feed.error
    )
    assert Offer.objects.filter(feed=feed, kind="station").exists()  # the rest is read


def test_a_failing_source_is_marked_failed_and_stale_and_keeps_its_offers(site):
    url = gbfs_site.serve(site, "v3.0")
    for name in set(gbfs_site.names("v3.0")) - {"gbfs"}:  # a system that is live now
        document = gbfs_site.load("v3.0", name)
        document["last_updated"] = NOW.isoformat()
        gbfs_site.put(site, "v3.0", name, document)
    feed = _feed(url)
    system.poll(feed, now=NOW)
    offered = Offer.objects.filter(feed=feed).count()
    vehicle = Offer.objects.filter(feed=feed, kind="vehicle").first()
    assert feeds.freshness(feed, vehicle.status_at, NOW).stale is False
    site.routes.clear()
    site.routes["/v3.0/gbfs.json"] = Answer(b"down for maintenance", 503, "text/plain")
    later = NOW + timedelta(hours=2)
    system.poll(feed, now=later)
    feed.refresh_from_db()
    assert feed.failures == 1 and "HTTP 503" in feed.error and "HTTP 404" in feed.error
    assert feed.delivered_at == NOW
    assert Offer.objects.filter(feed=feed).count() == offered
    vehicle.refresh_from_db()
    assert feeds.freshness(feed, vehicle.status_at, later).stale is True


def test_a_system_never_reached_is_a_failure_not_an_exception(site):
    feed = _feed(site.url("/nothing/gbfs.json"))
    system.poll(feed, now=NOW)
    feed.refresh_from_db()
    assert feed.failures == 1 and feed.error.startswith("gbfs: HTTP 404")
    plain = _feed("http://127.0.0.1:1/gbfs.json")
    Feed.objects.filter(pk=plain.pk).update(url="http://127.0.0.1:1/gbfs.json")
    plain.refresh_from_db()
    system.poll(plain, now=NOW)
    plain.refresh_from_db()
    assert "https only" in plain.error
    assert not Offer.objects.exists()


def test_a_file_that_is_not_json_is_rejected(site):
    feed = _feed(gbfs_site.serve(site, "v3.0"))
    gbfs_site.put(site, "v3.0", "vehicle_status", b'{"last_updated": ')
    system.poll(feed, now=NOW)
    feed.refresh_from_db()
    assert "vehicle_status: not JSON" in feed.error
    assert not Offer.objects.filter(kind="vehicle").exists()
    assert Offer.objects.filter(kind="station").count() == 23


def test_the_importer_reads_a_system_from_the_command_line(site, capsys):
    url = gbfs_site.serve(site, "v3.1-RC3")
    command = ["import", "gbfs", "--url", url, "--feed", "example", "--quiet"]
    assert cli.main(command) == 0
    printed = capsys.readouterr().out
    assert "gbfs: created 1 stations, 1 vehicles" in printed
    assert "skipped: 1 vehicles at a station" in printed
    feed = Feed.objects.get(key="example")
    assert (feed.kind, feed.url, feed.ttl) == ("gbfs", url, 60)
    site.requests.clear()
    assert cli.main(["import", "gbfs", "--feed", "example", "--quiet"]) == 0  # its URL is known
    assert len(site.requests) == 9  # a full read: every file, whatever its ttl


def test_the_importer_says_what_it_needs(capsys):
    assert cli.main(["import", "gbfs", "--quiet"]) == 1
    assert "give the system's gbfs.json" in capsys.readouterr().err


def test_several_systems_are_one_view_of_what_is_near(site, client):
    """metropolradruhr bikes (v2.3) and another operator's e-bikes (v3.0) at the
    Hauptbahnhof: two feeds, one answer of nearby."""
    hbf = (51.6783, 7.8089)
    bikes = gbfs_site.load("v2.3", "station_information")
    for index, station in enumerate(bikes["data"]["stations"]):
        station["lat"], station["lon"] = hbf[0] + 0.001 * index, hbf[1]
    gbfs_site.serve(site, "v2.3")
    gbfs_site.put(site, "v2.3", "station_information", bikes)
    scooters = gbfs_site.load("v3.0", "vehicle_status")
    for vehicle in scooters["data"]["vehicles"]:
        vehicle["lat"], vehicle["lon"] = hbf[0], hbf[1] + 0.001
    gbfs_site.serve(site, "v3.0")
    gbfs_site.put(site, "v3.0", "vehicle_status", scooters)
    for key, version in (("metropolradruhr", "v2.3"), ("ebikes", "v3.0")):
        feed = feeds.feed(key, kind="gbfs", provider=key, url=site.url(f"/{version}/gbfs.json"))
        system.poll(feed, now=NOW)
    answer = client.get(f"/api/v1/mobility/nearby?lat={hbf[0]}&lon={hbf[1]}&radius=300&limit=50")
    found = answer.json()["offers"]
    assert {o["provider"] for o in found} == {"metropolradruhr", "ebikes"}
    assert sum(o["kind"] == "station" for o in found) == 2
    assert sum(o["kind"] == "vehicle" for o in found) == 7


def test_the_team_sees_each_files_last_error_in_the_back_office(site, admin_client):
    feed = _feed(gbfs_site.serve(site, "v3.0"))
    gbfs_site.put(site, "v3.0", "vehicle_status", b"", status=503)
    system.poll(feed, now=NOW)
    page = admin_client.get("/admin/mobility/gbfsfile/").content.decode()
    assert "vehicle_status" in page and "HTTP 503" in page
    row = GbfsFile.objects.get(feed=feed, name="vehicle_status")
    assert admin_client.get(f"/admin/mobility/gbfsfile/{row.pk}/change/").status_code == 200


def test_an_id_too_long_for_an_offer_rejects_that_record_only(site):
    feed = _feed(gbfs_site.serve(site, "v3.0"))
    vehicles = gbfs_site.load("v3.0", "vehicle_status")
    vehicles["data"]["vehicles"][0]["vehicle_id"] = "x" * 300
    gbfs_site.put(site, "v3.0", "vehicle_status", vehicles)
    report = system.read_system(feed, now=NOW, report=ImportReport(), force=True)
    assert report.rejected == [
        ("vehicle_status/data/vehicles/0", "a vehicle_id longer than 192 characters")
    ]
    assert Offer.objects.filter(feed=feed, kind="vehicle").count() == 6
