"""FROST's Python client (frost-sta-client, the dev extra) against a real server: it pages
by following the nextLinks until there is none, sends ``ASC``/``DESC`` in capitals and
writes ids in paths as ``@iot.id``. Every entity must come exactly once, in order."""

from __future__ import annotations

from typing import Any

import frost_sta_client as fsc
import pytest

from smartcity.sensors.models import Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the live server's threads see committed rows
    pytest.mark.filterwarnings("ignore:furl.pathstr is deprecated:DeprecationWarning"),
]


@pytest.fixture
def service(live_server: Any) -> fsc.SensorThingsService:
    """The client on pytest-django's live server: the platform served over real HTTP by a
    threaded server, as the browser tests have it."""
    return fsc.SensorThingsService(f"{live_server.url}/sta/v1.1")


def _streams(sizes: list[int]) -> list[Any]:
    made = []
    for i, size in enumerate(sizes):
        _, stream = make_thing_with_datastream(f"S{i}")
        add_observations(
            stream,
            [(f"2026-11-01T{m // 60:02d}:{m % 60:02d}:00Z", i * 100 + m) for m in range(size)],
        )
        made.append(stream)
    return made


def _ids(**ordering: str) -> list[int]:
    return list(Observation.objects.order_by(*ordering.values()).values_list("id", flat=True))


def test_client_pages_through_a_collection_by_its_top(service):
    _streams([35])
    listed = service.observations().query().top(10).orderby("phenomenonTime", "ASC").list()
    assert len(listed.entities) == 10 and listed.next_link  # a first page of four
    seen = [observation.id for observation in listed]
    assert seen == _ids(by="phenomenon_time_start")
    assert len(listed.entities) == 35 and listed.next_link is None


def test_client_pages_through_server_driven_pages(service, monkeypatch):
    monkeypatch.setenv("SMARTCITY_STA_DEFAULT_TOP", "8")
    _streams([13, 12])
    listed = service.observations().query().orderby("@iot.id").list()  # DESC by default
    assert len(listed.entities) == 8
    assert [observation.id for observation in listed] == _ids(by="-id")


def test_client_filters_by_iot_id_of_a_navigation(service):
    streams = _streams([4, 23])
    query = service.observations().query().filter(f"Datastream/@iot.id eq {streams[1].pk}")
    listed = query.top(5).orderby("@iot.id", "ASC").list()
    assert len(listed.entities) == 5
    seen = [(observation.id, observation.result) for observation in listed]
    expected = Observation.objects.filter(datastream=streams[1]).order_by("id")
    assert seen == [(o.pk, o.result) for o in expected] and len(seen) == 23


def test_client_pages_a_datastreams_observations(service):
    streams = _streams([3, 17])
    datastream = service.datastreams().find(streams[1].pk)
    listed = datastream.get_observations().query().top(6).orderby("phenomenonTime").list()
    assert [observation.result for observation in listed] == [100 + m for m in range(17)][::-1]
