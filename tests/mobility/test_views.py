"""The mobility pages through Django's test client: the start page with the nearest offers
of the city centre in words (without JavaScript), a stop's board, the hub page grouped by
mode with its departures, and 4xx for what does not exist; the words of each mode's
status (mobility/page.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from smartcity.mobility import page
from tests.mobility import page_city

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hbf():
    return page_city.build()


def _html(client: Client, path: str, status: int = 200) -> str:
    answer = client.get(path)
    assert answer.status_code == status, path
    return answer.content.decode()


def test_the_page_lists_the_nearest_offers_of_the_centre_in_words(client, hbf) -> None:
    html = _html(client, "/mobilitaet/")
    assert '<h1 id="page-title">Mobilität in Hamm</h1>' in html
    for text in (
        "5 Räder, 3 freie Plätze",
        "2 von 4 Ladepunkten frei (CCS 150 kW)",
        "123 freie Plätze von 400",
        "Linien 1, RE 6",
        "verfügbar, Reichweite ca. 12 km",
        "Stand: veraltet (vor 10 Minuten)",
        "Stand: vor 2 Minuten",
        "ca. 14 Min. zu Fuß",
    ):
        assert text in html, text
    assert html.count('<li class="offer') == 8
    for label in ("Bus &amp; Bahn", "Leihräder", "E-Scooter", "Carsharing", "Laden", "Parken",
                  "Ampeln"):  # fmt: skip
        assert f"{label}</label>" in html, label
    assert f'href="/mobilitaet/?haltestelle={hbf.pk}#abfahrten"' in html
    assert 'href="/mobilitaet/hub/hauptbahnhof/"' in html
    assert "<script>" not in html and " style=" not in html  # the CSP allows neither


def test_a_chosen_stop_shows_its_board_without_javascript(client, hbf) -> None:
    html = _html(client, f"/mobilitaet/?haltestelle={hbf.pk}")
    assert "Abfahrten: Hamm Hauptbahnhof" in html
    assert "+3 Min., erwartet" in html and "fällt aus" in html
    assert "Zusatzfahrt" in html  # the extra bus realtime added
    assert "Aufzug zu Gleis 1 außer Betrieb" in html
    assert "Mit Echtzeitdaten." in html
    assert html.count("<tr") == 11  # the header and ten departures


@pytest.mark.parametrize("query", ["?haltestelle=999999", "?haltestelle=x", "?haltestelle=-1"])
def test_an_unknown_stop_is_a_404(client, hbf, query) -> None:
    _html(client, "/mobilitaet/" + query, status=404)


def test_what_is_no_stop_has_no_board(client, hbf) -> None:
    from smartcity.mobility.models import Offer

    bikes = Offer.objects.get(ref="station:1")
    _html(client, f"/mobilitaet/?haltestelle={bikes.pk}", status=404)


def test_the_hub_page_groups_its_offers_by_mode_with_departures(client, hbf) -> None:
    html = _html(client, "/mobilitaet/hub/hauptbahnhof/")
    assert '<h1 id="page-title">Mobilstation Hauptbahnhof</h1>' in html
    order = [
        html.index(f"{label} <span")
        for label in (
            "Bus &amp; Bahn",
            "Leihräder",
            "E-Scooter",
            "Carsharing",
            "Laden",
            "Parken",
            "Ampeln",
        )
    ]
    assert order == sorted(order)
    assert "Alles im Umkreis von 250 m." in html
    assert "+3 Min., erwartet" in html and "fällt aus" in html
    assert "Als A4-Aushang drucken" in html
    assert "css/mobilitaet.css" in html  # its print styles make the A4 sheet


@pytest.mark.parametrize("key", ["gibt-es-nicht", "Hbf%20", "../admin"])
def test_an_unknown_hub_is_a_404(client, hbf, key) -> None:
    assert client.get(f"/mobilitaet/hub/{key}/").status_code == 404


def test_the_page_works_without_any_offer(client) -> None:
    html = _html(client, "/mobilitaet/")
    assert "Keine Angebote in der Nähe." in html


def test_the_home_tile_links_the_page(client) -> None:
    assert '<a href="/mobilitaet/">Mobilität</a>' in _html(client, "/")


def _offer(mode: str, kind: str, status=None, details=None) -> dict:
    return {"mode": mode, "kind": kind, "status": status or {}, "details": details or {}}


@pytest.mark.parametrize(
    ("offer", "text"),
    [
        (
            _offer("bike", "station", {"num_vehicles_available": 1, "num_docks_available": 1}),
            "1 Rad, 1 freier Platz",
        ),
        (
            _offer("bike", "station", {"num_vehicles_available": 0, "is_renting": False}),
            "derzeit keine Ausleihe",
        ),
        (_offer("bike", "station"), "Verfügbarkeit unbekannt"),
        (_offer("car", "vehicle"), "verfügbar"),
        (
            _offer(
                "charging",
                "site",
                details={
                    "chargePointCount": 2,
                    "byPlug": [{"standard": "IEC_62196_T2", "powerKw": 22.0}],
                },
            ),
            "2 Ladepunkte (Typ 2 22 kW)",
        ),
        (_offer("parking", "site", {"free": 1}), "1 freier Platz"),
        (_offer("parking", "site", details={"capacity": 40}), "40 Stellplätze"),
        (_offer("transit", "vehicle", {"route": "R1"}), "Fahrzeug der Linie R1"),
        (_offer("signal", "point"), "Ampel"),
    ],
)
def test_each_modes_status_in_words(offer, text) -> None:
    assert page.status_text(offer) == text


@pytest.mark.parametrize(
    ("freshness", "text"),
    [
        ({"ageSeconds": 5, "stale": False}, "gerade eben"),
        ({"ageSeconds": 61, "stale": False}, "vor 1 Minute"),
        ({"ageSeconds": 7200, "stale": True}, "veraltet (vor 2 Stunden)"),
        ({"ageSeconds": 3 * 86400, "stale": True}, "veraltet (vor 3 Tagen)"),
        ({"ageSeconds": None, "stale": True}, "veraltet"),
    ],
)
def test_the_age_in_words(freshness, text) -> None:
    assert page.age_text(freshness) == text


def test_the_maps_fallback_texts_speak_of_the_list(client, hbf) -> None:
    data = client.get("/mobilitaet/").context["page_data"]
    assert "Alle Angebote stehen auch in der Liste" in data["map"]["texts"]["failed"]
    assert "Alle Angebote stehen in der Liste" in data["map"]["texts"]["noMap"]
