"""The dashboard's live stream in a real browser against the server as it runs in
production (uvicorn, the platform's ASGI application): many page loads get no error, and
a stream dropped behind a reverse proxy comes back by itself and catches up on what was
written while it was away."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from smartcity.environment import dashboard, live
from smartcity.sensors import services
from smartcity.sensors.demo import load_demo
from smartcity.sensors.entities import entity
from smartcity.sensors.models import Thing
from tests.browser.conftest import DESKTOP, RecordedPage
from tests.servers import Gate, asgi_server

pytestmark = pytest.mark.browser
CONNECTED = "verbunden"


@pytest.fixture
def station(transactional_db) -> Iterator[Thing]:
    load_demo(days=1)
    yield Thing.objects.get(properties__demoKey="hbf")
    live.hub.close()  # the poller thread must not outlive the test database


@pytest.fixture
def served(station: Thing) -> Iterator[str]:
    with asgi_server() as url:
        yield url
    live.hub.close()


@pytest.fixture
def gate(served: str) -> Iterator[Gate]:
    port = urlsplit(served).port
    assert port is not None
    relay = Gate(("127.0.0.1", port))
    yield relay
    relay.close()


def _page(browser: Browser, base_url: str) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    yield RecordedPage(context.new_page(), base_url)
    context.close()


@pytest.fixture
def direct_page(browser: Browser, served: str) -> Iterator[RecordedPage]:
    yield from _page(browser, served)


@pytest.fixture
def gated_page(browser: Browser, gate: Gate) -> Iterator[RecordedPage]:
    yield from _page(browser, f"http://127.0.0.1:{gate.port}")


def test_fifty_page_loads_get_no_server_error(direct_page: RecordedPage, station) -> None:
    """Once about one load in four got a 500 from /umwelt/live: a keep-alive connection's
    next request, started by the server from inside the previous one's task."""
    page = direct_page.page
    failed: list[tuple[int, str]] = []
    opened: list[str] = []
    page.on("response", lambda r: r.status >= 500 and failed.append((r.status, r.url)))
    page.on("response", lambda r: r.url.endswith("/live") and opened.append(r.url))
    for number in range(50):
        path = "/umwelt/" if number % 2 == 0 else f"/umwelt/messstellen/{station.pk}/"
        direct_page.open(path)
        page.wait_for_timeout(150)  # as a reader clicking on: the stream is being opened
    expect(page.locator("#live-status")).to_contain_text(CONNECTED, timeout=10000)
    assert failed == []
    assert len(opened) >= 25  # the streams were really asked for


def test_a_dropped_stream_comes_back_and_catches_up(
    gated_page: RecordedPage, gate: Gate, station: Thing
) -> None:
    served_page = gated_page
    served_page.open("/umwelt/")
    status = served_page.page.locator("#live-status")
    expect(status).to_contain_text(CONNECTED, timeout=10000)
    gate.shut()  # the stream is cut and the proxy answers 502
    expect(status).to_contain_text("unterbrochen", timeout=10000)
    stream = station.datastreams.get(observed_property__definition=dashboard.AIR_TEMPERATURE)
    services.create(
        entity("Observation"),
        {  # written while the page is away
            "result": 41.3,
            "phenomenonTime": timezone.now().isoformat(),
            "Datastream": {"@iot.id": stream.pk},
        },
    )
    # The browser's own retry gets a 502 and gives up; then the page retries by itself.
    for _ in range(200):
        if gate.refused >= 2:
            break
        served_page.page.wait_for_timeout(100)
    assert gate.refused >= 2, "the page did not try to reconnect"
    gate.reopen()
    cell = served_page.page.locator(f'tr[data-datastream="{stream.pk}"] [data-cell="value"]')
    expect(cell).to_have_text("41,3\u00a0°C", timeout=20000)
    expect(status).to_contain_text("1 neuer Messwert")
