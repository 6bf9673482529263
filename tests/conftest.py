"""Fixtures shared by more than one domain's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from smartcity.core import tasks


@pytest.fixture
def consumer() -> Iterator[Any]:
    """A real task consumer (threads, no periodic tasks) on an emptied queue."""
    tasks.queue.flush()
    running = tasks.create_consumer(embedded=True, periodic=False)
    running.start()
    yield running
    running.stop(graceful=True)
    tasks.queue.flush()


@pytest.fixture
def admin_client(admin_user: Any) -> Any:
    """pytest-django's admin_client, past the second factor the back office asks for."""
    from django.test import Client

    from tests.staff import verified_login

    return verified_login(Client(), admin_user)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any) -> Iterator[None]:
    """pytest-django's, and at the end the audit alias's PostgreSQL pool closed first: it
    is a second connection to the test database (core/audit.py), which Django's
    tear-down does not close, so the database could not be dropped."""
    yield
    from django.db import connections

    if connections["audit"].vendor == "postgresql":
        connections["audit"].close()  # its connection back to the pool, then the pool
        connections["audit"].close_pool()
