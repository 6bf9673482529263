"""Traffic signals from OpenStreetMap: Overpass JSON and an .osm XML extract give the same
signals with their aids, cropped to the city; hostile XML (a billion laughs, external
entities, NUL characters) and wrong shapes are failures or rejections, never exceptions;
.pbf is refused with a message; a poll over https on loopback replaces the signals, and
a failing one keeps them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from smartcity.core import importers
from smartcity.mobility import polling
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.signals import osm
from tests.https import Answer

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "osm"
OVERPASS = FIXTURES / "signals.overpass.json"
EXTRACT = FIXTURES / "signals.osm"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _signals(key: str = "osm-signals") -> dict[str, Offer]:
    return {o.ref: o for o in Offer.objects.filter(feed__key=key)}


@pytest.mark.parametrize("path", [OVERPASS, EXTRACT])
def test_signals_with_their_aids_inside_the_city(path):
    report = importers.run(osm.IMPORTER, path)
    signals = _signals()
    assert sorted(signals) == ["node/240001001", "node/240001002", "node/240001003"]
    assert report.skipped == {"signals outside the area": 1}
    assert len(report.rejected) == 1 and "lat" in report.rejected[0][1]
    assert report.failure == ""
    main = signals["node/240001001"]
    assert (main.mode, main.kind) == ("signal", "point")
    assert main.lat == pytest.approx(51.6805102)
    assert main.details == {
        "source": "osm",
        "osmId": "node/240001001",
        "kind": "traffic",
        "crossing": "traffic_signals",
        "sound": "yes",
        "vibration": "yes",
        "buttonOperated": "yes",
        "tactilePaving": "yes",
        "direction": "forward",
    }
    crossing = signals["node/240001002"].details
    assert crossing["kind"] == "crossing"
    assert (crossing["sound"], crossing["vibration"]) == ("locate", "no")
    assert signals["node/240001003"].details["direction"] == "backward"
    assert Feed.objects.get(key="osm-signals").kind == Feed.OSM


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE osm [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<osm><node id="1" lat="51.68" lon="7.81"><tag k="highway" v="traffic_signals"/>
<tag k="name" v="&d;"/></node></osm>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE osm [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<osm><node id="1" lat="51.68" lon="7.81"><tag k="name" v="&secret;"/></node></osm>"""


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (BOMB, "DOCTYPE"),
        (EXTERNAL, "DOCTYPE"),
        (b'<osm><node id="1" lat="51.68" lon="7.81">&x;</node></osm>', "undefined entity"),
        (b'<osm><node id="1\x00" lat="51.68" lon="7.81"/></osm>', "not well-formed"),
        (b'<osm><node id="1" lat="51.68"', "breaks off"),
        ('<?xml version="1.0" encoding="UTF-16"?><osm/>'.encode("utf-16"), "UTF-16"),
        (b"\x00\x00\x00\x0e\n\tOSMHeader", ".pbf"),
        (b"just text", "neither"),
        (b"[]", "neither"),
        (b'{"elements": 5}', "elements is not a list"),
        (b'{"version": 0.6}', "Overpass"),
        (b'{"elements": [], "remark": "runtime error: Query timed out"}', "Overpass API reports"),
    ],
)
def test_hostile_or_wrong_documents_are_refused_and_change_nothing(body, why):
    importers.run(osm.IMPORTER, OVERPASS)
    report = importers.run(osm.IMPORTER, body)
    assert why in (report.failure or " ".join(r for _, r in report.rejected))
    assert len(_signals()) == 3  # the last good signals stay
    assert why in Feed.objects.get(key="osm-signals").error


def test_a_pbf_file_is_refused_by_its_name(tmp_path):
    path = tmp_path / "hamm.osm.pbf"
    path.write_bytes(b"{}")
    report = importers.run(osm.IMPORTER, path)
    assert "pyosmium" in report.failure


def test_hostile_nodes_are_rejected_one_by_one():
    good = {"type": "node", "id": 7, "lat": 51.68, "lon": 7.81}
    signal = {"highway": "traffic_signals"}
    elements = [
        {**good, "tags": {**signal, "name": "Am\u0000pel"}},
        {**good, "tags": {**signal, "ref": 12}},
        {**good, "tags": ["highway", "traffic_signals"]},
        {**good, "id": "7; DROP", "tags": signal},
        {**good, "lon": 720, "tags": signal},
        "node",
        {**good, "tags": signal},
    ]
    report = importers.run(osm.IMPORTER, orjson.dumps({"elements": elements}))
    assert sorted(_signals()) == ["node/7"]
    assert [where for where, _ in report.rejected] == [f"/elements/{n}" for n in range(6)]
    assert report.failure == ""


