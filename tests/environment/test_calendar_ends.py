"""Times at the ends of the calendar in the environment domain: a start or end that cannot
be stored is a 400 naming it, and observations at the first and last instants there are
break neither the API (aggregates, newest values, air quality index), the dashboard, nor
the alerts and their messages."""

from __future__ import annotations

import pytest

from smartcity.environment import alerts, notify
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from tests.sensors.factories import add_observations, make_thing_with_datastream
from tests.sensors.test_calendar_ends import FIRST, HOSTILE, LAST

pytestmark = pytest.mark.django_db
API = "/api/v1/environment/"


@pytest.fixture
def station():
    thing, stream = make_thing_with_datastream("Hauptbahnhof")  # PM10: an air station
    return thing, stream


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("name", ["start", "end"])
def test_a_start_or_end_that_cannot_be_stored_is_a_400(client, station, text, name):
    other = {"start": "2026-11-01T00:00:00Z", "end": "2026-11-02T00:00:00Z"}
    query = {**other, name: text}
    response = client.get(f"{API}datastreams/{station[1].pk}/aggregates", query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["message"] and body["where"] == name
    if text:  # an empty value is refused by the parameter check, naming it too
        assert body["message"].startswith(f"{name}: ")


@pytest.fixture
def extremes(station):
    thing, stream = station
    add_observations(stream, [(FIRST, 10.0), ("2026-11-01T10:00:00Z", 20.0), (LAST, 60.0)])
    return thing, stream


def test_the_api_reads_extreme_times(client, extremes):
    thing, stream = extremes
    latest = client.get(f"{API}latest").json()["value"]
    assert [(v["phenomenonTime"], v["result"]) for v in latest] == [(LAST, 60.0)]
    hours = client.get(
        f"{API}datastreams/{stream.pk}/aggregates",
        {"interval": "month", "start": "2026-01-01T00:00:00", "end": "2027-01-01T00:00:00"},
    )
    assert hours.status_code == 200
    assert [b["count"] for b in hours.json()["buckets"]] == [0] * 10 + [1, 0]
    assert client.get(f"{API}datastreams/{stream.pk}/aggregates").status_code == 200
    index = client.get(f"{API}things/{thing.pk}/air-quality")
    assert index.status_code == 200, index.content
    assert index.json()["pollutants"][0]["hour"] == "9999-12-31T23:00:00Z"
    assert index.json()["pollutants"][0]["mean"] == 60.0


def test_the_dashboard_reads_extreme_times(client, extremes):
    thing, _ = extremes
    for path in ("/umwelt/", f"/umwelt/messstellen/{thing.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert "31.12.9999" in response.content.decode()  # where Hamm's calendar ends


def test_alerts_judge_and_tell_extreme_times(extremes):
    _, stream = extremes
    rule = AlertRule.objects.create(
        name="PM10 hoch",
        observed_property_id=stream.observed_property_id,
        threshold=50,
        window=AlertRule.HOUR_MEAN,
        webhook_url="http://127.0.0.1:9/hook",
    )
    alerts.evaluate(rule.pk)  # moves the horizon past what is stored
    rule.refresh_from_db()
    AlertRule.objects.filter(pk=rule.pk).update(watermark=0)
    outcome = alerts.evaluate(rule.pk)
    assert (outcome.observations, outcome.opened) == (3, 1)
    episode = AlertEpisode.objects.get()
    assert episode.opened_at.year == 9999
    message = notify.compose(AlertNotification.objects.get())
    assert "9999 23:59" in message.body and message.payload["time"] == LAST
