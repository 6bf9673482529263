"""A stop's printed departure sheet (mobility/sheet.py, /mobilitaet/haltestelle/ID/aushang/
and aushang.pdf): the PDF's departures, read back with pypdf, are the board's (board.py)
for the stop and the calendar day, on the demo feed and on the reference's sample feed;
a day without service says so; the PDF declares PDF/A-3b; bad ids are 404s, bad dates
400s with a message; the budget cuts a sheet off and says so."""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from smartcity.core import importers
from smartcity.mobility import board, live_board, nearby
from smartcity.mobility.demo import load_demo
from smartcity.mobility.demo.places import STATION_ID
from smartcity.mobility.models import Offer
from smartcity.mobility.sheet import kind_of
from tests.mobility import gtfs_feeds, page_city

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = re.compile(r"^(?P<line>.+?) Richtung (?P<headsign>.+)$")
META = re.compile(r"^(Steig/Gleis |\d+ Abfahrt)")
HOUR = re.compile(r"^(?P<hour>\d\d) (?P<minutes>\d\d(?:♿)?(?: \d\d(?:♿)?)*)$")


def _pdf(client, offer_id: int, day: date) -> PdfReader:
    answer = client.get(f"/mobilitaet/haltestelle/{offer_id}/aushang.pdf?datum={day}")
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(answer.content))


def _text(document: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in document.pages)


def _printed(text: str) -> Counter[tuple[str, str, str]]:
    """(line as printed, headsign, HH:MM) of every minute on the sheet."""
    found: Counter[tuple[str, str, str]] = Counter()
    group, titled = None, False  # titled: a long headsign may go on in the next line
    for line in (raw.strip() for raw in text.splitlines()):
        title, hour = TITLE.match(line), HOUR.match(line)
        if title:
            group, titled = (title["line"], title["headsign"]), True
        elif META.match(line):
            titled = False
        elif titled and group:
            group = (group[0], f"{group[1]} {line}")
        elif hour and group:
            for minute in hour["minutes"].replace("♿", "").split():
                found[(*group, f"{hour['hour']}:{minute}")] += 1
    return found


def _planned(offer: Offer, day: date) -> Counter[tuple[str, str, str]]:
    """The board's departures of the calendar day, as the sheet should print them."""
    row = nearby.rows([offer.pk])[offer.pk]
    _version, where = live_board.stop_place(row)
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=where.zone)
    found = board.departures(where, midnight.astimezone(UTC), limit=100_000, horizon=board.DAY)
    return Counter(
        (f"{kind_of(d.route_type)} {d.line}".strip(), d.headsign, d.scheduled.strftime("%H:%M"))
        for d in found
    )


def _metadata(document: PdfReader) -> bytes:
    return document.trailer["/Root"]["/Metadata"].get_object().get_data()  # type: ignore[no-any-return]


def test_the_demo_hauptbahnhof_sheet_prints_the_boards_departures(client):
    load_demo()
    station = Offer.objects.get(feed__key="demo-gtfs", ref=STATION_ID)
    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    expected = _planned(station, monday)
    assert sum(expected.values()) > 300 and len({k[:2] for k in expected}) > 8
    started = time.perf_counter()
    document = _pdf(client, station.pk, monday)
    seconds = time.perf_counter() - started
    text = _text(document)
    assert _printed(text) == expected
    assert b'pdfaid:part="3"' in _metadata(document)
    assert b'pdfaid:conformance="B"' in _metadata(document)
    assert document.metadata is not None and document.metadata.title.startswith(
        "Aushangfahrplan Hamm (Westf) Hbf, Montag,"
    )
    flat = " ".join(text.split())
    assert "Demo-Daten:" in flat
    assert f"Abfahrten am Montag, {monday.day}." in flat
    assert "Linien: Bus 1, Bus 2" in flat and "Zug RE 6" in flat
    joined = "".join(text.split())  # a long address may break across lines
    assert f"http://testserver/mobilitaet/?haltestelle={station.pk}#abfahrten" in joined
    assert (
        f"http://testserver/mobilitaet/haltestelle/{station.pk}/aushang/?datum={monday}" in joined
    )
    assert "Fahrplan eingelesen am" in flat
    assert "♿" in text  # most demo trips are wheelchair accessible, a few are not
    assert len(document.pages) >= 2
    print(f"demo Hbf sheet: {sum(expected.values())} departures, {len(document.pages)} pages, "
          f"{seconds:.2f} s")  # fmt: skip


def _sample(client) -> Offer:
    report = importers.run(importers.get("gtfs"), str(gtfs_feeds.SAMPLE), bbox=gtfs_feeds.NEVADA)
    assert report.failure == ""
    return Offer.objects.get(ref="STAGECOACH")