def test_polling_reads_the_feed_again_and_keeps_the_signals_when_it_fails(site):
    site.routes["/api/interpreter"] = Answer(OVERPASS.read_bytes())
    feed = Feed.objects.create(
        key="osm-hamm", kind=Feed.OSM, provider="t", url=site.url("/api/interpreter")
    )
    assert polling.poll_due(NOW, {Feed.OSM: polling.POLLERS[Feed.OSM]}) == {"osm-hamm": "ok"}
    assert len(_signals("osm-hamm")) == 3
    site.routes["/api/interpreter"] = Answer(b"<html>rate limited</html>", 429, "text/html")
    osm.poll(feed, now=NOW)
    feed.refresh_from_db()
    assert feed.failures == 1 and "429" in feed.error
    assert len(_signals("osm-hamm")) == 3


def test_the_default_address_is_an_overpass_query_for_the_city():
    url = osm.locate()
    assert url.startswith("https://overpass-api.de/api/interpreter?data=")
    assert "51.58%2C7.65%2C51.78%2C8.05" in url
    assert len(url) <= 500  # fits a feed's address


def test_a_live_import_keeps_its_address_for_polling(site):
    site.routes["/api/interpreter"] = Answer(OVERPASS.read_bytes())
    url = site.url("/api/interpreter?data=x")
    report = importers.run(osm.IMPORTER, url)
    assert report.created == {"traffic signals": 3}
    assert Feed.objects.get(key="osm-signals").url == url


def test_the_command_line_reads_an_extract(capsys):
    from smartcity import cli

    assert cli.main(["import", "osm-signals", "--file", str(EXTRACT), "--quiet"]) == 0
    out, _err = capsys.readouterr()
    assert "created 3 traffic signals" in out
    assert (
        cli.main(
            [
                "import",
                "osm-signals",
                "--file",
                str(EXTRACT),
                "--bbox",
                "7.81,51.67,7.82,51.69",
                "--quiet",
            ]
        )
        == 0
    )
    assert sorted(_signals()) == ["node/240001001", "node/240001002"]


def test_nearby_answers_signals_and_parking_sites_with_their_details(client):
    from smartcity.mobility.parking import parkapi

    importers.run(osm.IMPORTER, OVERPASS)
    importers.run(
        parkapi.IMPORTER,
        Path(__file__).resolve().parents[1] / "fixtures" / "parkapi" / "parking-sites.json",
    )
    point = {"lat": 51.6805, "lon": 7.8167, "radius": 300, "modes": "signal,parking"}
    body = client.get("/api/v1/mobility/nearby", point).json()
    by_ref = {o["ref"]: o for o in body["offers"]}
    assert by_ref["node/240001001"]["details"]["sound"] == "yes"
    assert by_ref["node/240001001"]["mode"] == "signal"
    assert by_ref["1201"]["status"]["free"] == 213


def test_the_record_limit_is_per_element_not_per_extract(monkeypatch):
    monkeypatch.setenv("SMARTCITY_IMPORT_RECORD_BYTES", "2048")
    ways = "".join(
        f'<way id="{n}"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>'
        for n in range(2000)
    )
    signal = '<node id="1" lat="51.68" lon="7.81"><tag k="highway" v="traffic_signals"/></node>'
    report = importers.run(osm.IMPORTER, f"<osm>{signal}{ways}</osm>".encode())
    assert report.failure == "" and report.created == {"traffic signals": 1}
    nodes = '<nd ref="1"/>' * 20000  # 260 kB: over the limit and a read's slack
    huge = f'<osm>{signal}<way id="1">{nodes}</way></osm>'
    report = importers.run(osm.IMPORTER, huge.encode())
    assert "larger than 2048 bytes" in report.failure


def test_a_signal_gets_the_datastreams_of_the_thing_with_its_ref():
    from smartcity.sensors import services
    from smartcity.sensors.entities import entity
    from tests.sensors.factories import datastream_payload, thing_payload

    thing = services.create(
        entity("Thing"), thing_payload("LSA 17", properties={"signalRef": "LSA 17"})
    )
    stream = services.create(
        entity("Datastream"), {**datastream_payload("Grünphasen"), "Thing": {"@iot.id": thing.pk}}
    )
    services.create(entity("Thing"), thing_payload("Andere", properties={"signalRef": True}))
    node = {"type": "node", "lat": 51.68, "lon": 7.81}
    signal = {"highway": "traffic_signals"}
    elements = [
        {**node, "id": 1, "tags": {**signal, "ref": "LSA 17"}},
        {**node, "id": 2, "tags": {**signal, "ref": "LSA 18"}},
        {**node, "id": 3, "tags": signal},
    ]
    report = importers.run(osm.IMPORTER, orjson.dumps({"elements": elements}))
    signals = _signals()
    assert signals["node/1"].details["datastreams"] == [stream.pk]
    assert "datastreams" not in signals["node/2"].details
    assert "datastreams" not in signals["node/3"].details
    assert report.created == {"traffic signals": 3, "traffic signals with datastreams": 1}
