"""SQL functions registered on every SQLite connection, so the same compiled queries run
on the embedded store that PostgreSQL/PostGIS answers natively.

Domains declare their functions (``Domain.sqlite_functions``; core.contract provides
them); core knows none of them by name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Provider = Callable[[sqlite3.Connection], None]
_providers: list[Provider] = []


def provide(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def register(raw: sqlite3.Connection) -> None:
    for provider in _providers:
        provider(raw)
