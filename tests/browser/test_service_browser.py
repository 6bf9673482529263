"""The service catalogue in Chromium: a parent finds "Kita-Platz" from "Ein Kind kommt zur
Welt" with keyboard-reachable links, searches without JavaScript, and axe-core finds no
WCAG 2.1 AA violation on any catalogue page (a failed search included), at desktop and
phone size, with nothing loaded from another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser
PAGES = ["/service/", "/service/?q=Kita", "/service/lebenslage/ein-kind-kommt-zur-welt/",
         "/service/kita-platz/", "/service/geburtsurkunde/"]  # fmt: skip


@pytest.fixture
def catalogue(transactional_db) -> None:
    from smartcity.administration.demo import load_demo

    load_demo()


def test_a_parent_finds_the_kita_place_from_a_child_is_born(page: RecordedPage, catalogue):
    page.open("/")
    page.page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Service"
    ).click()
    expect(page.page.get_by_role("heading", level=1, name="Service und Anträge")).to_be_visible()
    page.page.get_by_role("link", name="Ein Kind kommt zur Welt").click()
    expect(
        page.page.get_by_role("heading", level=1, name="Ein Kind kommt zur Welt")
    ).to_be_visible()
    page.page.get_by_role("link", name="Kita-Platz", exact=True).click()
    expect(page.page.get_by_role("heading", level=1, name="Kita-Platz")).to_be_visible()
    apply = page.page.get_by_role("link", name="Online beantragen")
    expect(apply).to_have_attribute("href", "/service/antrag/kita-platz/")
    expect(page.page.get_by_role("heading", name="Wo und wann")).to_be_visible()
    expect(page.page.get_by_role("link", name="§ 24 SGB VIII", exact=False)).to_be_visible()
    assert page.foreign_requests() == []


def test_search_works_without_javascript(browser: Browser, live_server: LiveServer, catalogue):
    context = browser.new_context(viewport=PHONE, locale="de-DE", java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(live_server.url + "/service/")
        tab.get_by_label("Leistung suchen").fill("fruehe hilfen unterhalt")
        tab.get_by_role("button", name="Suchen").click()
        expect(tab.get_by_role("heading", name="Suchergebnisse")).to_be_visible()
        tab.get_by_label("Leistung suchen").fill("Elterngeld")
        tab.get_by_label("Leistung suchen").press("Enter")
        results = tab.locator("[data-role=results]")
        expect(results.get_by_role("link", name="Elterngeld")).to_be_visible()
        tab.get_by_label("Leistung suchen").fill("%")
        tab.get_by_role("button", name="Suchen").click()
        expect(tab.get_by_role("alert")).to_contain_text("mindestens ein Wort")
    finally:
        context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_catalogue_page_is_accessible(page: RecordedPage, catalogue, size):
    page.set_viewport(size)
    for path in PAGES:
        page.open(path)
        assert axe_violations(page) == [], path
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], path  # nothing wider than the screen
    page.page.goto(page.base_url + "/service/?q=%25")  # the failed search, answered 400
    assert axe_violations(page) == []
    assert page.foreign_requests() == []
