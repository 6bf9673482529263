"""Every request's time budget (core.deadline): a statement still running when the budget
is spent is stopped by the store itself, on SQLite and PostgreSQL, and the request is a 400
that names the setting; work outside a request keeps no limit."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection

from smartcity.core import deadline

ENDLESS = {  # a statement that would run for a very long time
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) FROM c",
    "postgresql": "SELECT pg_sleep(30)",
}


@pytest.fixture
def limit(monkeypatch, transactional_db) -> Iterator[float]:
    monkeypatch.setenv("SMARTCITY_REQUEST_TIME_LIMIT", "0.5")
    yield 0.5
    if connection.connection is not None:
        deadline.reset_pooled(connection.connection)  # as the pool does on return


def _run_endless() -> None:
    with connection.cursor() as cursor:
        cursor.execute(ENDLESS[connection.vendor])


def test_a_statement_past_the_deadline_is_stopped_by_the_store(limit):
    started = time.monotonic()
    with deadline.held_to(limit), pytest.raises(deadline.TimeExceeded) as raised:
        _run_endless()
    assert time.monotonic() - started < 10  # stopped, not run to its end
    assert "SMARTCITY_REQUEST_TIME_LIMIT" in raised.value.message
    with connection.cursor() as cursor:  # the connection is still good
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_outside_a_request_there_is_no_deadline(limit):
    with deadline.scope(limit):
        pass
    assert not deadline.passed()
    assert deadline.sqlite_progress() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_pooled_connection_goes_back_without_the_timeout(limit):
    with deadline.held_to(limit), connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("500ms",)
    deadline.reset_pooled(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)


def test_a_request_over_its_budget_is_a_400_naming_the_setting(client, db, monkeypatch):
    monkeypatch.setenv("SMARTCITY_REQUEST_TIME_LIMIT", "0.000001")  # spent at once
    answer = client.get("/sta/v1.1/Things")
    assert answer.status_code == 400
    assert "SMARTCITY_REQUEST_TIME_LIMIT" in answer.json()["message"]
    page = client.get("/umwelt/")
    assert page.status_code == 400 and b"SMARTCITY_REQUEST_TIME_LIMIT" in page.content
    monkeypatch.setenv("SMARTCITY_REQUEST_TIME_LIMIT", "30")
    assert client.get("/sta/v1.1/Things").status_code == 200
