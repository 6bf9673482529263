"""Database helpers shared by all domains: the vendor in use and SQLite functions that
stand in for what PostGIS provides natively."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        from smartcity.core import deadline, sqlite_functions

        sqlite_functions.register(connection.connection)
        deadline.install_sqlite(connection.connection)


def install_connection_hooks() -> None:
    connection_created.connect(_on_connection, dispatch_uid="smartcity-sqlite-functions")
