"""DATEX II parking: the Parking Publication Light (sites with their free spaces at
once), the full profile's table and status publications, cropping to the city, hostile
XML (a billion laughs, external entities, NUL characters) refused without an exception,
and polling over https on loopback of both addresses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartcity.core import importers
from smartcity.mobility import polling
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.parking import datex2
from tests.https import Answer

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datex2"
LIGHT = FIXTURES / "parking-light.xml"
TABLE = FIXTURES / "parking-table.xml"
STATUS = FIXTURES / "parking-status.xml"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _sites(key: str = "datex2") -> dict[str, Offer]:
    return {o.ref: o for o in Offer.objects.filter(feed__key=key)}


def test_the_light_publication_gives_sites_with_their_free_spaces():
    report = importers.run(datex2.IMPORTER, LIGHT)
    sites = _sites()
    assert sorted(sites) == ["HAM-PH-001", "HAM-PH-002", "HAM-STR-010"]
    assert report.skipped == {"parking sites outside the area": 1}
    assert report.rejected == [
        ("parkingSite 4 (HAM-BROKEN)", "the site has no latitude and longitude")
    ]
    allee = sites["HAM-PH-001"]
    assert (allee.mode, allee.kind, allee.name) == ("parking", "site", "Parkhaus Allee-Center")
    assert allee.details == {
        "source": "datex2",
        "type": "carPark",
        "datexType": "carPark",
        "address": "Richard-Matthaei-Platz",
        "operator": "Stadtwerke Hamm GmbH",
        "publicUrl": "https://www.hamm.de/parken",
        "capacity": {"total": 720, "disabled": 14, "charging": 8},
        "hasRealtimeData": True,
        "openingTimes": ["Mo-Sa 07:00-22:00"],
        "fee": {"hasFee": True, "description": "1,50 EUR je angefangene Stunde"},
        "maxHeightCm": 200,
        "maxStaySeconds": 86400,
    }
    assert allee.status == {"free": 213, "openingStatus": "open", "trend": "decreasing"}
    assert allee.status_at == datetime(2026, 12, 1, 10, 58, tzinfo=UTC)
    assert sites["HAM-PH-002"].status == {"free": 0, "openingStatus": "closed"}
    street = sites["HAM-STR-010"]
    assert street.details["type"] == "onStreet"
    assert street.details["fee"] == {"hasFee": False}
    assert street.details["hasRealtimeData"] is False and street.status == {}


def test_the_table_and_then_the_status_publication():
    report = importers.run(datex2.IMPORTER, TABLE)
    assert report.created == {"parking sites": 2}
    sites = _sites()
    assert sites["HAM-PR-HEESSEN"].name == "P+R Bahnhof Heessen"
    assert sites["HAM-PR-HEESSEN"].details["type"] == "carPark"
    assert sites["HAM-TG-MARKT"].details["type"] == "underground"
    assert sites["HAM-TG-MARKT"].details["capacity"] == {"total": 250}
    report = importers.run(datex2.IMPORTER, STATUS)
    assert report.created == {"parking statuses": 1}
    assert report.skipped == {"statuses of sites the feed does not have": 1}
    assert report.rejected == [
        (
            "parkingRecordStatus 2 (HAM-TG-MARKT)",
            "parkingNumberOfVacantSpaces: 'many' is not a number",
        )
    ]
    sites = _sites()
    assert len(sites) == 2  # a status publication removes no site
    assert sites["HAM-PR-HEESSEN"].status == {
        "free": 37,
        "occupied": 83,
        "occupancyPercent": 69.2,
        "openingStatus": "open",
        "siteStatus": "spacesAvailable",
    }
    assert sites["HAM-PR-HEESSEN"].status_at == datetime(2026, 12, 1, 11, 58, tzinfo=UTC)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<payload><parkingSite id="x"><name>&lol3;</name></parkingSite></payload>"""
XXE = b"""<?xml version="1.0"?>
<!-- the comment before it does not hide it -->
<!DOCTYPE payload SYSTEM "https://evil.example/payload.dtd">
<payload><parkingSite id="x"/></payload>"""


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (BOMB, "DOCTYPE"),
        (XXE, "DOCTYPE"),
        (b"<payload><parkingSite id='x'>&ext;</parkingSite></payload>", "undefined entity"),
        (b"<payload><parkingSite id='a\x00b'/></payload>", "not well-formed"),
        (b"<payload><parkingSite id='x'><name>cut", "breaks off"),
        (b"<payload><name>nothing here</name></payload>", "no parkingSite"),
        (b'{"parkingPublicationLight": {}}', "not XML"),
        (b"", "empty"),
    ],
)
def test_hostile_or_wrong_documents_fail_and_keep_the_sites(body, why):
    importers.run(datex2.IMPORTER, LIGHT)
    report = importers.run(datex2.IMPORTER, body)
    assert why in report.failure
    assert len(_sites()) == 3
    assert why in Feed.objects.get(key="datex2").error


def test_hostile_sites_are_rejected_one_by_one():
    site = (
        '<parkingSite id="{id}"><name>{name}</name><locationAndDimension>'
        "<coordinatesForDisplay><latitude>{lat}</latitude><longitude>7.81</longitude>"
        "</coordinatesForDisplay></locationAndDimension><numberOfSpaces>{n}</numberOfSpaces>"
        "</parkingSite>"
    )
    body = (
        "<payload>"
        + "".join(
            [
                site.format(id="a", name="A", lat="NaN", n=1),
                site.format(id="b", name="B", lat="51.68", n=-1),
                site.format(id="", name="C", lat="51.68", n=1),
                site.format(id="d", name="D", lat="91", n=1),
                site.format(id="ok", name="Gut", lat="51.68", n=5),
            ]
        )
        + "</payload>"
    )
    report = importers.run(datex2.IMPORTER, body.encode())
    assert sorted(_sites()) == ["ok"]
    assert len(report.rejected) == 4 and report.failure == ""


def test_polling_reads_the_table_then_the_status(site):
    site.routes["/table.xml"] = Answer(TABLE.read_bytes(), content_type="application/xml")
    site.routes["/status.xml"] = Answer(STATUS.read_bytes(), content_type="application/xml")
    feed = Feed.objects.create(
        key="hamm-parken",
        kind=Feed.DATEX2,
        provider="t",
        url=site.url("/table.xml"),
        options={"status_url": site.url("/status.xml")},
    )
    assert polling.poll_due(NOW, {Feed.DATEX2: polling.POLLERS[Feed.DATEX2]}) == {
        "hamm-parken": "ok"
    }
    assert _sites("hamm-parken")["HAM-PR-HEESSEN"].status["free"] == 37
    site.routes["/table.xml"] = Answer(b"down", 503, "text/plain")
    datex2.poll(feed, now=NOW)
    feed.refresh_from_db()
    assert feed.failures == 1 and "503" in feed.error
    assert site.requests[-1] == "/table.xml"  # the status is not read after a failed table
    assert len(_sites("hamm-parken")) == 2


def test_the_command_line_reads_a_table_and_its_status_into_one_feed(capsys):
    from smartcity import cli

    assert cli.main(["import", "datex2", "--file", str(TABLE), "--feed", "hp", "--quiet"]) == 0
    assert cli.main(["import", "datex2", "--file", str(STATUS), "--feed", "hp", "--quiet"]) == 0
    out, _err = capsys.readouterr()
    assert "created 1 parking statuses" in out
    assert _sites("hp")["HAM-PR-HEESSEN"].status["free"] == 37
    assert cli.main(["import", "datex2", "--file", "/nonexistent.xml", "--quiet"]) == 1
