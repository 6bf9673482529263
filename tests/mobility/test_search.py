"""Finding a stop or hub by name (mobility/search.py): case, accents and abbreviations
fold away; the page's plain GET form lists the matches as links and a chosen match puts
the offers around it into the list; the API answers the same within its budget; bad input
is a 4xx with a message; an address finds nothing and the page says why."""

from __future__ import annotations

import time

import pytest

from smartcity.mobility import search
from smartcity.mobility.demo import load_demo
from smartcity.mobility.models import Hub, Offer
from tests.mobility import page_city

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hamm (Westf) Hbf", "hamm westfalen hauptbahnhof"),
        ("Bockum-Hövel", "bockum hovel"),
        ("Bockum-Hoevel", "bockum hovel"),
        ("BAHNHOFSTRASSE", "bahnhofstrasse"),
        ("Bahnhofstraße", "bahnhofstrasse"),
        ("Bahnhofstr.", "bahnhofstrasse"),
        ("Café Münzplatz", "cafe munzplatz"),
    ],
)
def test_names_fold_case_accents_and_abbreviations(text, folded):
    assert search.fold(text) == folded


def test_hbf_and_hauptbahnhof_find_each_other():
    hbf = page_city.build()  # "Hamm Hauptbahnhof" and the hub "Mobilstation Hauptbahnhof"
    for query in ("hbf", "Hauptbahnhof", "HAUPTBAHNHOF", "haupt"):
        found = search.find(query, 10)
        assert [m.kind for m in found] == ["stop", "hub"], query
        assert found[0].offer_id == hbf.pk and found[1].key == "hauptbahnhof"
    assert [m.offer_id for m in search.find("hamm hbf", 10)] == [hbf.pk]  # every word
    assert search.find("Willy Brandt", 10)[0].name == "Willy-Brandt-Platz"
    assert search.find("Hauptbahnhof Dortmund", 10) == []


def test_the_demo_finds_its_station_by_either_name():
    load_demo()
    names = [m.name for m in search.find("Hauptbahnhof", 10)]
    assert names[:1] == ["Mobilstation Hauptbahnhof"] or "Hamm (Westf) Hbf" in names
    assert "Hamm (Westf) Hbf" in [m.name for m in search.find("hbf", 10)]
    heessen = search.find("heessen", 20)
    assert heessen and all("heessen" in search.fold(m.name) for m in heessen)
    started = time.perf_counter()
    for _ in range(20):
        search.find("kirche", 20)
    print(f"search over {Offer.objects.filter(mode='transit').count()} stop offers: "
          f"{(time.perf_counter() - started) / 20 * 1000:.1f} ms")  # fmt: skip


def test_the_best_match_comes_first_and_the_limit_holds():
    page_city.build()
    Hub.objects.create(key="wbp", name="Willy", lat=51.68, lon=7.81, radius=100)
    assert [m.name for m in search.find("willy", 10)] == ["Willy", "Willy-Brandt-Platz"]
    assert len(search.find("ha", 1)) == 1


@pytest.mark.parametrize("query", ["", "x", "  --  ", "ä", "a" * 101])
def test_a_query_without_two_letters_or_too_long_is_refused(query):
    with pytest.raises(search.SearchError):
        search.check(query)


def test_the_page_lists_matches_as_links_and_a_chosen_one_shows_what_is_near_it(client):
    hbf = page_city.build()
    html = client.get("/mobilitaet/?suche=hbf").content.decode()
    assert 'role="search"' in html and 'name="suche" value="hbf"' in html
    assert "2 Treffer für „hbf“" in html
    link = f'href="/mobilitaet/?suche=hbf&amp;nahe=haltestelle%3A{hbf.pk}#near-title"'
    assert link in html
    assert 'nahe=mobilstation%3Ahauptbahnhof#near-title"' in html
    near = client.get(f"/mobilitaet/?suche=hbf&nahe=haltestelle:{hbf.pk}").content.decode()
    assert "Die nächsten Angebote bei „Hamm Hauptbahnhof“." in near
    assert 'data-origin="search"' in near
    assert near.index("Hamm Hauptbahnhof</strong>") < near.index("Hauptbahnhof Süd</strong>")
    hub = client.get("/mobilitaet/?nahe=mobilstation:hauptbahnhof").content.decode()
    assert "Die nächsten Angebote bei „Mobilstation Hauptbahnhof“." in hub


def test_an_address_finds_nothing_and_the_page_says_why(client):
    page_city.build()
    answer = client.get("/mobilitaet/?suche=Marktplatz+1")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Keine Haltestelle und keine Mobilstation heißt „Marktplatz 1“." in html
    assert "Es ist kein Adressverzeichnis angebunden." in html


@pytest.mark.parametrize(
    ("query", "status"),
    [("?suche=x", 400), ("?nahe=haltestelle:999999", 404), ("?nahe=mobilstation:nirgends", 404),
     ("?nahe=irgendwo", 400), ("?nahe=haltestelle:" + "9" * 40, 400)],
)  # fmt: skip
def test_bad_searches_on_the_page_are_4xx_with_a_message(client, query, status):
    page_city.build()
    answer = client.get("/mobilitaet/" + query)
    assert answer.status_code == status, query
    if status == 400:
        assert 'class="error" id="suche-fehler"' in answer.content.decode()


def test_a_bike_station_is_no_place_to_search_from(client):
    page_city.build()
    bike = Offer.objects.get(mode="bike")
    assert client.get(f"/mobilitaet/?nahe=haltestelle:{bike.pk}").status_code == 404


def test_the_api_answers_the_same_within_its_budget(client, monkeypatch):
    hbf = page_city.build()
    body = client.get("/api/v1/mobility/search?q=Hauptbahnhof").json()
    assert [(m["type"], m["id"], m["key"]) for m in body["matches"]] == [
        ("stop", hbf.pk, None), ("hub", None, "hauptbahnhof")]  # fmt: skip
    first = body["matches"][0]
    assert first["lines"] == ["1", "RE 6"] and first["isDemo"] is False
    assert first["near"] == f"/mobilitaet/?nahe=haltestelle:{hbf.pk}"
    assert len(client.get("/api/v1/mobility/search?q=ha&limit=1").json()["matches"]) == 1
    monkeypatch.setenv("SMARTCITY_MOBILITY_SEARCH_MAX_RESULTS", "5")
    for query, where in (("q=ha&limit=6", "limit"), ("q=ha&limit=0", "limit"), ("q=x", "q"),
                         (f"q={'a' * 101}", "q")):  # fmt: skip
        answer = client.get(f"/api/v1/mobility/search?{query}")
        assert answer.status_code == 400 and answer.json()["where"] == where, query
    assert client.get("/api/v1/mobility/search").status_code in (400, 422)
