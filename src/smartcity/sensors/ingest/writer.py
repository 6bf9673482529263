"""Group commit for single observations on SQLite: many request threads, one writer.

SQLite takes one write transaction at a time. When every request thread runs its own
short transaction, the threads queue on the write lock and hand the interpreter lock back
and forth between each statement, and that contention, not the writing, limits how many
observations a process takes per second. Here request threads prepare their row, hand it
to one writer thread and wait; the writer takes whatever has queued up meanwhile and
writes it in one transaction: the INSERTs, one extent UPDATE per stream, one COMMIT.
A request is answered only after its transaction committed, so an answered observation
is stored. If a transaction fails, its jobs are written again one by one, so one bad
row (a stream deleted a moment ago) fails only its own request.

Writes inside a caller's transaction (a $batch change set, tests) and writes on
PostgreSQL, which commits concurrent transactions side by side, do not come here.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import close_old_connections, connection, transaction

from smartcity.sensors.ingest.observations import Extent, extend_stream
from smartcity.sensors.models import Datastream, MultiDatastream

log = logging.getLogger("smartcity.sensors.ingest.writer")
_BATCH = 500  # jobs per transaction at most

StreamModel = type[Datastream] | type[MultiDatastream]
Insert = Any  # callable(row) -> new id, run in the writer's transaction


@dataclass
class _Job:
    row: tuple[Any, ...]
    model: StreamModel
    stream: int
    extent: Extent
    insert: Insert
    done: threading.Event = field(default_factory=threading.Event)
    pk: int | None = None
    error: BaseException | None = None


class GroupWriter:
    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None  # started on first use
        self._start = threading.Lock()

    def write(
        self, row: tuple[Any, ...], model: StreamModel, stream: int, extent: Extent, insert: Insert
    ) -> int:
        """Write one observation row and widen its stream's extent; return the new id once
        the transaction holding it has committed (or raise what writing it raised)."""
        job = _Job(row, model, stream, extent, insert)
        self._ensure_thread()
        self._jobs.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        assert job.pk is not None
        return job.pk

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="smartcity-writer", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._jobs.get()]
            while len(batch) < _BATCH:
                try:
                    batch.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            self._write_batch(batch)

    def _write_batch(self, batch: list[_Job]) -> None:
        try:
            close_old_connections()
            with transaction.atomic():
                for job in batch:
                    job.pk = job.insert(job.row)
                for (model, stream), extent in _merged_extents(batch).items():
                    extend_stream(model, stream, extent)
        except Exception as error:
            if len(batch) == 1:
                batch[0].pk, batch[0].error = None, error
                log.warning(
                    "observation for %s %s not written: %s",
                    batch[0].model.__name__,
                    batch[0].stream,
                    error,
                )
                batch[0].done.set()
                return
            for job in batch:  # find the one that failed; the others are written alone
                self._write_batch([job])
            return
        for job in batch:
            job.done.set()


def _merged_extents(batch: list[_Job]) -> dict[tuple[StreamModel, int], Extent]:
    merged: dict[tuple[StreamModel, int], Extent] = {}
    for job in batch:
        key = (job.model, job.stream)
        if key in merged:
            merged[key].merge(job.extent)
        else:
            merged[key] = replace(job.extent)
    return merged


_writer = GroupWriter()


def grouped() -> bool:
    """Whether writes here go through the group writer: SQLite, outside a transaction."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block


def write(
    row: tuple[Any, ...], model: StreamModel, stream: int, extent: Extent, insert: Insert
) -> int:
    return _writer.write(row, model, stream, extent, insert)
