"""The portal in a real browser: what a visitor sees, axe-core's WCAG 2.1 AA rules at
desktop and phone width, no request to another host, and the language switch."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE_URL, DESKTOP, PHONE, RecordedPage

pytestmark = pytest.mark.browser

PART_TITLES = [
    "Urbane Datenplattform / Umwelt-Sensoren",
    "Mobilität",
    "Digitale Verwaltung / Familienrathaus",
    "Beteiligung",
    "Digitaler Zwilling",
    "Strategie & Projekte / Open Data",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best practices besides WCAG: among them landmark-unique (two landmarks of one name
# cannot be told apart by a screen reader's landmark list)
AXE_TAGS_AND_BEST_PRACTICE = [*AXE_TAGS, "best-practice"]


def axe_violations(recorded: RecordedPage, tags: list[str] = AXE_TAGS) -> list[dict]:
    # from the platform's own static files: the CSP refuses an inline script
    recorded.page.add_script_tag(url=recorded.base_url + AXE_URL)
    result = recorded.page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        tags,
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
    ]


def test_home_shows_headline_and_the_six_parts(page: RecordedPage) -> None:
    page.open("/")
    expect(page.page.get_by_role("heading", level=1, name="Smart City Hamm")).to_be_visible()
    expect(page.page.get_by_role("heading", level=2, name="Die sechs Bausteine der Plattform")
           ).to_be_visible()
    for title in PART_TITLES:
        expect(page.page.get_by_role("heading", level=3, name=title)).to_be_visible()
    expect(page.page.get_by_role("link", name=PART_TITLES[0])).to_have_attribute(
        "href", "/umwelt/"
    )
    expect(page.page.get_by_text("in Vorbereitung")).to_have_count(3)


@pytest.mark.parametrize("path", ["/", "/barrierefreiheit/"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violations(page: RecordedPage, path: str, viewport: dict[str, int]) -> None:
    page.set_viewport(viewport)
    page.open(path)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_layout_fits_a_phone_without_horizontal_scrolling(
    page: RecordedPage, viewport: dict[str, int]
) -> None:
    page.set_viewport(viewport)
    for path in ("/", "/barrierefreiheit/"):
        page.open(path)
        overflow = page.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {viewport}"


def test_no_request_leaves_the_platform(page: RecordedPage) -> None:
    for path in ("/", "/barrierefreiheit/"):
        page.open(path)
        page.page.wait_for_load_state("networkidle")
    assert page.requests, "no requests recorded"
    assert any("/static/css/smartcity.css" in url for url in page.requests)
    assert any("/static/vendor/htmx.org/htmx.min.js" in url for url in page.requests)
    assert page.foreign_requests() == []


def test_static_files_are_served(page: RecordedPage) -> None:
    for asset in ("/static/css/smartcity.css", "/static/vendor/htmx.org/htmx.min.js"):
        response = page.page.request.get(page.base_url + asset)
        assert response.status == 200, asset


def test_skip_link_is_the_first_tab_stop(page: RecordedPage) -> None:
    page.open("/")
    page.page.keyboard.press("Tab")
    skip = page.page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.page.keyboard.press("Enter")
    expect(page.page.locator("main#main")).to_be_focused()


def test_language_switch_by_clicking(page: RecordedPage) -> None:
    page.open("/")
    expect(page.page.locator("html")).to_have_attribute("lang", "de")
    page.page.get_by_role("button", name="English").click()
    expect(page.page.locator("html")).to_have_attribute("lang", "en")
    expect(page.page.get_by_role("heading", level=2, name="The six parts of the platform")
           ).to_be_visible()
    expect(page.page.get_by_role("button", name="English")).to_have_attribute(
        "aria-pressed", "true"
    )
    # The choice sticks on the next page, and switching back works the same way.
    page.page.get_by_role("link", name="Accessibility").click()
    expect(page.page.get_by_role("heading", level=1, name="Accessibility statement")
           ).to_be_visible()
    page.page.get_by_role("button", name="Deutsch").click()
    expect(page.page.get_by_role("heading", level=1, name="Erklärung zur Barrierefreiheit")
           ).to_be_visible()
    assert page.page.url.endswith("/barrierefreiheit/")


def test_axe_harness_reports_violations(page: RecordedPage) -> None:
    """Guards the check above: an empty result must mean a clean page, not a silent axe."""
    page.page.set_content("<html><body><main><button></button></main></body></html>")
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"button-name", "html-has-lang"} <= ids
