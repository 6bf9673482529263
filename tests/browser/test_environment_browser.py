"""The environment dashboard in a real browser: the map shows the demo stations, a value
written while the page is open appears without a reload, charts draw data, the CSV
download has the right rows, and axe-core finds no WCAG 2.1 AA violation, at desktop and
phone width, with nothing loaded from another host."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from smartcity.environment import dashboard, live
from smartcity.environment import services as environment
from smartcity.sensors import services
from smartcity.sensors.demo import load_demo
from smartcity.sensors.entities import entity
from smartcity.sensors.models import Thing
from tests.browser.conftest import DESKTOP, PHONE, RecordedPage
from tests.browser.test_portal_browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    load_demo(days=2)
    yield Thing.objects.get(properties__demoKey="hbf")
    live.hub.close()  # the poller thread must not outlive the test database


def test_the_map_shows_every_demo_station(page: RecordedPage, demo) -> None:
    page.open("/umwelt/")
    expect(page.page.locator("#map[data-ready=true]")).to_be_visible(timeout=15000)
    placed = [s for s in dashboard.stations() if s.lon is not None]
    markers = page.page.locator(".marker")
    expect(markers).to_have_count(len(placed))
    station = page.page.locator(f'.marker[data-thing="{demo.pk}"][data-kind="air"]')
    expect(station).to_have_attribute("aria-label", _label_pattern(demo.name))
    hbf = next(s for s in placed if s.thing == demo.pk)  # close up: no marker in a cluster
    page.page.evaluate("([lon, lat]) => SmartCityMap.of(document.getElementById('map'))"
                       ".jumpTo({center: [lon, lat], zoom: 15})", [hbf.lon, hbf.lat])
    station.click()
    popup = page.page.locator(".maplibregl-popup")
    expect(popup.get_by_role("link", name=demo.name)).to_be_visible()
    page.page.get_by_label("Wasser").uncheck()
    expect(page.page.locator(".marker--water:visible")).to_have_count(0)
    assert page.foreign_requests() == []


def _label_pattern(name: str):
    import re

    return re.compile("^" + re.escape(name) + ": Klasse [1-5], (sehr gut|gut|mäßig|schlecht)")


def test_a_new_observation_appears_on_the_open_page(page: RecordedPage, demo) -> None:
    page.open("/umwelt/")
    expect(page.page.locator("#live-status")).to_contain_text("verbunden", timeout=10000)
    stream = demo.datastreams.get(observed_property__definition=dashboard.AIR_TEMPERATURE)
    services.create(entity("Observation"), {
        "result": 37.7, "phenomenonTime": timezone.now().isoformat(),
        "Datastream": {"@iot.id": stream.pk},
    })
    cell = page.page.locator(f'tr[data-datastream="{stream.pk}"] [data-cell="value"]')
    expect(cell).to_have_text("37,7\u00a0°C", timeout=10000)
    expect(page.page.locator("#live-status")).to_contain_text("1 neuer Messwert, zuletzt um")


def test_a_station_chart_shows_data_and_its_table(page: RecordedPage, demo) -> None:
    page.open(f"/umwelt/messstellen/{demo.pk}/")
    no2 = demo.datastreams.get(observed_property__definition__endswith="/pollutant/8")
    section = page.page.locator(f'section[data-series="{no2.pk}"]')
    chart = section.locator('[data-role="chart"]')
    expect(chart.locator("canvas")).to_have_count(1, timeout=15000)
    assert int(chart.get_attribute("data-points")) >= 100  # 24 hours of 10-minute values
    expect(chart).to_have_attribute("aria-label", _starts("Verlauf Stickstoffdioxid"))
    section.get_by_label("7 Tage").check()
    expect(section.locator('[data-role="interval"]')).to_have_text("Stundenmittel")
    section.get_by_text("Werte als Tabelle").click()
    rows = section.locator('[data-role="table"] tbody tr')
    expect(rows.first).to_be_visible()
    assert 40 <= rows.count() <= 24 * 7 + 1  # two days of demo data, hourly
    section.get_by_label("Vergleichen mit").select_option(index=1)
    expect(section.locator('[data-role="table"] thead th')).to_have_count(3)


def _starts(text: str):
    import re

    return re.compile("^" + re.escape(text))


def test_the_csv_download_has_the_rows_of_the_chart(page: RecordedPage, demo) -> None:
    page.open(f"/umwelt/messstellen/{demo.pk}/")
    no2 = demo.datastreams.get(observed_property__definition__endswith="/pollutant/8")
    section = page.page.locator(f'section[data-series="{no2.pk}"]')
    expect(section.locator('[data-role="chart"] canvas')).to_have_count(1, timeout=15000)
    with page.page.expect_download() as info:
        section.get_by_role("link", name="Werte als CSV herunterladen").click()
    with open(info.value.path(), encoding="utf-8", newline="") as downloaded:
        rows = list(csv.reader(downloaded))
    assert rows[0] == ["start", "end", "count", "mean", "min", "max"]
    first, last = datetime.fromisoformat(rows[1][0]), datetime.fromisoformat(rows[-1][1])
    expected = environment.series(no2.pk, first, last, "hour")
    assert [int(r[2]) for r in rows[1:]] == [b.count for b in expected]
    assert len(rows) - 1 in (24, 25)  # 24 hours, cut at both ends
    assert sum(int(r[2]) for r in rows[1:]) >= 140


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violations_on_the_dashboard(page: RecordedPage, demo, viewport) -> None:
    page.set_viewport(viewport)
    for path in ("/umwelt/", f"/umwelt/messstellen/{demo.pk}/", "/umwelt/wasser/",
                 "/umwelt/boden/", f"/umwelt/messstellen/{demo.pk}/grenzwerte/"):
        page.open(path)
        if path == "/umwelt/":
            expect(page.page.locator("#map[data-ready=true]")).to_be_visible(timeout=15000)
        else:
            page.page.wait_for_load_state("load")
            page.page.wait_for_timeout(1000)  # the charts' data
        assert axe_violations(page) == [], path
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} scrolls sideways at {viewport}"
    assert page.foreign_requests() == []


def test_a_station_chart_takes_new_values_while_open(page: RecordedPage, demo) -> None:
    page.open(f"/umwelt/messstellen/{demo.pk}/")
    no2 = demo.datastreams.get(observed_property__definition__endswith="/pollutant/8")
    section = page.page.locator(f'section[data-series="{no2.pk}"]')
    expect(section.locator('[data-role="chart"] canvas')).to_have_count(1, timeout=15000)
    expect(page.page.locator("#live-status")).to_contain_text("verbunden", timeout=10000)
    table = section.locator('[data-role="table"]')
    expect(table).not_to_contain_text("177,7")
    services.create(entity("Observation"), {
        "result": 177.7, "phenomenonTime": timezone.now().isoformat(),
        "Datastream": {"@iot.id": no2.pk},
    })
    expect(table).to_contain_text("177,7", timeout=15000)
