"""What the stages of a GTFS load share: the state of one load (the kept stops, trips and
services) and writing rows in batches, each batch its own short transaction."""

from __future__ import annotations

import queue
import threading
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
WRITER_BATCH = 50_000  # rows per transaction of the stop times' writer (see Writer)


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
    calls: dict[int, set[int]] = field(default_factory=dict)  # route pk: the pks of the
    # stops it calls at (the stop offers' lines, without a pass over the stop times)
    calling: dict[int, set[int]] = field(default_factory=dict)  # trip pk: its route's set
    starts: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # trip_id:
    # (sequence, departure) of its first stop, wherever it lies (frequencies.txt counts
    # from it)
    services: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    def rows(
        self, name: str, required: tuple[str, ...] = (), only: tuple[str, ...] | None = None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        info = self.members.get(name)
        if info is not None:
            yield from tables.rows(self.archive, info, required, only)

    def table(self, name: str, required: tuple[str, ...] = ()) -> tables.Table | None:
        info = self.members.get(name)
        return None if info is None else tables.Table(self.archive, info, required)

    def kept(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n
        self.report.count("created", table.removesuffix(".txt"), n)


def batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def write(model: type, objects: Iterable[Any]) -> Iterator[Any]:
    """bulk_create in batches, each its own transaction; yields the objects with their
    pks, a batch at a time (so a caller that keeps only their keys holds no more)."""
    for batch in batches(objects):
        with transaction.atomic():
            yield from model.objects.bulk_create(batch)  # type: ignore[attr-defined]


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


def insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> int:
    """Insert rows in one transaction: by COPY on PostgreSQL (the fastest way in), by one
    executemany on SQLite."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            cursor.executemany(sql, rows)
    return len(rows)


def insert_all(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
    """:func:`insert` in batches of ``BATCH`` rows, each its own transaction."""
    return sum(insert(table, columns, batch) for batch in batches(rows))


class Writer:
    """Rows inserted in batches beside the reader (:func:`insert`): a thread of its own
    with its own connection executes each batch in its own transaction while the next is
    parsed (the driver lets go of the interpreter while the store works), at most
    ``AHEAD`` batches queued. Inside a transaction (a test, a caller's atomic block) the
    batches are written in line instead: another connection would not see it."""

    AHEAD = 2  # batches of WRITER_BATCH rows: each transaction rewrites the index pages
    # it touches (stop times come in trip order, the board's index is by stop), so fewer,
    # larger ones rewrite each page less often

    def __init__(self, table: str, columns: tuple[str, ...]) -> None:
        self.table, self.columns, self.written = table, columns, 0
        self.pending: list[tuple[Any, ...]] = []
        self.error: BaseException | None = None
        self.queue: queue.Queue[list[tuple[Any, ...]] | None] | None = None
        self.thread: threading.Thread | None = None
        if not connection.in_atomic_block:
            self.queue = queue.Queue(self.AHEAD)
            self.thread = threading.Thread(target=self._run, name="gtfs-writer", daemon=True)
            self.thread.start()

    def add(self, row: tuple[Any, ...]) -> None:
        self.pending.append(row)
        if len(self.pending) >= WRITER_BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.error is not None:
            raise self.error
        batch, self.pending = self.pending, []
        self.written += len(batch)
        if self.queue is None:
            insert(self.table, self.columns, batch)
        else:
            self.queue.put(batch)

    def _run(self) -> None:
        assert self.queue is not None
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        insert(self.table, self.columns, batch)
                    except BaseException as error:  # handed to the reader at its next batch
                        self.error = error
        finally:
            connection.close()

    def close(self) -> int:
        """Write what is left and wait for the writer; returns the rows written. The
        writer's error, if it had one, is raised here."""
        if self.pending:
            self._hand_over()
        self._stop()
        if self.error is not None:
            raise self.error
        return self.written

    def _stop(self) -> None:
        if self.queue is not None and self.thread is not None and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()  # a reader that failed: the writer ends with what it was given
