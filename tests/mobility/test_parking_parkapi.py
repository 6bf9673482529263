"""ParkAPI v3: a saved answer, a server's pages over https on loopback (the cursor, the
crop around the city), realtime free capacity, hostile answers rejected record by record,
and a failing server that keeps the last good sites."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from smartcity.core import importers
from smartcity.mobility import polling
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.parking import parkapi
from tests.https import Answer

pytestmark = pytest.mark.django_db
SAVED = Path(__file__).resolve().parents[1] / "fixtures" / "parkapi" / "parking-sites.json"
ANSWER = json.loads(SAVED.read_text())
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PATH = "/park-api/api/public/v3/parking-sites"


def _sites(key: str = "parkapi") -> dict[str, Offer]:
    return {o.ref: o for o in Offer.objects.filter(feed__key=key)}


def test_a_saved_answer_is_cropped_to_the_city_and_bad_sites_are_rejected():
    report = importers.run(parkapi.IMPORTER, SAVED)
    sites = _sites()
    assert sorted(sites) == ["1201", "1202"]
    assert report.skipped == {"parking sites outside the area": 1}
    assert report.rejected == [("/items/2", "capacity: 'many' is not a number")]
    allee = sites["1201"]
    assert (allee.mode, allee.kind, allee.name) == ("parking", "site", "Parkhaus Allee-Center")
    assert allee.lat == pytest.approx(51.678321)
    assert allee.details["type"] == "carPark"
    assert allee.details["capacity"] == {
        "total": 720,
        "disabled": 14,
        "woman": 20,
        "family": 10,
        "charging": 8,
    }
    assert allee.details["fee"] == {"hasFee": True, "description": "1,50 EUR je Stunde"}
    assert allee.details["maxHeightCm"] == 200
    assert allee.details["openingHours"] == "Mo-Sa 07:00-22:00"
    assert "parkAndRide" not in allee.details  # NO is none
    assert allee.status == {
        "free": 213,
        "freeBy": {"disabled": 5},
        "capacity": 700,
        "openingStatus": "open",
    }
    assert allee.status_at == datetime(2026, 12, 1, 11, 58, tzinfo=UTC)
    pr = sites["1202"]
    assert pr.details["parkAndRide"] == ["train", "bus"]
    assert pr.details["hasRealtimeData"] is False
    assert pr.status == {} and pr.status_at is None
    assert Feed.objects.get(key="parkapi").delivered_at is not None


def _page(items, **more) -> Answer:
    return Answer(orjson.dumps({"items": items, "total_count": 3, **more}))


def test_polling_follows_the_cursor_and_asks_around_the_city(site):
    items = ANSWER["items"]
    site.routes[PATH] = _page(items[:1], next_id=1201, next_path=f"{PATH}?start=1202&limit=1")
    site.routes[f"{PATH}?start=1202&limit=1"] = _page(items[1:2], next_id=1202)
    site.routes[f"{PATH}?limit=1&start=1202"] = _page([])  # next_id without next_path
    feed = Feed.objects.create(
        key="parkapi-test", kind=Feed.PARKAPI, provider="t", url=site.url(PATH)
    )
    assert polling.poll_due(NOW, {Feed.PARKAPI: polling.POLLERS[Feed.PARKAPI]}) == {
        "parkapi-test": "ok"
    }
    assert sorted(_sites("parkapi-test")) == ["1201", "1202"]
    first = site.requests[0]
    assert "lat=51.68000" in first and "lon=7.85000" in first and "radius=" in first
    feed.refresh_from_db()
    assert feed.delivered_at == NOW


def test_a_failing_page_keeps_the_last_good_sites(site):
    site.routes[PATH] = _page(ANSWER["items"][:2])
    feed = Feed.objects.create(key="p", kind=Feed.PARKAPI, provider="t", url=site.url(PATH))
    parkapi.poll(feed, now=NOW)
    assert sorted(_sites("p")) == ["1201", "1202"]
    site.routes[PATH] = _page(ANSWER["items"][:1], next_path=f"{PATH}?start=2")
    site.routes[f"{PATH}?start=2"] = Answer(b"gateway down", 502, "text/plain")
    report = parkapi.poll_report(feed, now=NOW)
    assert "page 2" in report.failure
    assert sorted(_sites("p")) == ["1201", "1202"]  # nothing changed
    feed.refresh_from_db()
    assert feed.failures == 1 and "page 2" in feed.error


def test_pages_that_repeat_are_stopped(site):
    site.routes[PATH] = _page(ANSWER["items"][:1], next_path=PATH)
    feed = Feed.objects.create(key="p", kind=Feed.PARKAPI, provider="t", url=site.url(PATH))
    feed.options = {"crop": False}
    assert "repeat" in parkapi.poll_report(feed, now=NOW).failure
    assert len(site.requests) == 2


def test_a_next_page_on_another_origin_is_not_followed(site):
    site.routes[PATH] = _page(ANSWER["items"][:1], next_path="https://evil.example/x")
    feed = Feed.objects.create(key="p", kind=Feed.PARKAPI, provider="t", url=site.url(PATH))
    report = parkapi.poll_report(feed, now=NOW)
    assert "not on the server's origin" in report.failure
    assert _sites("p") == {}


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2, 3]",
        b'{"items": 7}',
        b'{"total_count": 1}',
        b'{"items": [',
        b"",
        b"\x00\x00\x00",
    ],
)
def test_wrong_shapes_are_failures_never_exceptions(site, body):
    site.routes[PATH] = Answer(body)
    feed = Feed.objects.create(key="p", kind=Feed.PARKAPI, provider="t", url=site.url(PATH))
    report = parkapi.poll_report(feed, now=NOW)
    assert report.failure
    feed.refresh_from_db()
    assert feed.failures == 1


def test_hostile_sites_are_rejected_one_by_one():
    good = copy.deepcopy(ANSWER["items"][0])
    hostile = [
        {**good, "id": 1, "name": "Park\u0000haus"},
        {**good, "id": 2, "lat": "NaN"},
        {**good, "id": 3, "lat": 123},
        {**good, "id": 4, "realtime_free_capacity": -3},
        {**good, "id": 5, "park_and_ride_type": "TRAIN"},
        {**good, "id": 6, "realtime_data_updated_at": "yesterday"},
        "not a site",
        {**good, "id": 7, "address": {"street": "x"}},
    ]
    body = orjson.dumps({"items": [*hostile, good]})
    report = importers.run(parkapi.IMPORTER, body)
    assert sorted(_sites()) == ["1201"]
    assert [where for where, _ in report.rejected] == [f"/items/{n}" for n in range(8)]
    assert "NUL" in report.rejected[0][1]
    assert report.failure == ""


def test_the_command_line_reads_a_file_and_a_servers_pages(site, capsys):
    from smartcity import cli

    assert cli.main(["import", "parkapi", "--file", str(SAVED), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "parkapi: created 2 parking sites" in out
    assert "/items/2" in err
    site.routes[PATH] = _page(ANSWER["items"][:1], next_path=f"{PATH}?start=1202")
    site.routes[f"{PATH}?start=1202"] = _page(ANSWER["items"][1:2])
    url = site.url(PATH)
    assert cli.main(["import", "parkapi", "--url", url, "--feed", "bw", "--quiet"]) == 0
    assert sorted(_sites("bw")) == ["1201", "1202"]
    assert Feed.objects.get(key="bw").url == url
