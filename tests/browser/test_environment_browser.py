"""The environment dashboard in a real browser: the map shows the demo stations, a value
written while the page is open appears without a reload, charts draw data, the CSV
download has the right rows, and axe-core finds no WCAG 2.1 AA violation, at desktop and
phone width, with nothing loaded from another host."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from smartcity.environment import dashboard, live
from smartcity.environment import services as environment
from smartcity.sensors import services
from smartcity.sensors.demo import load_demo
from smartcity.sensors.entities import entity
from smartcity.sensors.models import Datastream, Thing
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
        section.get_by_role("link", name="CSV (RFC 4180)").click()
    with open(info.value.path(), encoding="utf-8", newline="") as downloaded:
        rows = list(csv.reader(downloaded))
    assert rows[0] == ["start", "end", "count", "mean", "min", "max", "datastream", "station",
                       "quantity", "unit"]
    assert {(r[6], r[7]) for r in rows[1:]} == {(str(no2.pk), demo.name)}
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


@pytest.fixture
def page_in_new_york(browser, live_server):
    """A browser whose own zone is not the city's: the pages must not write its times."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE",
                                  timezone_id="America/New_York")
    yield RecordedPage(context.new_page(), live_server.url)
    context.close()


def test_every_time_is_the_citys_in_one_format(page_in_new_york: RecordedPage, demo) -> None:
    import re

    from smartcity.core.templatetags.site import local_stamp

    page = page_in_new_york.page
    page_in_new_york.open("/umwelt/")
    stream = demo.datastreams.get(observed_property__definition=dashboard.AIR_TEMPERATURE)
    cell = page.locator(f'tr[data-datastream="{stream.pk}"] [data-cell="time"] time')
    served = cell.text_content()
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", served)
    assert served == local_stamp(cell.get_attribute("datetime"))  # Berlin, not New York
    expect(page.locator("#live-status")).to_contain_text("verbunden", timeout=10000)
    when = timezone.now().replace(second=0, microsecond=0)
    services.create(entity("Observation"), {
        "result": 21.5, "phenomenonTime": when.isoformat(), "Datastream": {"@iot.id": stream.pk},
    })
    expect(cell).to_have_text(local_stamp(when), timeout=10000)  # live: the same format
    page_in_new_york.open(f"/umwelt/messstellen/{demo.pk}/")
    expect(page.locator('[data-role="chart"] canvas').first).to_be_visible(timeout=15000)
    assert "Time" not in page.locator("main").inner_text()
    legend = page.locator(".u-legend").first
    expect(legend).to_contain_text("Zeitpunkt (Ortszeit)")


def test_tables_are_cards_with_the_value_first_on_a_phone(page: RecordedPage, demo) -> None:
    page.set_viewport(PHONE)
    page.open(f"/umwelt/messstellen/{demo.pk}/")
    row = page.page.locator("#stations tbody tr").first
    value, level = row.locator('[data-cell="value"]'), row.locator('[data-cell="level"]')
    quantity = row.locator('td[data-label="Messgröße"]')
    assert value.bounding_box()["y"] < quantity.bounding_box()["y"]  # value and class first
    assert abs(level.bounding_box()["y"] - value.bounding_box()["y"]) < 20
    expect(page.page.locator("#stations thead")).to_have_css("position", "absolute")
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # still a table for screen readers, its cells named by their column headers
    table = page.page.get_by_role("table", name="Neueste Werte dieser Messstelle")
    expect(table.get_by_role("columnheader", name="Neuester Wert")).to_have_count(1)
    expect(page.page.locator(".u-legend").first).to_be_visible(timeout=15000)
    for legend in page.page.locator(".u-legend").all():
        area = legend.bounding_box()
        assert area["x"] >= 0 and area["x"] + area["width"] <= PHONE["width"]


def test_the_german_csv_holds_the_compared_station(page: RecordedPage, demo) -> None:
    page.open(f"/umwelt/messstellen/{demo.pk}/")
    no2 = demo.datastreams.get(observed_property__definition__endswith="/pollutant/8")
    section = page.page.locator(f'section[data-series="{no2.pk}"]')
    expect(section.locator('[data-role="chart"] canvas')).to_have_count(1, timeout=15000)
    compare = section.get_by_label("Vergleichen mit")
    compare.select_option(index=1)
    other = Datastream.objects.get(pk=int(compare.input_value())).thing.name
    expect(section.locator('[data-role="csv-de"]')).to_have_attribute(
        "href", _contains("compare="))
    with page.page.expect_download() as info:
        section.get_by_role("link", name="CSV (Excel, deutsch)").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:3] == ["Messstelle", "Messgröße", "Einheit"]
    stations = {r[0] for r in rows[1:]}
    assert stations == {demo.name, other}
    means = [r[7] for r in rows[1:] if r[7]]
    assert means and all("," in m and "." not in m for m in means)  # 1 decimal, comma


def _contains(text: str):
    import re

    return re.compile(re.escape(text))
