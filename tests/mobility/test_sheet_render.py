"""The budget of the departure sheet's PDF (mobility/sheet_render.py): many requests at
once for sheets that are not yet rendered get at most SMARTCITY_MOBILITY_SHEET_MAX_RENDERS
renders, the others a 503 with Retry-After and a German page, never a 500; a rendered
sheet is served from the cache (per stop and day) whatever the cap, and not with
SMARTCITY_MOBILITY_SHEET_CACHE_SECONDS=0."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest
from django.core.cache import cache
from django.utils import timezone

from smartcity.mobility import sheet_render
from tests.mobility import page_city

pytestmark = pytest.mark.django_db(transaction=True)
BUSY = "Gerade werden so viele Aushänge als PDF erstellt"


@pytest.fixture(autouse=True)
def _nothing_cached():
    cache.clear()
    yield
    cache.clear()


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    answer = httpx.get(url, timeout=120)
    return answer.status_code, dict(answer.headers), answer.content


def test_a_burst_of_requests_gets_at_most_the_cap_of_renders(live_server, monkeypatch):
    """Six sheets of a stop served all day (about 200 departures, seconds each to render),
    asked for at the same moment by six clients, with a cap of two."""
    monkeypatch.setenv("SMARTCITY_MOBILITY_SHEET_MAX_RENDERS", "2")
    station = page_city.build()
    today = timezone.localdate()
    urls = [
        f"{live_server.url}/mobilitaet/haltestelle/{station.pk}/aushang.pdf"
        f"?datum={today + timedelta(days=n)}"
        for n in range(6)
    ]  # six days: six PDFs that are not in the cache
    start = threading.Barrier(len(urls))
    answers: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def ask(url: str) -> None:
        start.wait()
        answers[url] = _get(url)

    clients = [threading.Thread(target=ask, args=(url,)) for url in urls]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    statuses = sorted(status for status, _headers, _body in answers.values())
    rendered = [body for status, _headers, body in answers.values() if status == 200]
    assert 1 <= len(rendered) <= 2, statuses  # never more renders at once than the cap
    assert statuses.count(503) == len(urls) - len(rendered), statuses  # and no 500
    assert all(body.startswith(b"%PDF-") for body in rendered)
    refused = [url for url, (status, _headers, _body) in answers.items() if status == 503]
    for url in refused:
        _status, headers, body = answers[url]
        assert headers["retry-after"] == str(sheet_render.RETRY_AFTER)
        assert BUSY in body.decode() and "aushang/?datum=" in body.decode()
    # once the burst is over, a refused sheet is rendered; a rendered one is cached
    status, _headers, body = _get(refused[0])
    assert status == 200 and body.startswith(b"%PDF-")


def _hold_every_slot(monkeypatch) -> threading.BoundedSemaphore:
    monkeypatch.setenv("SMARTCITY_MOBILITY_SHEET_MAX_RENDERS", "1")
    slots = sheet_render._render_slots()
    assert slots.acquire(blocking=False)  # as a render running in another thread would
    return slots


# days outside the timetable's: a sheet of one page, quick to render
QUIET, QUIETER = "?datum=2100-01-01", "?datum=2100-01-02"


def test_a_cached_sheet_is_served_while_every_slot_is_taken(client, monkeypatch):
    station = page_city.build()
    url = f"/mobilitaet/haltestelle/{station.pk}/aushang.pdf"
    first = client.get(url + QUIET)
    assert first.status_code == 200
    slots = _hold_every_slot(monkeypatch)
    try:
        again = client.get(url + QUIET)  # the same stop and day: from the cache
        assert again.status_code == 200 and again.content == first.content
        other = client.get(url + QUIETER)
        assert other.status_code == 503 and other["Retry-After"] == "5"
        assert BUSY in other.content.decode()
    finally:
        slots.release()


def test_without_a_cache_every_request_renders(client, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MOBILITY_SHEET_CACHE_SECONDS", "0")
    station = page_city.build()
    url = f"/mobilitaet/haltestelle/{station.pk}/aushang.pdf"
    assert client.get(url + QUIET).status_code == 200
    slots = _hold_every_slot(monkeypatch)
    try:
        assert client.get(url + QUIET).status_code == 503  # nothing was kept
    finally:
        slots.release()
