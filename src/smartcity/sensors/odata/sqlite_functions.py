"""SQLite stand-ins for the PostgreSQL/PostGIS functions the $filter compiler emits."""

from __future__ import annotations

import sqlite3


def register(raw: sqlite3.Connection) -> None:
    """Register the STA functions on a raw SQLite connection (filled in by the compiler)."""
