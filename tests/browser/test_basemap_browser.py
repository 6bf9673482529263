"""The dashboard's base map in Chromium: the platform's own PMTiles archive (tiles read in
byte ranges from the platform, nothing from another host, the test lake on the map), and a
base map that cannot be loaded (the districts, a notice, markers and table still work),
at desktop and phone width without axe-core violations.

With SMARTCITY_TEST_SCREENSHOTS=<folder> the tests also save the page as PNG files there.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from playwright.sync_api import expect

from smartcity.core import city, security
from tests import basemap_archive
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser
TILES = "/karte/grundkarte.pmtiles"
MAP = "SmartCityMap.of(document.getElementById('map'))"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    path = basemap_archive.write(tmp_path / "hamm.pmtiles")
    monkeypatch.setenv("SMARTCITY_BASEMAP_PMTILES", str(path))
    return path


@pytest.fixture
def city_with_an_outline(tmp_path: Path, monkeypatch):
    """Hamm's districts, Mitte with an outline (a rough square around the centre)."""
    mitte = {
        "type": "Polygon",
        "coordinates": [
            [[7.78, 51.66], [7.86, 51.66], [7.86, 51.70], [7.78, 51.70], [7.78, 51.66]]
        ],
    }
    districts = [{"name": d.name, "label": list(d.label or ())} for d in city.HAMM.districts]
    districts[0] = {"name": "Mitte", "outline": mitte}
    path = tmp_path / "city.json"
    path.write_text(
        json.dumps({"name": "Hamm", "extent": [7.65, 51.58, 8.05, 51.78], "districts": districts})
    )
    monkeypatch.setenv("SMARTCITY_CITY_FILE", str(path))
    city.city.cache_clear()
    yield
    city.city.cache_clear()


def refused_url() -> str:
    """A style URL on a loopback port where nothing listens: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/styles/karte.json"


def screenshot(page: RecordedPage, name: str) -> None:
    folder = os.environ.get("SMARTCITY_TEST_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.page.evaluate("document.getElementById('map-title').scrollIntoView()")
        page.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def rendered_names(page: RecordedPage, layer: str) -> set[str]:
    return set(
        page.page.evaluate(
            f"(layer) => {MAP}.queryRenderedFeatures({{layers: [layer]}})"
            ".map((f) => f.properties.name)",
            layer,
        )
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_platforms_own_pmtiles_base_map(
    page: RecordedPage, stations, archive, viewport
) -> None:
    answers: list[tuple[str, int]] = []
    page.page.on("response", lambda r: answers.append((r.url, r.status)))
    page.set_viewport(viewport)
    page.open("/umwelt/")
    expect(page.page.locator("#map[data-basemap=ready]")).to_be_attached(timeout=20000)
    assert page.page.evaluate(f"{MAP}.loaded()") is True
    ranged = [status for url, status in answers if url == page.base_url + TILES]
    assert len(ranged) >= 2 and set(ranged) == {206}, answers  # header, then tiles
    assert "Testsee" in rendered_names(page, "water")
    assert "Teststraße" in rendered_names(page, "roads-major")
    expect(page.page.locator(".marker")).to_have_count(len(stations))
    expect(page.page.locator(".map-notice")).to_have_count(0)
    assert page.foreign_requests() == []
    assert axe_violations(page) == []
    assert page.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"umwelt-pmtiles-{viewport['width']}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_base_map_that_cannot_be_loaded_leaves_districts_and_markers(
    page: RecordedPage, stations, city_with_an_outline, settings, monkeypatch, viewport
) -> None:
    url = refused_url()
    monkeypatch.setenv("SMARTCITY_BASEMAP_URL", url)
    # the CSP allows the base map's host, as in production: the request is made and refused
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": security.content_security_policy(url)}
    page.set_viewport(viewport)
    page.open("/umwelt/")
    container = page.page.locator("#map[data-basemap=fallback]")
    expect(container).to_be_attached(timeout=20000)
    assert any(u.startswith(url.rsplit("/", 2)[0]) for u in page.requests)  # it was tried
    notice = page.page.locator(".map-notice")
    expect(notice).to_have_text(
        "Die Hintergrundkarte konnte nicht geladen werden; die Karte zeigt die "
        "Stadtbezirke. Messstellen und Tabelle sind vollständig."
    )
    expect(page.page.locator(".map-label", has_text="Uentrop")).to_be_visible()
    assert page.page.evaluate(f"{MAP}.loaded()") is True  # "fallback": the districts drew
    assert rendered_names(page, "district-outlines") == {"Mitte"}
    expect(page.page.locator(".marker")).to_have_count(len(stations))
    screenshot(page, f"umwelt-fallback-{viewport['width']}")
    page.page.locator(".marker:visible").last.click()  # on top where markers overlap
    expect(page.page.locator(".maplibregl-popup .popup__title")).to_be_visible()
    expect(page.page.locator("#stations tbody tr").first).to_be_visible()
    assert axe_violations(page) == []
    assert page.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_tiles_that_fail_also_fall_back(page: RecordedPage, stations, archive) -> None:
    archive.unlink()  # the style is served, its tiles answer 404
    page.open("/umwelt/")
    expect(page.page.locator("#map[data-basemap=fallback]")).to_be_attached(timeout=20000)
    expect(page.page.locator(".map-notice")).to_contain_text("Hintergrundkarte")
    expect(page.page.locator(".marker")).to_have_count(len(stations))
    assert page.foreign_requests() == []


def test_in_english_the_notice_is_english(page: RecordedPage, stations, monkeypatch) -> None:
    monkeypatch.setenv("SMARTCITY_BASEMAP_URL", refused_url())
    page.page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": page.base_url}]
    )
    page.open("/umwelt/")
    expect(page.page.locator("#map[data-basemap=fallback]")).to_be_attached(timeout=20000)
    expect(page.page.locator(".map-notice")).to_contain_text("The base map could not be loaded")
