"""One writer per process on SQLite: concurrent write transactions queue on a lock instead
of failing or sleeping in SQLite's busy handler, and the lock is always released. The lock
is the file's: a write transaction of the audit log's file (core/audit.py) starts while
one of the store holds the store's lock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from smartcity.core.backends.sqlite import base
from smartcity.core.models import ApiToken

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "audit"])]


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the writer lock belongs to the SQLite backend")


def _store_writer():
    return base._writer_of(str(connection.settings_dict["NAME"]))


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
    assert not _store_writer().locked()


def test_lock_is_released_after_a_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        ApiToken.objects.create(name="gone", prefix="x", secret_hash="f" * 64)
        raise RuntimeError("roll back")
    assert not _store_writer().locked()
    assert not ApiToken.objects.filter(name="gone").exists()


def test_the_audit_file_has_a_lock_of_its_own():
    from smartcity.core import audit
    from smartcity.core.audit import AuditEvent

    with transaction.atomic():
        ApiToken.objects.create(name="held", prefix="x", secret_hash="e" * 64)
        assert _store_writer().locked()
        with transaction.atomic(using="audit"):  # would wait forever on one shared lock
            audit.record(None, audit.READ, "administration.application", "p", "case")
    assert AuditEvent.objects.filter(object_id="p").exists()
    assert connections["audit"].settings_dict["NAME"] != connection.settings_dict["NAME"]
    assert not _store_writer().locked()
