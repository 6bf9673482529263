"""The alert rule form in the back office: no literal ``null``, stations picked by name,
and a "keine Daten" rule made through it."""

from __future__ import annotations

import json
import re

import pytest

from smartcity.environment.models import AlertRule
from tests.sensors.factories import make_thing_with_datastream

pytestmark = pytest.mark.django_db
ADD = "/admin/environment/alertrule/add/"


def test_the_empty_form_shows_no_null(admin_client):
    html = admin_client.get(ADD).content.decode()
    area = re.search(r"<textarea[^>]*name=\"area\"[^>]*>(.*?)</textarea>", html, re.S)
    assert area is not None and area[1].strip() == ""
    assert "null" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)


def test_stations_and_properties_are_picked_by_name(admin_client):
    thing, stream = make_thing_with_datastream("Hauptbahnhof")
    make_thing_with_datastream("Heessen")
    html = admin_client.get(ADD).content.decode()
    for field in ("things", "observed_property"):
        select = re.search(rf"<select[^>]*name=\"{field}\"[^>]*>", html)
        assert select is not None and "admin-autocomplete" in select[0], field
    found = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "environment",
            "model_name": "alertrule",
            "field_name": "things",
            "term": "Haupt",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Hauptbahnhof"]
    rule = AlertRule.objects.create(
        name="PM10",
        observed_property_id=stream.observed_property_id,
        threshold=50,
        webhook_url="https://example.org/hook",
    )
    rule.things.set([thing])
    change = admin_client.get(f"/admin/environment/alertrule/{rule.pk}/change/").content.decode()
    assert re.search(rf"<option value=\"{thing.pk}\" selected>Hauptbahnhof</option>", change)


def test_the_area_has_a_map_with_the_stations(admin_client):
    make_thing_with_datastream("Hauptbahnhof", lon=7.8076, lat=51.678)
    html = admin_client.get(ADD).content.decode()
    assert 'id="id_area_map"' in html and 'data-target="id_area"' in html
    found = re.search(r'<script id="id_area_stations" type="application/json">(.*?)</script>', html)
    assert found is not None
    assert json.loads(found[1]) == [{"name": "Hauptbahnhof", "lon": 7.8076, "lat": 51.678}]
    assert "/static/js/admin-area-map.js" in html


def test_a_silence_rule_is_made_in_the_back_office(admin_client):
    thing, _stream = make_thing_with_datastream("Hauptbahnhof")
    form = {
        "name": "Funkstille",
        "enabled": "on",
        "kind": "silence",
        "silence_hours": "6",
        "things": [thing.pk],
        "area": "",
        "comparison": "above",
        "window": "value",
        "hysteresis": "0",
        "email_recipients": "umwelt@hamm.de",
        "webhook_secret": "s" * 64,
    }
    answer = admin_client.post(ADD, form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    rule = AlertRule.objects.get(name="Funkstille")
    assert (rule.kind, rule.silence_hours, rule.threshold, rule.area) == ("silence", 6, None, None)
    assert list(rule.things.all()) == [thing]
    refused = admin_client.post(ADD, {**form, "name": "ohne Stunden", "silence_hours": ""})
    assert (
        refused.status_code == 200 and "Für diese Art von Regel nötig." in refused.content.decode()
    )
    assert not AlertRule.objects.filter(name="ohne Stunden").exists()
