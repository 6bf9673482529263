"""The back office's sensor health view: each Datastream's newest value, its age and
status (aktuell, veraltet, stumm), battery and signal where a LoRaWAN device reports them;
filtered and sorted, with a number of statements that does not grow with the store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from smartcity.core.timeutil import format_instant
from smartcity.sensors import health, services
from smartcity.sensors.entities import entity
from smartcity.sensors.models import LoRaWANDevice, LoRaWANField
from tests.sensors.factories import add_observations, datastream_payload, make_thing_with_datastream

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)
PAGE = "/admin/sensors/stationhealth/"


def _station(name, hours_ago, value=20.0, **stream):
    thing, datastream = make_thing_with_datastream(name)
    if stream:
        datastream.properties = stream
        datastream.save(update_fields=["properties"])
    if hours_ago is not None:
        add_observations(datastream, [(format_instant(timezone.now() - hours_ago * HOUR), value)])
    return thing, datastream


def _stream(thing, name, hours_ago, value):
    datastream = services.create(
        entity("Datastream"), {**datastream_payload(name), "Thing": {"@iot.id": thing.pk}}
    )
    add_observations(datastream, [(format_instant(timezone.now() - hours_ago * HOUR), value)])
    return datastream


@pytest.fixture
def city():
    return {
        "current": _station("Hauptbahnhof", 1, 31.5),
        "stale": _station("Heessen", 5),
        "silent": _station("Uentrop", 30),
        "never": _station("Rhynern", None),
        "quick": _station("Pelkum", 0.75, expectedInterval=600),  # 3 x 10 minutes
    }


def test_each_datastream_is_judged_by_the_age_of_its_newest_value(city):
    found = {row.thing_name: row for row in health.rows(timezone.now())}
    assert {name: row.status for name, row in found.items()} == {
        "Hauptbahnhof": "current",
        "Heessen": "stale",
        "Uentrop": "silent",
        "Rhynern": "silent",
        "Pelkum": "stale",
    }
    assert found["Rhynern"].age is None and found["Rhynern"].last is None
    assert found["Heessen"].age > 5 * HOUR - timedelta(minutes=1)


def test_the_thresholds_are_settings(city, monkeypatch):
    monkeypatch.setenv("SMARTCITY_HEALTH_STALE_HOURS", "6")
    monkeypatch.setenv("SMARTCITY_HEALTH_SILENT_HOURS", "48")
    found = {row.thing_name: row.status for row in health.rows(timezone.now())}
    assert found["Heessen"] == "current" and found["Uentrop"] == "stale"


def test_filter_and_sort(city):
    now = timezone.now()
    oldest = [row.thing_name for row in health.rows(now)]
    assert oldest == ["Rhynern", "Uentrop", "Heessen", "Hauptbahnhof", "Pelkum"]
    newest = [row.thing_name for row in health.rows(now, oldest_first=False)]
    assert newest == ["Pelkum", "Hauptbahnhof", "Heessen", "Uentrop", "Rhynern"]
    problems = [row.thing_name for row in health.rows(now, status="problems")]
    assert problems == ["Rhynern", "Uentrop", "Heessen", "Pelkum"]
    assert [row.thing_name for row in health.rows(now, status="silent")] == ["Rhynern", "Uentrop"]
    assert [row.thing_name for row in health.rows(now, search="bahn")] == ["Hauptbahnhof"]


def test_the_page_shows_values_ages_and_the_devices_battery_and_signal(admin_client, city):
    thing, _ = city["current"]
    battery = _stream(thing, "Batterie", 1, 87)
    rssi = _stream(thing, "Funk", 1, -97)
    device = LoRaWANDevice.objects.create(dev_eui="70B3D57ED0000001", thing=thing)
    LoRaWANField.objects.create(device=device, key="batteryLevel", datastream=battery)
    LoRaWANField.objects.create(device=device, key="radio.rssi", datastream=rssi)
    html = admin_client.get(PAGE).content.decode()
    assert "Sensorzustand" in html and "Hauptbahnhof" in html
    assert "31,5 µg/m³" in html  # the newest value, German decimal comma
    assert "battery: 87" in html and "RSSI: -97" in html
    assert "5\xa0Stunden" in html  # Heessen's age
    assert html.count('class="health-silent"') == 2 and "nie" in html
    assert "3 aktuell, 2 veraltet, 2 stumm" in html
    silent = admin_client.get(PAGE, {"status": "silent"}).content.decode()
    assert "Uentrop" in silent and "Rhynern" in silent and "Heessen" not in silent
    assert silent.index("Rhynern") < silent.index("Uentrop")  # no value counts as oldest
    newest = admin_client.get(PAGE, {"o": "newest"}).content.decode()
    assert newest.index("Pelkum") < newest.index("Heessen") < newest.index("Rhynern")


def test_the_index_links_the_view_and_bad_filters_are_refused(admin_client):
    assert PAGE in admin_client.get("/admin/").content.decode()
    for bad in ({"status": "kaputt"}, {"o": "age"}):
        answer = admin_client.get(PAGE, bad)
        assert answer.status_code == 400
        assert "Unbekannter Filter" in answer.content.decode()


def _statements(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def test_the_statements_do_not_grow_with_the_stations(admin_client):
    for i in range(3):
        _station(f"Station {i}", i + 1)
    few = _statements(admin_client)
    for i in range(3, 40):
        _station(f"Station {i}", i + 1)
    assert _statements(admin_client) == few


def test_the_view_needs_a_login(client):
    assert client.get(PAGE).status_code == 302
