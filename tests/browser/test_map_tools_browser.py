"""The dashboard map's tools in Chromium: "Meine Position" finds the nearest station and
says its values (the browser's position set by Playwright), and the search shows a station
or district by name, by keyboard."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from smartcity.environment import dashboard
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser
HERE = {"latitude": 51.7, "longitude": 7.95, "accuracy": 20}  # north of Uentrop


@pytest.fixture
def located(browser: Browser, live_server: LiveServer, transactional_db) -> Iterator[RecordedPage]:
    context = browser.new_context(
        viewport=DESKTOP, locale="de-DE", geolocation=HERE, permissions=["geolocation"]
    )
    recorded = RecordedPage(context.new_page(), live_server.url)
    yield recorded
    context.close()


def _metres(station: dashboard.Station) -> float:
    rad = math.pi / 180
    d_lat = (station.lat - HERE["latitude"]) * rad
    d_lon = (station.lon - HERE["longitude"]) * rad
    h = (
        math.sin(d_lat / 2) ** 2
        + math.cos(HERE["latitude"] * rad) * math.cos(station.lat * rad) * math.sin(d_lon / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_my_position_names_the_nearest_station_with_its_values(
    located: RecordedPage, stations, viewport
) -> None:
    located.set_viewport(viewport)
    located.open("/umwelt/")
    expect(located.page.locator("#map[data-ready=true]")).to_be_attached(timeout=15000)
    located.page.get_by_role("button", name="Meine Position").click()
    nearest = min(stations, key=_metres)
    status = located.page.locator("#map-tool-status")
    expect(status).to_contain_text(f"Nächste Messstelle: {nearest.name}, ", timeout=10000)
    expect(status).to_contain_text("entfernt")
    expect(located.page.locator("#map-tools")).to_have_attribute(
        "data-nearest", f"{nearest.thing}:{nearest.kind}"
    )
    expect(located.page.locator(".map-position")).to_have_count(1)
    expect(located.page.locator(".maplibregl-popup .popup__title")).to_have_text(nearest.name)
    assert axe_violations(located) == []
    width = located.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    assert located.foreign_requests() == []


def test_without_permission_the_page_says_so(page: RecordedPage, stations) -> None:
    page.open("/umwelt/")  # the page fixture grants no geolocation
    expect(page.page.locator("#map[data-ready=true]")).to_be_attached(timeout=15000)
    page.page.get_by_role("button", name="Meine Position").click()
    expect(page.page.locator("#map-tool-status")).to_contain_text(
        "Die Position konnte nicht bestimmt werden", timeout=10000
    )


def test_the_search_shows_a_station_or_a_district_by_keyboard(page: RecordedPage, stations) -> None:
    page.open("/umwelt/")
    expect(page.page.locator("#map[data-ready=true]")).to_be_attached(timeout=15000)
    wanted = stations[-1]
    field = page.page.get_by_label("Messstelle oder Stadtbezirk suchen")
    field.focus()
    page.page.keyboard.type(wanted.name.lower())
    page.page.keyboard.press("Enter")
    status = page.page.locator("#map-tool-status")
    expect(status).to_contain_text(f"{wanted.name} auf der Karte gezeigt.")
    expect(page.page.locator(".maplibregl-popup .popup__title")).to_have_text(wanted.name)
    field.fill("Heessen")
    field.press("Enter")
    expect(status).to_have_text("Heessen auf der Karte gezeigt.")
    centre = page.page.evaluate(
        "SmartCityMap.of(document.getElementById('map')).getCenter().toArray()"
    )
    assert centre == pytest.approx([7.85, 51.71], abs=1e-6)
    field.fill("Atlantis")
    field.press("Enter")
    expect(status).to_have_text("Keine Messstelle und kein Stadtbezirk heißt so.")
    options = page.page.locator("#map-places option")
    assert options.count() >= len({s.name for s in stations})


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_close_markers_are_one_cluster_that_zooms_in(
    page: RecordedPage, stations, viewport
) -> None:
    page.set_viewport(viewport)
    page.open("/umwelt/")
    expect(page.page.locator("#map[data-ready=true]")).to_be_attached(timeout=15000)
    clusters = page.page.locator(".map-cluster")
    assert clusters.count() >= 1
    counted = sum(int(text) for text in clusters.all_text_contents())
    alone = page.page.locator(".marker:visible").count()
    assert counted + alone == len(stations)  # every station once, alone or in a cluster
    assert page.page.locator(".marker.is-clustered").count() == counted
    first = clusters.first
    expect(first).to_have_attribute(
        "aria-label", f"{first.text_content()} Messstellen nah beieinander: heranzoomen"
    )
    zoom = page.page.evaluate("SmartCityMap.of(document.getElementById('map')).getZoom()")
    first.click()
    after = page.page.evaluate("SmartCityMap.of(document.getElementById('map')).getZoom()")
    assert after > zoom
    # the clusters follow the filters
    page.page.get_by_role("checkbox", name="Luft", exact=True).uncheck()
    page.page.get_by_label("Wasser").uncheck()
    page.page.get_by_label("Boden").uncheck()
    expect(page.page.locator(".map-cluster")).to_have_count(0)
    assert axe_violations(page) == []