@pytest.mark.parametrize("day", [date(2008, 6, 2), date(2008, 6, 7)], ids=["monday", "saturday"])
def test_the_sample_feeds_sheet_prints_the_boards_departures(client, day):
    stop = _sample(client)
    expected = _planned(stop, day)
    assert expected
    text = _text(_pdf(client, stop.pk, day))
    assert _printed(text) == expected
    assert "Demo-Daten" not in text


def test_a_day_without_service_says_so(client):
    stop = _sample(client)
    text = " ".join(_text(_pdf(client, stop.pk, date(2012, 3, 5))).split())
    assert "An diesem Tag fährt hier laut Fahrplan nichts ab." in text
    assert "Der Fahrplan gilt vom 1. Januar 2007 bis zum 31. Dezember 2010." in text
    html = client.get(f"/mobilitaet/haltestelle/{stop.pk}/aushang/?datum=2012-03-05")
    assert 'data-role="no-service"' in html.content.decode()


def test_the_page_groups_by_line_and_direction_with_hours_in_rows(client):
    hbf = page_city.build()
    answer = client.get(f"/mobilitaet/haltestelle/{hbf.pk}/aushang/?datum=2026-03-02")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'Bus 1</span> <span class="sheet-group__dir">Richtung Heessen' in html
    assert 'Zug RE 6</span> <span class="sheet-group__dir">Richtung Dortmund' in html
    # every 10 (30) minutes of the day, and from 0:00 to 3:50 the day before's trips
    # (its 24:00:00 to 27:50:00) as well
    assert "Steig/Gleis 1 · 168 Abfahrten" in html
    assert "Steig/Gleis 2 · 56 Abfahrten" in html
    assert html.count('<th scope="row">') == 48  # 24 hours of each line
    assert html.count('class="minute"') == 224
    assert "Montag, 2. März 2026" in html
    assert f'href="/mobilitaet/haltestelle/{hbf.pk}/aushang.pdf?datum=2026-03-02"' in html
    assert "<script>" not in html and " style=" not in html


def test_the_stops_board_links_the_sheet(client):
    hbf = page_city.build()
    html = client.get(f"/mobilitaet/?haltestelle={hbf.pk}").content.decode()
    assert f'href="/mobilitaet/haltestelle/{hbf.pk}/aushang/"' in html
    assert f'href="/mobilitaet/haltestelle/{hbf.pk}/aushang.pdf"' in html


def test_a_busy_day_is_cut_off_at_the_budget_and_says_so(client, monkeypatch):
    hbf = page_city.build()
    monkeypatch.setenv("SMARTCITY_MOBILITY_SHEET_MAX_DEPARTURES", "30")
    html = client.get(f"/mobilitaet/haltestelle/{hbf.pk}/aushang/?datum=2026-03-02")
    text = html.content.decode()
    assert text.count('class="minute"') == 30
    assert "Dieser Aushang zeigt nur die ersten 30 Abfahrten des Tages" in text


@pytest.mark.parametrize("suffix", ["aushang/", "aushang.pdf"])
def test_what_is_no_stop_of_a_timetable_is_a_404(client, suffix):
    page_city.build()
    bike = Offer.objects.get(mode="bike")
    for offer_id in (bike.pk, 999_999, 2**70):
        answer = client.get(f"/mobilitaet/haltestelle/{offer_id}/{suffix}")
        assert answer.status_code == 404, offer_id


@pytest.mark.parametrize(
    ("datum", "message"),
    [
        ("2026-13-01", "Bitte das Datum als JJJJ-MM-TT angeben"),
        ("morgen", "Bitte das Datum als JJJJ-MM-TT angeben"),
        ("20260302", "Bitte das Datum als JJJJ-MM-TT angeben"),
        ("0001-01-01", "Bitte ein Datum zwischen dem 02.01.1970 und dem 31.12.9998 angeben."),
    ],
)
@pytest.mark.parametrize("suffix", ["aushang/", "aushang.pdf"])
def test_a_bad_date_is_a_400_with_a_message(client, datum, message, suffix):
    hbf = page_city.build()
    answer = client.get(f"/mobilitaet/haltestelle/{hbf.pk}/{suffix}?datum={datum}")
    assert answer.status_code == 400
    assert message in answer.content.decode()


def test_the_api_checks_the_date_the_same_way(client):
    hbf = page_city.build()
    for datum in ("20260302", "0001-01-01"):
        answer = client.get(f"/api/v1/mobility/stops/{hbf.pk}/departures?date={datum}")
        assert answer.status_code == 400
        assert answer.json()["where"] == "date"
