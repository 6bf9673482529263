"""The Content-Security-Policy in a real browser: the portal, the environment dashboard with
its map and charts, and the back office (login, lists, forms) run under it without one
violation or console complaint, with the security headers on every page; a login locked
out after failed attempts shows its German page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, expect

from smartcity.environment import live
from smartcity.sensors.demo import load_demo
from smartcity.sensors.models import Thing
from tests.browser.conftest import RecordedPage
from tests.browser.test_accounts_browser import pass_totp

pytestmark = pytest.mark.browser

PASSWORD = "ein-langes-test-passwort-2026"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push({
  directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
}));
"""


class Watched:
    """A page whose CSP violations (the DOM event) and console warnings and errors, from
    the page and its workers, are recorded."""

    def __init__(self, recorded: RecordedPage) -> None:
        self.recorded = recorded
        self.page = recorded.page
        self.console: list[str] = []
        self.page.add_init_script(WATCH)
        self.page.on("console", self._console)
        self.page.on("worker", lambda worker: worker.on("console", self._console))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        if message.text.startswith("[.WebGL-"):  # the software renderer's performance notes
            return
        if message.location.get("url", "").endswith("/favicon.ico"):  # the browser's own ask
            return
        self.console.append(f"{message.type}: {message.text} ({message.location})")

    def open(self, path: str) -> Any:
        response = self.page.goto(self.recorded.base_url + path)
        assert response is not None
        return response

    def problems(self) -> dict[str, list]:
        self.page.wait_for_timeout(300)  # a report is an event: let the last ones arrive
        return {"violations": self.page.evaluate("window.__violations"), "console": self.console}


@pytest.fixture
def watched(page: RecordedPage) -> Watched:
    return Watched(page)


@pytest.fixture
def demo(transactional_db):
    load_demo(days=1)
    yield Thing.objects.get(properties__demoKey="hbf")
    live.hub.close()  # the poller thread must not outlive the test database


def _check_headers(response: Any) -> None:
    headers = response.all_headers()
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "geolocation=(self)" in headers["permissions-policy"]
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"


def test_the_public_pages_run_under_the_policy(watched: Watched, demo) -> None:
    _check_headers(watched.open("/"))
    response = watched.open("/umwelt/")
    _check_headers(response)
    expect(watched.page.locator("#map[data-ready=true]")).to_be_visible(timeout=15000)
    expect(watched.page.locator("#live-status")).to_contain_text("verbunden", timeout=10000)
    swatch = watched.page.locator("#legend-water .swatch").first  # colour from a class
    expect(swatch).to_have_css("background-color", "rgb(188, 215, 245)")
    watched.open("/umwelt/wasser/")
    watched.open(f"/umwelt/messstellen/{demo.pk}/")
    expect(watched.page.locator('[data-role="chart"] canvas').first).to_be_visible(timeout=15000)
    assert watched.problems() == {"violations": [], "console": []}
    assert watched.recorded.foreign_requests() == []


def test_the_back_office_runs_under_the_policy(watched: Watched, demo) -> None:
    user = get_user_model().objects.create_superuser("verwaltung", "v@example.org", PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _check_headers(watched.open("/admin/login/"))
    watched.page.get_by_label("Benutzername").fill("verwaltung")
    watched.page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    watched.page.get_by_role("button", name="Anmelden", exact=True).click()
    pass_totp(watched.page, device)  # the back office asks for the second factor
    expect(watched.page.get_by_role("heading", name="Übersicht")).to_be_visible()
    expect(watched.page.locator("#site-name")).to_have_text("Smart City Hamm – Verwaltung")  # noqa: RUF001
    watched.open("/admin/sensors/thing/")
    watched.page.locator("#action-toggle").check()  # the admin's own scripts still run
    expect(watched.page.locator(".action-counter")).to_contain_text("ausgewählt")
    watched.open(f"/admin/sensors/thing/{demo.pk}/change/")
    watched.open("/admin/core/importschedule/add/")
    watched.open("/admin/environment/alertrule/add/")
    expect(watched.page.locator("#id_area")).to_have_value("")  # no literal null
    area_map = watched.page.locator("#id_area_map[data-ready=true]")  # the area on a map
    expect(area_map).to_be_visible(timeout=15000)
    expect(watched.page.locator(".area-map__station").first).to_be_attached()
    area_map.click(position={"x": 100, "y": 220})
    area_map.click(position={"x": 300, "y": 80})
    west, south, east, north = json.loads(watched.page.locator("#id_area").input_value())
    assert west < east and south < north
    watched.page.locator(".field-things .select2-selection").click()  # stations by name
    watched.page.locator(".select2-search__field").fill("Hauptbahnhof")
    expect(watched.page.locator(".select2-results__option")).to_have_text([demo.name])
    watched.open("/admin/sensors/stationhealth/?status=problems")
    expect(watched.page.locator("#result_list")).to_be_visible()
    watched.open("/admin/axes/accessattempt/")
    assert watched.problems() == {"violations": [], "console": []}


def test_a_locked_login_gets_its_page_in_the_sites_layout(watched: Watched, db) -> None:
    get_user_model().objects.create_user("sachbearbeitung", password=PASSWORD, is_staff=True)
    watched.open("/admin/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        watched.page.get_by_label("Benutzername").fill("sachbearbeitung")
        watched.page.get_by_label("Passwort", exact=True).fill("falsch")
        with watched.page.expect_response(lambda r: r.request.method == "POST") as answer:
            watched.page.get_by_role("button", name="Anmelden", exact=True).click()
    assert answer.value.status == 429
    page = watched.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung vorübergehend gesperrt")
    expect(page.get_by_role("alert")).to_contain_text("auch mit dem richtigen Passwort")
    expect(page.locator("main")).to_contain_text("Uhr am")
    expect(page.get_by_role("link", name="Zur Startseite")).to_be_visible()
    # the page itself logs a 429 to the console, as browsers do for any 4xx answer
    problems = watched.problems()
    assert problems["violations"] == []
    assert [m for m in problems["console"] if "429" not in m] == []
