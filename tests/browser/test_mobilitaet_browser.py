"""The mobility page in Chromium: the map draws (a canvas) with a marker per offer from
/api/v1/mobility/nearby, the layer checkboxes hide and show markers and list entries, a
popup says the live status in words and its age, a stop's board shows its departures
with realtime, "In meiner Nähe" lists the nearest offers of the browser's position, the
list is usable by keyboard, and axe-core finds no WCAG 2.1 AA violation, at desktop and
phone size, with nothing loaded from another host. Screenshots go to
$SMARTCITY_SCREENSHOTS (default: the test's temporary folder)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from smartcity.mobility.models import Offer
from tests.browser.conftest import RecordedPage
from tests.browser.test_portal_browser import AXE_TAGS_AND_BEST_PRACTICE, axe_violations
from tests.browser.test_security_browser import Watched
from tests.mobility import page_city

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NEAR_HBF = {"latitude": 51.6786, "longitude": 7.8093, "accuracy": 20}


@pytest.fixture
def city(transactional_db) -> Offer:
    return page_city.build()


@pytest.fixture
def located(browser: Browser, live_server: LiveServer, transactional_db) -> Iterator[RecordedPage]:
    context = browser.new_context(
        viewport=DESKTOP, locale="de-DE", geolocation=NEAR_HBF, permissions=["geolocation"]
    )
    recorded = RecordedPage(context.new_page(), live_server.url)
    yield recorded
    context.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SMARTCITY_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _ready(page: RecordedPage) -> None:
    expect(page.page.locator("#map[data-ready=true]")).to_be_attached(timeout=15000)
    expect(page.page.locator("#map canvas")).to_have_count(1)


def _zoom_to_hub(page: RecordedPage) -> None:
    page.page.evaluate(
        "([lon, lat]) => SmartCityMap.of(document.getElementById('map'))"
        ".jumpTo({center: [lon, lat], zoom: 16})",
        [page_city.HBF[1], page_city.HBF[0]],
    )
    expect(page.page.locator('.marker-mode[data-layer="parking"]')).to_have_count(1)


def test_the_map_shows_a_marker_per_offer_and_layers_switch_them(page: RecordedPage, city) -> None:
    page.open("/mobilitaet/")
    _ready(page)
    markers = page.page.locator(".marker-mode")
    expect(markers).to_have_count(Offer.objects.count())
    parking = page.page.locator('.marker-mode[data-layer="parking"]')
    expect(parking).to_have_attribute(
        "aria-label", "Parken: Parkhaus Hauptbahnhof, 123 freie Plätze von 400"
    )
    page.page.get_by_role("checkbox", name="Parken").uncheck()
    expect(page.page.locator(".marker-mode:visible")).to_have_count(Offer.objects.count() - 1)
    expect(page.page.locator('#near-list li[data-layer="parking"]')).to_be_hidden()
    page.page.get_by_role("checkbox", name="Parken").check()
    expect(parking).to_be_visible()
    expect(page.page.locator('#near-list li[data-layer="parking"]')).to_be_visible()
    _zoom_to_hub(page)
    page.page.locator('.marker-mode[data-layer="charging"]').click()
    popup = page.page.locator(".maplibregl-popup")
    expect(popup).to_contain_text("Ladepark Bahnhofsplatz")
    expect(popup).to_contain_text("2 von 4 Ladepunkten frei (CCS 150 kW)")
    expect(popup).to_contain_text("Anbieter: Stadtwerke Hamm")
    expect(popup).to_contain_text("Stand: vor 2 Minuten")
    page.page.keyboard.press("Escape")
    page.page.locator('.marker-mode[data-layer="scooter"]').click()
    expect(page.page.locator(".maplibregl-popup")).to_contain_text("veraltet")
    assert page.foreign_requests() == []


def test_moving_the_map_asks_nearby_again(page: RecordedPage, city) -> None:
    page.open("/mobilitaet/")
    _ready(page)
    with page.page.expect_response(lambda r: "/api/v1/mobility/nearby?" in r.url) as answer:
        page.page.evaluate(
            "SmartCityMap.of(document.getElementById('map')).jumpTo({center: [7.95, 51.67]})"
        )
    assert "lon=7.950000" in answer.value.url
    expect(page.page.locator(".marker-mode")).to_have_count(0)  # nothing in Uentrop


def test_a_stops_board_shows_its_departures_with_realtime(page: RecordedPage, city) -> None:
    page.page.clock.install()  # time runs, and can be moved on
    page.open("/mobilitaet/")
    _ready(page)
    _zoom_to_hub(page)
    page.page.locator(f'.marker-mode[data-id="{city.pk}"]').click()
    page.page.locator(".maplibregl-popup").get_by_role("button", name="Abfahrten zeigen").click()
    board = page.page.locator("#board")
    expect(page.page.locator("#board-title")).to_have_text("Abfahrten: Hamm Hauptbahnhof")
    expect(board.locator("tbody tr")).to_have_count(10)
    expect(board).to_contain_text("+3 Min., erwartet")
    expect(board).to_contain_text("fällt aus")
    expect(board.locator("tr", has_text="Sonderfahrt Heessen")).to_contain_text("Zusatzfahrt")
    expect(board).to_contain_text("Aufzug zu Gleis 1 außer Betrieb")
    expect(board).to_contain_text("Mit Echtzeitdaten")
    expect(board).to_have_attribute("data-realtime", "true")
    expect(board).to_have_attribute("data-loads", "1")
    page.page.clock.fast_forward(31_000)  # the board asks again every 30 seconds
    expect(board).to_have_attribute("data-loads", "2")
    page.page.get_by_role("button", name="Abfahrten schließen").click()
    expect(page.page.locator("#abfahrten")).to_be_hidden()
    asked = len([r for r in page.requests if "/departures" in r])
    page.page.clock.fast_forward(61_000)  # a closed board asks no more
    page.page.wait_for_timeout(300)
    assert len([r for r in page.requests if "/departures" in r]) == asked


def test_the_list_works_by_keyboard(page: RecordedPage, city) -> None:
    page.open("/mobilitaet/")
    _ready(page)
    link = page.page.locator(f'#near-list a[data-stop="{city.pk}"]')
    for _ in range(60):
        page.page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the stop's link in the list is not reached by Tab")
    page.page.keyboard.press("Enter")
    expect(page.page.locator("#board tbody tr").first).to_be_visible()
    expect(page.page.locator("#board-title")).to_be_focused()
    page.page.keyboard.press("Shift+Tab")
    show = page.page.locator("#near-list button[data-show]").first
    show.focus()
    page.page.keyboard.press("Enter")
    expect(page.page.locator(".maplibregl-popup")).to_have_count(1)


def test_in_meiner_naehe_lists_the_offers_nearest_the_position(located: RecordedPage, city) -> None:
    located.open("/mobilitaet/")
    _ready(located)
    located.page.get_by_role("button", name="In meiner Nähe").click()
    expect(located.page.locator("#near-list")).to_have_attribute("data-origin", "position")
    first = located.page.locator("#near-list li").first
    expect(first).to_contain_text("Hauptbahnhof Süd")  # the bike station, 30 m away
    expect(first).to_contain_text("5 Räder, 3 freie Plätze")
    expect(first).to_contain_text("ca. 1 Min. zu Fuß")
    expect(located.page.locator(".map-position")).to_have_count(1)


def test_without_javascript_the_list_and_a_board_are_served(
    browser: Browser, live_server: LiveServer, city
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", java_script_enabled=False)
    page = RecordedPage(context.new_page(), live_server.url)
    page.open("/mobilitaet/")
    expect(page.page.locator("#near-list li")).to_have_count(Offer.objects.count())
    page.page.locator(f'#near-list a[data-stop="{city.pk}"]').click()
    expect(page.page.locator("#board tbody tr")).to_have_count(10)
    page.open("/mobilitaet/hub/hauptbahnhof/")
    expect(page.page.get_by_role("heading", level=2, name="Laden (1)")).to_be_visible()
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violations_and_screenshots(page: RecordedPage, city, viewport, tmp_path) -> None:
    page.set_viewport(viewport)
    shots = _shots(tmp_path)
    size = f"{viewport['width']}x{viewport['height']}"
    page.open("/mobilitaet/")
    _ready(page)
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "/mobilitaet/"
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"/mobilitaet/ scrolls sideways at {viewport}"
    page.page.screenshot(path=str(shots / f"mobilitaet-{size}.png"))
    _zoom_to_hub(page)
    page.page.locator(f'.marker-mode[data-id="{city.pk}"]').click()
    page.page.locator(".maplibregl-popup").get_by_role("button", name="Abfahrten zeigen").click()
    expect(page.page.locator("#board tbody tr").first).to_be_visible()
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "/mobilitaet/ with a board"
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the board scrolls sideways at {viewport}"
    page.page.screenshot(path=str(shots / f"mobilitaet-board-{size}.png"), full_page=True)
    page.open("/mobilitaet/hub/hauptbahnhof/")
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "/mobilitaet/hub/hauptbahnhof/"
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the hub page scrolls sideways at {viewport}"
    page.page.screenshot(path=str(shots / f"mobilitaet-hub-{size}.png"), full_page=True)
    if viewport == DESKTOP:
        page.page.emulate_media(media="print")
        page.page.pdf(path=str(shots / "mobilitaet-hub-a4.pdf"), format="A4")
    assert page.foreign_requests() == []


def test_the_pages_run_under_the_policy(page: RecordedPage, city) -> None:
    watched = Watched(page)
    response = watched.open("/mobilitaet/")
    assert "unsafe-inline" not in response.all_headers()["content-security-policy"]
    _ready(page)
    page.page.locator(
        f'#near-list button[data-stop="{city.pk}"], #near-list a[data-stop="{city.pk}"]'
    ).first.click()
    expect(page.page.locator("#board tbody tr").first).to_be_visible()
    watched.open("/mobilitaet/hub/hauptbahnhof/")
    expect(page.page.get_by_role("button", name="Als A4-Aushang drucken")).to_be_visible()
    assert watched.problems() == {"violations": [], "console": []}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_departure_sheet_is_axe_clean_and_linked_from_the_board(
    page: RecordedPage, city, viewport, tmp_path
) -> None:
    page.set_viewport(viewport)
    page.open(f"/mobilitaet/?haltestelle={city.pk}")
    page.page.get_by_role("link", name="Aushangfahrplan für heute").click()
    expect(page.page.get_by_role("heading", level=1)).to_have_text("Hamm Hauptbahnhof")
    expect(page.page.locator(".sheet-group")).to_have_count(2)
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "the departure sheet"
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the sheet scrolls sideways at {viewport}"
    size = f"{viewport['width']}x{viewport['height']}"
    page.page.screenshot(path=str(_shots(tmp_path) / f"aushang-{size}.png"), full_page=True)
    page.page.get_by_label("Anderer Tag").fill("2026-03-07")
    page.page.get_by_role("button", name="Zeigen").click()
    expect(page.page.locator(".sheet__day")).to_contain_text("Samstag, 7. März 2026")
    link = page.page.get_by_role("link", name="Als PDF herunterladen (A4)")
    assert link.get_attribute("href").endswith("aushang.pdf?datum=2026-03-07")
    assert page.foreign_requests() == []


def test_a_searched_stop_shows_what_is_near_it(page: RecordedPage, city) -> None:
    page.open("/mobilitaet/")
    _ready(page)
    page.page.get_by_role("searchbox", name="Name der Haltestelle oder Mobilstation").fill(
        "Hauptbahnhof"
    )
    page.page.get_by_role("button", name="Suchen").click()
    results = page.page.locator("#suche-ergebnis")
    expect(results).to_contain_text("2 Treffer für „Hauptbahnhof“")
    results.get_by_role("link", name="Hamm Hauptbahnhof").click()
    expect(page.page.locator("#near-list")).to_have_attribute("data-origin", "search")
    expect(page.page.locator("#near-status")).to_have_text(
        "Die nächsten Angebote bei „Hamm Hauptbahnhof“."
    )
    layers = page.page.locator("#near-list li[data-layer]").evaluate_all(
        "items => [...new Set(items.map(i => i.dataset.layer))]"
    )
    assert {"transit", "bike", "scooter", "car", "charging", "parking"} <= set(layers)
    _ready(page)
    expect(page.page.locator(".map-position")).to_have_count(1)
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "/mobilitaet/ after a search"
    page.open("/mobilitaet/?suche=Marktplatz+1")
    expect(page.page.locator('[data-role="no-match"]')).to_contain_text("kein Adressverzeichnis")
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "/mobilitaet/ with no match"
    assert page.foreign_requests() == []


@pytest.fixture
def demo_city(transactional_db) -> None:
    from smartcity.mobility.demo import load_demo

    load_demo()


def _zoom(page: RecordedPage) -> float:
    return page.page.evaluate("SmartCityMap.of(document.getElementById('map')).getZoom()")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_demo_offers_cluster_at_a_low_zoom_and_split_when_zoomed_in(
    page: RecordedPage, demo_city, viewport
) -> None:
    page.set_viewport(viewport)
    page.open("/mobilitaet/")
    _ready(page)
    with page.page.expect_response(lambda r: "/api/v1/mobility/nearby?" in r.url):
        page.page.evaluate(
            "SmartCityMap.of(document.getElementById('map'))"
            ".jumpTo({center: [7.8075, 51.6785], zoom: 12})"
        )
    clusters = page.page.locator(".map-cluster")
    expect(clusters.first).to_be_visible()
    shown = int(page.page.locator("#map").get_attribute("data-markers"))
    counted = sum(int(text) for text in clusters.all_text_contents())
    alone = page.page.locator(".marker-mode:visible").count()
    assert counted + alone == shown  # every offer once, alone or in a cluster
    assert counted > alone  # at this zoom most of the Hbf's offers are in clusters
    assert page.page.locator(".marker-mode.is-clustered").count() == counted
    biggest = max(clusters.all(), key=lambda c: int(c.text_content()))
    n = biggest.text_content()
    expect(biggest).to_have_attribute("aria-label", f"{n} Angebote nah beieinander: heranzoomen")
    assert axe_violations(page, AXE_TAGS_AND_BEST_PRACTICE) == [], "/mobilitaet/ with clusters"
    before = _zoom(page)
    biggest.focus()
    page.page.keyboard.press("Enter")  # a cluster opens by keyboard too
    assert _zoom(page) > before
    focused = page.page.evaluate(
        "document.activeElement.classList.contains('marker-mode')"
        " || document.activeElement.classList.contains('map-cluster')"
    )
    assert focused, "the focus stays on the map: on a marker or a smaller cluster"
    # close up, nothing is clustered: every offer is its own marker
    page.page.evaluate(
        "SmartCityMap.of(document.getElementById('map'))"
        ".jumpTo({center: [7.8075, 51.6785], zoom: 16})"
    )
    expect(clusters).to_have_count(0)
    expect(page.page.locator(".marker-mode.is-clustered")).to_have_count(0)
    # the layers take part: with every layer off there is nothing to cluster
    page.page.evaluate("SmartCityMap.of(document.getElementById('map')).jumpTo({zoom: 12})")
    expect(clusters.first).to_be_visible()
    for box in page.page.locator('input[name="layer"]').all():
        box.uncheck()
    expect(clusters).to_have_count(0)
