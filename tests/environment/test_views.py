"""The dashboard's pages (/umwelt/) as HTML: the table that works without JavaScript, the
page data the scripts read, clear errors for bad input, and the Server-Sent Events stream."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from smartcity.core import threads
from smartcity.core.timeutil import local_zone
from smartcity.environment import live
from smartcity.sensors.demo import load_demo
from smartcity.sensors.models import Observation, Thing
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    thing, stream = make_thing_with_datastream("Hauptbahnhof")
    add_observations(stream, [(timezone.now().isoformat(), 31.5)])
    return thing, stream


def _page_data(html: str) -> dict:
    found = re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no page data"
    return json.loads(found[1])


def test_overview_lists_every_station_in_a_table(client, station):
    thing, stream = station
    response = client.get("/umwelt/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<tr role="row" data-datastream="{stream.pk}" data-thing="{thing.pk}">' in html
    assert "31,5" in html  # German decimal comma
    assert "mäßig" in html  # PM10 31.5 µg/m³: UBA class 3
    data = _page_data(html)
    assert data["live"] == "/umwelt/live"
    assert data["stations"][0]["streams"][0] == {
        "datastream": stream.pk, "property": "PM10", "unit": "µg/m³",
        "time": data["stations"][0]["streams"][0]["time"], "value": 31.5, "level": 3,
    }


def test_overview_in_english(client, station):
    response = client.get("/umwelt/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_station_page_with_charts_and_index(client, station):
    thing, stream = station
    response = client.get(f"/umwelt/messstellen/{thing.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-series="{stream.pk}"' in html
    assert "Luftqualitätsindex" in html
    data = _page_data(html)
    assert {limit["value"] for limit in data["limits"][str(stream.pk)]} >= {50, 40, 45, 20}


def test_unknown_station_is_a_404(client, db):
    assert client.get("/umwelt/messstellen/99999/").status_code == 404


def test_kind_pages(client, station):
    for path in ("/umwelt/wasser/", "/umwelt/boden/"):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("year", ["abc", "1800", "99999", "3000"])
def test_limit_report_refuses_a_bad_year_with_a_message(client, station, year):
    response = client.get(f"/umwelt/messstellen/{station[0].pk}/grenzwerte/", {"jahr": year})
    assert response.status_code == 400
    assert "Bitte ein Jahr zwischen 1990 und" in response.content.decode()


def test_limit_report_of_a_year(client, station):
    year = timezone.localtime().year
    response = client.get(f"/umwelt/messstellen/{station[0].pk}/grenzwerte/", {"jahr": year})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Richtlinie 2008/50/EG, Anhang XI Abschnitt B; 39. BImSchV § 4 Abs. 1" in html
    assert "Richtlinie (EU) 2024/2881, Anhang I Abschnitt 1 Tabelle 1" in html
    assert "Annex" not in html and "2008/50/EC" not in html
    # a few hours of this year: every limit value is "nicht bewertbar", none "überschritten"
    results = re.findall(r'data-result="([^"]+)">([^<]+)', html)
    assert results and {r for r in results} == {("not assessable", "nicht bewertbar ")}
    assert "überschritten" not in html.split("<table", 1)[1]


def test_a_year_with_enough_hours_is_judged(client, station):
    thing, stream = station
    start = datetime(2025, 1, 1, tzinfo=local_zone()).astimezone(UTC)
    hours = 8760
    values = [(start + timedelta(hours=h), 60.0 if h < 24 * 40 else 20.0) for h in range(hours)]
    foi = Observation.objects.filter(datastream=stream).first().feature_of_interest
    Observation.objects.bulk_create(  # a year of hourly values at once (the API is slower)
        Observation(datastream=stream, feature_of_interest=foi, phenomenon_time_start=t,
                    result=v, result_number=v)
        for t, v in values
    )
    page = client.get(f"/umwelt/messstellen/{thing.pk}/grenzwerte/", {"jahr": 2025})
    html = page.content.decode()
    results = dict(re.findall(r'<td role="cell" data-label="Rechtsgrundlage">([^<(]+?)'
                              r'(?: \(ab \d+\))?</td>.*?data-result="([^"]+)"', html, re.S))
    assert results["Richtlinie 2008/50/EG, Anhang XI Abschnitt B; 39. BImSchV § 4 Abs. 1"] == (
        "exceeded")  # 40 days above 50 µg/m³, 35 permitted
    assert results["Richtlinie 2008/50/EG, Anhang XI Abschnitt B; 39. BImSchV § 4 Abs. 2"] == "met"


def test_the_station_page_gives_the_index_its_hour_and_health_advice(client, station):
    thing, stream = station
    now = timezone.now().replace(minute=10, second=0, microsecond=0)
    add_observations(stream, [(now.isoformat(), 90.0)])  # hour's mean with 31.5: class 4
    html = client.get(f"/umwelt/messstellen/{thing.pk}/").content.decode()
    assert 'data-role="index-level" data-level="4"' in html
    assert "sollten sich im Freien nicht körperlich anstrengen" in html  # class 4's advice
    hour = timezone.localtime(now).replace(minute=0)
    assert f"Stundenmittel ab {hour:%d.%m.%Y, %H:%M} Uhr" in html
    missing = "Nicht berücksichtigt, weil diese Messstelle sie nicht misst: NO₂, PM2,5, O₃, SO₂."
    assert missing in html


def test_demo_data_is_marked_on_every_page(client):
    load_demo(days=1)
    demo = Thing.objects.get(properties__demoKey="hbf")
    for path in ("/umwelt/", "/umwelt/wasser/", "/umwelt/boden/", f"/umwelt/messstellen/{demo.pk}/",
                 f"/umwelt/messstellen/{demo.pk}/grenzwerte/"):
        html = client.get(path).content.decode()
        assert 'data-role="demo-note"' in html, path
        assert "erfundene Beispiele" in html, path


def test_real_data_carries_no_demo_note(client, station):
    for path in ("/umwelt/", f"/umwelt/messstellen/{station[0].pk}/"):
        assert 'data-role="demo-note"' not in client.get(path).content.decode()


@pytest.mark.parametrize(
    ("header", "expected"), [(None, None), ("41", 41), (" 7 ", 7), ("abc", None), ("-1", None),
                             ("9" * 30, None)]
)
def test_last_event_id(header, expected):
    assert live.last_event_id(header) == expected


def test_the_live_stream_bypasses_the_thread_pool():
    assert live.PATH in threads.STREAMING_PATHS


@pytest.mark.django_db(transaction=True)
def test_the_live_stream_sends_new_observations_and_resumes_after_an_id():
    _, stream = make_thing_with_datastream("Live")
    add_observations(stream, [(timezone.now().isoformat(), 1)])
    events = live.stream_sync(None)
    assert next(events).startswith(b"retry: 5000")
    made = add_observations(stream, [((timezone.now() + timedelta(seconds=1)).isoformat(), 95)])
    chunk = next(events).decode()
    assert chunk.startswith(f"id: {made[0].pk}\nevent: observations\n")
    values = json.loads(chunk.split("data: ", 1)[1])
    assert values == [{"datastream": stream.pk, "time": values[0]["time"], "value": 95,
                       "level": 5}]
    events.close()
    # a reconnecting browser sends the last id it saw and gets what came after
    later = add_observations(stream, [((timezone.now() + timedelta(seconds=2)).isoformat(), 2)])
    resumed = live.stream_sync(made[0].pk)
    next(resumed)
    assert next(resumed).decode().startswith(f"id: {later[0].pk}\n")
    resumed.close()
    live.hub.close()


def test_the_live_view_answers_an_event_stream(client, db):
    response = client.get("/umwelt/live")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert next(iter(response.streaming_content)).startswith(b"retry:")
    response.close()


@pytest.mark.django_db(transaction=True)
def test_the_live_view_resumes_after_the_id_the_page_gives(client):
    """After a 503 the page opens a new EventSource with ?after=<the last id it saw>."""
    _, stream = make_thing_with_datastream("Live nach")
    made = add_observations(stream, [(timezone.now().isoformat(), 1), (
        (timezone.now() + timedelta(seconds=1)).isoformat(), 2)])
    response = client.get("/umwelt/live", {"after": str(made[0].pk)})
    events = iter(response.streaming_content)
    assert next(events).startswith(b"retry:")
    assert next(events).decode().startswith(f"id: {made[1].pk}\n")
    response.close()
    live.hub.close()


def test_a_full_live_stream_answers_503_with_retry_after(client, db, monkeypatch):
    monkeypatch.setenv("SMARTCITY_LIVE_MAX_CLIENTS", "1")
    key, _ = live.hub.listen(lambda update: None, None)
    try:
        busy = client.get("/umwelt/live")
        assert busy.status_code == 503
        assert busy["Retry-After"] == "30"
        assert live.hub.listening == 1  # the refused client was not added
    finally:
        live.hub.leave(key)
        live.hub.close()
    again = client.get("/umwelt/live")
    assert again.status_code == 200
    again.close()


@pytest.mark.parametrize(
    "path",
    [
        "/umwelt/messstellen/99999999999999999999999/",  # beyond a 64-bit id: no such page
        "/umwelt/messstellen/99999999999999999999999/grenzwerte/",
        "/umwelt/messstellen/999999999999999999/",  # 18 digits: a valid id nobody has
        "/umwelt/messstellen/0/grenzwerte/",
    ],
)
def test_ids_nobody_has_are_a_404_whatever_their_size(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_asgi_stream_sends_new_observations_from_the_event_loop():
    """Under ASGI a listener is an asyncio queue fed by the poller thread."""
    import asyncio
    import threading

    from asgiref.sync import sync_to_async
    from django.db import connection

    _, stream = make_thing_with_datastream("Async")
    add_observations(stream, [(timezone.now().isoformat(), 1)])

    async def listen() -> bytes:
        events = live.stream_async(None)
        assert (await events.__anext__()).startswith(b"retry: 5000")
        later = (timezone.now() + timedelta(seconds=1)).isoformat()
        await sync_to_async(add_observations)(stream, [(later, 42)])
        chunk = await asyncio.wait_for(events.__anext__(), 10)
        await events.aclose()
        await sync_to_async(lambda: connection.close())()  # that thread's own connection
        return chunk

    found: list[bytes] = []
    # a loop of its own in a thread of its own: the browser tests' Playwright may be
    # running one in this thread
    runner = threading.Thread(target=lambda: found.append(asyncio.run(listen())))
    try:
        runner.start()
        runner.join(30)
    finally:
        live.hub.close()
    (chunk,) = found
    assert b"event: observations" in chunk and b'"value":42' in chunk


def test_the_overview_explains_the_classes_for_health(client, station):
    html = client.get("/umwelt/").content.decode()
    advice = re.search(r'<details class="advice">(.*?)</details>', html, re.S)
    assert advice, "no health advice"
    items = re.findall(r"<li[^>]*>(.*?)</li>", advice[1], re.S)
    assert len(items) == 5
    assert items[0].startswith("Sehr gut: ") and items[4].startswith("Sehr schlecht: ")


def test_the_map_gives_an_air_station_the_index_of_its_page(client, station):
    """The newest single value and the hour's mean (with the fixture's 31.5) fall into
    different classes; map and station page both show the mean's class."""
    thing, stream = station
    add_observations(stream, [((timezone.now() + timedelta(seconds=1)).isoformat(), 100.0)])
    data = _page_data(client.get("/umwelt/").content.decode())
    (entry,) = [s for s in data["stations"] if s["thing"] == thing.pk]
    api = client.get(f"/api/v1/environment/things/{thing.pk}/air-quality").json()
    assert entry["index"] == api
    page = client.get(f"/umwelt/messstellen/{thing.pk}/").content.decode()
    assert f'data-role="index-level" data-level="{api["index"]}"' in page
    assert entry["streams"][0]["level"] != api["index"]  # the table's per-value class
