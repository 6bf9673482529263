"""Fixtures for the browser tests: Debian's chromium driven by Playwright against
pytest-django's live server.

These tests never skip: a missing chromium or missing front-end build is a failure with a
message that says what to do, because the suite promises real browser tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the database access the live server fixtures make from it (it checks at call time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STATIC_DIR = Path(__file__).resolve().parents[2] / "src" / "smartcity" / "static"
VENDOR_FILES = (
    "vendor/htmx.org/htmx.min.js",
    "vendor/maplibre-gl/maplibre-gl-csp.js",
    "vendor/maplibre-gl/maplibre-gl-csp-worker.js",
    "vendor/maplibre-gl/maplibre-gl.css",
    "vendor/uplot/uPlot.iife.min.js",
    "vendor/uplot/uPlot.min.css",
    "vendor/axe-core/axe.min.js",
    "vendor/pmtiles/pmtiles.js",
)
AXE_URL = "/static/vendor/axe-core/axe.min.js"  # served by the platform (check_vendor_files)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def find_chromium() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    pytest.fail(
        "Debian's chromium is not installed, so the browser tests cannot run. "
        "Install it with `apt-get install chromium` (or run `make system-deps`).",
        pytrace=False,
    )


def check_vendor_files() -> None:
    missing = [name for name in VENDOR_FILES if not (STATIC_DIR / name).is_file()]
    if missing:
        pytest.fail(
            "The front-end build is missing (" + ", ".join(missing) + " under "
            f"{STATIC_DIR}). Run `make assets` first.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    check_vendor_files()
    browser = playwright_instance.chromium.launch(
        executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


class RecordedPage:
    """A page with the URL of every request it made, to check where the page reaches out."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, f"{path}: {response}"

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base_url).netloc
        return [
            url for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).netloc != own
        ]

    def set_viewport(self, size: dict[str, int]) -> None:
        self.page.set_viewport_size(size)


@pytest.fixture(autouse=True)
def no_basemap_from_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' maps draw the city's districts instead of basemap.de (the default), so
    no test reaches the internet; the base map tests configure theirs."""
    monkeypatch.setenv("SMARTCITY_BASEMAP_URL", "")
    monkeypatch.delenv("SMARTCITY_BASEMAP_PMTILES", raising=False)
    monkeypatch.delenv("SMARTCITY_BASEMAP_STYLE_FILE", raising=False)


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, transactional_db: None
         ) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    recorded = RecordedPage(context.new_page(), live_server.url)
    yield recorded
    context.close()


@pytest.fixture
def stations(transactional_db: None) -> Iterator[list]:
    """The Hamm demo's stations that have a place on the map (a day of values)."""
    from smartcity.environment import dashboard, live
    from smartcity.sensors.demo import load_demo

    load_demo(days=1)
    yield [s for s in dashboard.stations() if s.lon is not None]
    live.hub.close()  # the poller thread must not outlive the test database
