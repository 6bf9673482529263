"""Django's SQLite backend with one writer per process.

SQLite allows one write transaction at a time. When several threads of a server process
start one, the losers wait in SQLite's busy handler, which sleeps in growing steps and so
leaves the database idle while writers queue. Here write transactions (Django's
``BEGIN IMMEDIATE``) first take a process-wide lock of their file, so a waiting thread is
woken the moment the previous writer commits. Other processes still meet SQLite's own
locking. The lock is the file's, not the process's: the audit log's file
(core/audit.py) is written while a transaction of the store holds its lock.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.backends.sqlite3 import base

_writers: dict[str, threading.Lock] = {}
_writers_guard = threading.Lock()


def _writer_of(name: str) -> threading.Lock:
    with _writers_guard:
        return _writers.setdefault(name, threading.Lock())


# The private hooks below are not in django-stubs, hence the type: ignore[misc] on each.
class DatabaseWrapper(base.DatabaseWrapper):
    _held_writer: threading.Lock | None = None

    def _start_transaction_under_autocommit(self) -> None:
        writer = _writer_of(str(self.settings_dict["NAME"]))
        writer.acquire()
        self._held_writer = writer
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer()
            raise

    def _release_writer(self) -> None:
        writer, self._held_writer = self._held_writer, None
        if writer is not None:
            writer.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_writer()
