"""One writer per process on SQLite: concurrent write transactions queue on a lock instead
of failing or sleeping in SQLite's busy handler, and the lock is always released."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from smartcity.core.backends.sqlite import base
from smartcity.core.models import ApiToken

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the writer lock belongs to the SQLite backend")


def _write(worker: int, errors: list[BaseException]) -> None:
    try:
        for n in range(15):
            with transaction.atomic():
                ApiToken.objects.create(
                    name=f"w{worker}-{n}", prefix="x", secret_hash=f"{worker:02d}{n:062d}"
                )
    except BaseException as error:  # collected for the assertion below
        errors.append(error)
    finally:
        connection.close()


def test_concurrent_writers_all_commit():
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_write, args=(w, errors)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert ApiToken.objects.count() == 8 * 15
    assert not base._writer.locked()


def test_lock_is_released_after_a_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        ApiToken.objects.create(name="gone", prefix="x", secret_hash="f" * 64)
        raise RuntimeError("roll back")
    assert not base._writer.locked()
    assert not ApiToken.objects.filter(name="gone").exists()
