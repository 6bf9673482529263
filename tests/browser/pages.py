"""What the browser tests of the service portal share: a page checked with axe-core
(WCAG 2.1 AA), for sideways scrolling and for requests to other hosts; pressing a button;
the login form; the two sizes every page is checked at (1280x800 and 360x740)."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import RecordedPage
from tests.browser.test_portal_browser import axe_violations

PASSWORD = "ein-langes-test-passwort-2026"
SIZES = [{"width": 1280, "height": 800}, {"width": 360, "height": 740}]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
  .slice(-3).map(e => e.outerHTML.slice(0, 120)).join(' | ')"""


def clean(page: RecordedPage, where: str, provider: str = "") -> None:
    """No axe violation, nothing wider than the screen, nothing from another host."""
    violations = axe_violations(page)
    assert violations == [], where + json.dumps(violations, indent=2, ensure_ascii=False)
    overflow = page.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px: " + page.page.evaluate(WIDEST)
    foreign = [u for u in page.foreign_requests() if not (provider and u.startswith(provider))]
    assert foreign == [], where


def press(p: Page, name: str) -> None:
    p.get_by_role("button", name=name, exact=True).click()
    p.wait_for_load_state()


def log_in(p: Page, username: str) -> None:
    expect(p.get_by_role("heading", level=1)).to_have_text("Anmelden")
    p.get_by_label("E-Mail-Adresse oder Benutzername").fill(username)
    p.get_by_label("Passwort", exact=True).fill(PASSWORD)
    press(p, "Anmelden")
