"""Group commit of single observations on SQLite (sensors.writer): every answered write is
stored, concurrent writes share transactions, and a failing one fails alone."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from smartcity.sensors.ingest import observation_post, writer
from smartcity.sensors.ingest.observations import Extent
from smartcity.sensors.models import Datastream, Observation
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the group writer is SQLite's"),
]
START = datetime(2026, 11, 1, tzinfo=UTC)


def _post(stream_id: int, n: int) -> int:
    payload = {"result": n, "phenomenonTime": (START + timedelta(minutes=n)).isoformat(),
               "Datastream": {"@iot.id": stream_id}}
    try:
        assert writer.grouped()
        rows = observation_post.try_create(payload, None)
        assert rows is not None
        return rows.data[0][0]
    finally:
        connection.close()  # each worker thread has its own connection


def test_concurrent_posts_are_all_stored_with_the_streams_extent():
    _, stream = make_thing_with_datastream()
    add_observations(stream, [("2026-10-31T00:00:00Z", 0)])  # generates the feature
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda n: _post(stream.pk, n), range(1, 201)))
    assert len(set(ids)) == 200
    assert Observation.objects.filter(pk__in=ids).count() == 200
    stream = Datastream.objects.get(pk=stream.pk)
    assert stream.phenomenon_time_start == datetime(2026, 10, 31, tzinfo=UTC)
    assert stream.phenomenon_time_end == START + timedelta(minutes=200)


def test_a_failing_write_fails_alone():
    _, stream = make_thing_with_datastream()
    group = writer.GroupWriter()
    extent = Extent(START, START)
    entered = threading.Barrier(3)

    def good(row):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return 1

    def bad(row):
        raise ValueError("kaputt")

    def submit(insert):
        entered.wait()
        try:
            return group.write((), Datastream, stream.pk, extent, insert)
        except ValueError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(submit, [good, bad, good]))
    assert results[0] == results[2] == 1
    assert isinstance(results[1], ValueError)
