"""Writing many rows at once, the fastest way each store offers: one ``executemany`` on
SQLite, ``COPY`` on PostgreSQL. Values are converted here per column kind, because
Django's per-field adapters cost more than the insert itself at this volume.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from django.db import connection

TIME, JSON, PLAIN = "time", "json", "plain"
_ZERO = timedelta(0)


def _sqlite_time(value: datetime | None) -> str | None:
    # Django's SQLite format: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]"
    if value is None:
        return None
    if value.utcoffset() != _ZERO:
        value = value.astimezone(UTC)
    return value.isoformat(" ")[:-6]  # drop the "+00:00"


def _json_text(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def converters(kinds: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    """Per-column conversions for the store in use (None: pass the value as it is)."""
    sqlite = connection.vendor == "sqlite"
    table: dict[str, Callable[[Any], Any] | None] = {
        TIME: _sqlite_time if sqlite else None,  # psycopg adapts aware datetimes itself
        JSON: _json_text,
        PLAIN: None,
    }
    return [table[kind] for kind in kinds]


def write_rows(
    table: str,
    columns: Sequence[str],
    kinds: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
) -> None:
    """Insert ``rows`` (values in ``columns`` order) into ``table``. With ``kinds``, values
    are converted here; without, the rows already hold what the driver takes."""
    prepared: Iterable[Sequence[Any]] = rows
    if kinds is not None:
        convert = converters(kinds)
        prepared = (
            [value if fn is None else fn(value) for fn, value in zip(convert, row, strict=True)]
            for row in rows
        )
    quoted = connection.ops.quote_name(table)
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        # sqlite3's own executemany, fed the iterator as it is: Django's wrapper copies
        # it into a tee (to peek for named parameters), which costs a tenth of the insert.
        placeholders = ", ".join(["?"] * len(columns))
        with connection.wrap_database_errors:
            sqlite3.Cursor.executemany(
                cursor.cursor, f"INSERT INTO {quoted} ({names}) VALUES ({placeholders})", prepared
            )
