"""The Ladesäulenregister importer: encodings, a preamble of any length, decimal commas,
cropping by the area (not by the town's name), rejections with line and column, a source
that breaks off, and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartcity import cli
from smartcity.core import importers
from smartcity.core.geo import BBox
from smartcity.mobility.charging import bnetza, plugs
from smartcity.mobility.models import Feed, Offer
from tests.https import Answer

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
UTF8 = FIXTURES / "ladesaeulenregister.csv"
LATIN1 = FIXTURES / "ladesaeulenregister_latin1.csv"


def _import(source, **options):
    return importers.run(bnetza.IMPORTER, source, **options)


def _sites() -> dict[str, Offer]:
    return {o.ref: o for o in Offer.objects.filter(feed__key="bnetza")}


def test_the_utf8_register_is_cropped_to_the_citys_area():
    report = _import(UTF8)
    sites = _sites()
    # Hamm's three and Ahlen's (inside the area); Hamm (Sieg) and Essen lie outside it
    assert sorted(sites) == ["100101", "100102", "100103", "100104"]
    assert report.skipped == {"charging sites outside the area": 2}
    assert report.created == {"charging sites": 4}
    assert report.failure == ""
    station = sites["100101"]
    assert (station.mode, station.kind) == ("charging", "site")
    assert (station.lat, station.lon) == (51.678612, 7.808135)
    assert station.name == "Stadtwerke Hamm, Willy-Brandt-Platz 1"
    details = station.details
    assert details["operator"] == "Stadtwerke Hamm GmbH"
    assert details["address"] == {
        "street": "Willy-Brandt-Platz 1",
        "extra": "Parkhaus Hauptbahnhof",
        "postalCode": "59065",
        "city": "Hamm",
        "country": "DEU",
    }
    assert details["opening"] == {"twentyfourseven": True}
    assert details["type"] == "normal"
    assert details["chargePointCount"] == 2
    assert details["powerKw"] == 22
    assert details["commissioned"] == "2021-03-15"
    assert details["payment"] == ["RFID-Karte", "Onlinezahlungsverfahren"]
    assert details["chargePoints"][0] == {
        "plugs": ["AC Steckdose Typ 2"],
        "standards": ["IEC_62196_T2"],
        "powerKw": 22,
        "evseId": "DE*SWH*E100101*1",
    }
    assert details["byPlug"] == [{"standard": "IEC_62196_T2", "powerKw": 22, "total": 2}]


def test_a_fast_charger_with_two_plugs_on_one_point():
    _import(UTF8)
    details = _sites()["100102"].details
    assert details["type"] == "fast"
    assert details["opening"] == {
        "twentyfourseven": None,
        "text": "Eingeschränkt",
        "weekdays": "Montag-Sonntag",
        "times": "08:00-22:00",
    }
    assert details["chargePoints"][0]["standards"] == ["IEC_62196_T2_COMBO", "CHADEMO"]
    assert details["byPlug"] == [
        {"standard": "CHADEMO", "powerKw": 150, "total": 1},
        {"standard": "IEC_62196_T2_COMBO", "powerKw": 150, "total": 2},
    ]
    # a decimal point instead of the comma is read as well
    assert _sites()["100103"].lat == 51.6817


def test_broken_rows_are_rejected_with_line_and_column():
    report = _import(UTF8)
    assert report.rejected == [
        ("line 15, Breitengrad", "'51,6x' is not a number"),
        ("line 16, Anzahl Ladepunkte", "'zwei' is not a number"),
    ]


def test_the_older_layout_in_windows_1252_with_a_shorter_preamble():
    text, encoding = bnetza.text_of(importers.open_source(LATIN1))
    assert encoding == "cp1252"
    assert "Ladesäulenregister" in text.readline()
    report = _import(LATIN1)
    sites = list(Offer.objects.filter(feed__key="bnetza").order_by("lat"))
    assert [s.details["address"]["street"] for s in sites] == [
        "A2 Rastanlage Rhynern Nord",
        "Südring 1",
    ]
    assert report.skipped == {"charging sites outside the area": 1}
    rhynern = sites[0].details
    assert rhynern["type"] == "fast"
    assert rhynern["chargePoints"] == [
        {"plugs": ["DC Kupplung Combo"], "standards": ["IEC_62196_T2_COMBO"], "powerKw": 300}
    ]
    assert sites[0].ref.startswith("h")  # no id in the older layout: a digest of the device
    assert _import(LATIN1).created == {"charging sites": 2}
    assert Offer.objects.filter(feed__key="bnetza").count() == 2  # the same refs again


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_every_encoding_reads_the_umlauts(encoding):
    text = "Titel;;\r\nStand: heute;;\r\n"
    text += "Betreiber;Breitengrad;Längengrad\r\nSüdwerk GmbH;51,68;7,82\r\n"
    _import(text.encode(encoding))
    assert Offer.objects.get(feed__key="bnetza").details["operator"] == "Südwerk GmbH"


def test_a_later_edition_removes_what_it_no_longer_lists():
    _import(UTF8)
    _import(UTF8, bbox=BBox(7.80, 51.67, 7.81, 51.69))
    assert list(_sites()) == ["100101"]


def test_a_file_without_the_header_line_fails_and_keeps_the_last_sites():
    _import(UTF8)
    report = _import(b"Titel;;\r\nkein Register;;\r\n" * 30)
    assert "no header line naming Breitengrad and L\u00e4ngengrad" in report.failure
    assert len(_sites()) == 4
    feed = Feed.objects.get(key="bnetza")
    assert feed.failures == 1 and "no header line" in feed.error


def test_a_csv_that_breaks_off_inside_a_quote_changes_nothing():
    _import(UTF8)
    broken = UTF8.read_bytes() + b'100109;"unclosed\r\n' + b"x" * 200_000
    report = _import(broken)
    assert report.failure
    assert len(_sites()) == 4


def test_the_command_line_imports_a_file(capsys):
    assert cli.main(["import", "bnetza", "--file", str(UTF8), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "bnetza: created 4 charging sites" in out
    assert "rejected line 15, Breitengrad" in err


def test_the_command_line_reads_a_url(site, capsys):
    site.routes["/Ladesaeulenregister.csv"] = Answer(LATIN1.read_bytes(), content_type="text/csv")
    url = site.url("/Ladesaeulenregister.csv")
    assert cli.main(["import", "bnetza", "--url", url, "--quiet"]) == 0
    assert Offer.objects.filter(feed__key="bnetza").count() == 2


def test_polling_reads_the_feeds_url_and_records_a_failure(site):
    from datetime import UTC, datetime

    feed = bnetza.default_feed()
    site.routes["/register.csv"] = UTF8.read_bytes()
    feed.url = site.url("/register.csv")
    feed.save()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    bnetza.poll(feed, now=now)
    assert len(_sites()) == 4
    feed.url = site.url("/gone.csv")
    bnetza.poll(feed, now=now)
    feed.refresh_from_db()
    assert feed.failures == 1 and "404" in feed.error
    assert len(_sites()) == 4


def test_plug_labels_map_onto_ocpi_standards():
    assert plugs.standard_of("AC Steckdose Typ 2") == "IEC_62196_T2"
    assert plugs.standard_of("DC Fahrzeugkupplung Typ Combo (CCS)") == "IEC_62196_T2_COMBO"
    assert plugs.standard_of("DC CHAdeMO") == "CHADEMO"
    assert plugs.standard_of("AC Schuko") == "DOMESTIC_F"
    assert plugs.standard_of("AC CEE 5 polig") == "IEC_60309_2_three_16"
    assert plugs.standard_of("Induktiv") is None
