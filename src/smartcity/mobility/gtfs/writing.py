"""What the stages of a GTFS load share: the state of one load (the kept stops, trips and
services) and writing rows in batches, each batch its own short transaction."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction

from smartcity.core.geo import BBox
from smartcity.core.importers import ImportReport
from smartcity.mobility.gtfs import tables
from smartcity.mobility.models import TransitVersion

BATCH = 5000  # rows per statement and per transaction


@dataclass
class Loading:
    """What one load knows so far: the kept stops, trips, routes and services."""

    archive: zipfile.ZipFile
    version: TransitVersion
    area: BBox
    report: ImportReport
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    stops: dict[str, tuple[int, str]] = field(default_factory=dict)  # stop_id: (pk, name)
    trips: dict[str, int] = field(default_factory=dict)  # trip_id: pk
    services: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def rows(
        self, name: str, required: tuple[str, ...] = (), only: tuple[str, ...] | None = None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        info = self.members.get(name)
        if info is not None:
            yield from tables.rows(self.archive, info, required, only)

    def kept(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n
        self.report.count("created", table.removesuffix(".txt"), n)


def batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def write(model: type, objects: Iterable[Any]) -> list[Any]:
    """bulk_create in batches, each its own transaction; returns the objects with pks."""
    written: list[Any] = []
    for batch in batches(objects):
        with transaction.atomic():
            written += model.objects.bulk_create(batch)  # type: ignore[attr-defined]
    return written


def whole_row(row: dict[str, str]) -> None:
    if "" in row:
        raise ValueError(row[""])


def flush(sql: str, pending: list[tuple[Any, ...]]) -> int:
    n = len(pending)
    if n:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, pending)
        pending.clear()
    return n
