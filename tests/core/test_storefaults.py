"""A store that cannot write now (core.storefaults): a write is a 503 with a message and
Retry-After, nothing is stored, reads go on; on SQLite made read-only (query_only) or full
(max_page_count), on PostgreSQL made read-only (default_transaction_read_only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from smartcity.sensors.models import Thing

STA = "/sta/v1.1/"


@pytest.fixture
def writer(client, transactional_db):
    from smartcity.core.tokens import create_token

    _, secret = create_token("Schreiber", ["sta:write"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def _pragma(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture(params=["read-only", "full"])
def unwritable(request, writer) -> Iterator[None]:
    if connection.vendor == "sqlite":
        if request.param == "read-only":
            _pragma("PRAGMA query_only = ON")
            yield
            _pragma("PRAGMA query_only = OFF")
        else:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")  # no free pages left inside the file to write to
                pages = cursor.execute("PRAGMA page_count").fetchone()[0]
                before = cursor.execute("PRAGMA max_page_count").fetchone()[0]
            _pragma(f"PRAGMA max_page_count = {pages}")
            yield
            _pragma(f"PRAGMA max_page_count = {before}")
    else:
        if request.param == "full":
            pytest.skip("a full disk is not made on a shared PostgreSQL server")
        _pragma("SET default_transaction_read_only = on")
        yield
        _pragma("SET default_transaction_read_only = off")


def test_a_write_is_a_503_and_reads_go_on(writer, unwritable):
    before = Thing.objects.count()
    big = {"name": "Neue Station", "description": "x" * 200_000}  # needs new pages
    answer = writer.post(STA + "Things", big, content_type="application/json")
    assert answer.status_code == 503, answer.content
    assert answer["Retry-After"] == "60"
    assert "read-only" in answer.json()["message"]
    assert writer.get(STA + "Things").status_code == 200
    assert Thing.objects.count() == before


def test_the_stores_own_codes_say_what_cannot_write():
    import sqlite3

    import psycopg.errors
    from django.db import OperationalError

    from smartcity.core.storefaults import unavailable

    def wrapped(cause: BaseException) -> OperationalError:
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error

    assert unavailable(wrapped(psycopg.errors.DiskFull("no space left on device")))
    assert unavailable(wrapped(psycopg.errors.ReadOnlySqlTransaction("read-only")))
    assert not unavailable(wrapped(psycopg.errors.UniqueViolation("duplicate key")))
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"
    assert unavailable(wrapped(full))
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorname = "SQLITE_BUSY"
    assert not unavailable(wrapped(locked))
