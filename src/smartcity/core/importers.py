"""The importer contract and registry: each domain declares the public or city sources it
can read (``Domain.importers``, see core.contract), and ``smartcity import SOURCE`` and the
scheduler run them by name through :func:`run`. Built-in importers register here like any
third-party one.

An importer streams: ``read(source, report, **options)`` takes its records from a
:class:`~smartcity.core.sources.Source` one at a time (``core.sources.json_records`` for
JSON), writes what it has mapped in bounded batches, and says per record what was wrong
(``report.record(where)`` catches a record's KeyError, TypeError, ValueError or
IndexError as its rejection). ``locate(**options)`` says where the live source is: an
https URL, or a stream it builds (a source of several answers). :func:`run` opens the
source, reports progress in bytes read, and records a source that cannot be read on as
the report's ``failure``, keeping what was imported before it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from smartcity.core import config
from smartcity.core.sources import Rejected, Source, SourceError, open_source


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


RECORD_ERRORS = (KeyError, TypeError, ValueError, IndexError)


def reason(error: Exception) -> str:
    """Why a record was rejected, in words."""
    if isinstance(error, KeyError):
        return f"missing member {error.args[0]!r}"
    return str(error) or type(error).__name__


@dataclass
class ImportReport:
    """What one run did. ``rejected`` lists (where, reason) for every record left out;
    ``failure`` says why the source could not be read to its end, if it could not."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    failure: str = ""

    def count(self, kind: str, key: str, n: int = 1) -> None:
        table = self.created if kind == "created" else self.skipped
        table[key] = table.get(key, 0) + n

    def reject(self, where: str, why: str) -> None:
        self.rejected.append((where, why))

    @contextmanager
    def record(self, where: str) -> Iterator[None]:
        """Handle one record: a KeyError, TypeError, ValueError or IndexError inside
        rejects it at ``where`` with its reason, and the import goes on."""
        try:
            yield
        except SourceError:
            raise
        except RECORD_ERRORS as error:
            self.reject(where, reason(error))


@dataclass(frozen=True)
class Importer:
    name: str  # e.g. "sensor-community"
    help: str  # one line, shown by `smartcity import --help`
    read: Callable[..., None]  # read(source, report, **options): records in, rows written
    locate: Callable[..., Any]  # locate(**options) -> the live source: an https URL or a stream


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.name] = importer


def get(name: str) -> Importer:
    return _importers[name]


def names() -> list[str]:
    return sorted(_importers)


def options_of(function: Callable[..., Any]) -> set[str] | None:
    """The keyword-only options a function takes, or None if it takes any (``**options``)."""
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    return {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}


def _for(function: Callable[..., Any], options: dict[str, Any]) -> dict[str, Any]:
    accepted = options_of(function)
    return dict(options) if accepted is None else {k: options[k] for k in options if k in accepted}


def check_options(importer: Importer, options: dict[str, Any]) -> None:
    """ValueError unless ``locate`` or ``read`` takes each option."""
    known: set[str] = set()
    for function in (importer.locate, importer.read):
        accepted = options_of(function)
        if accepted is None:
            return
        known |= accepted
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"{importer.name} does not know the option(s) {sorted(unknown)}")


def run(
    importer: Importer,
    source: Any = None,
    *,
    progress: Progress | None = None,
    **options: Any,
) -> ImportReport:
    """Import from ``source`` (a path, https URL, binary stream or bytes), or from the
    live source ``importer.locate(**options)`` names. Opening it may raise OSError or
    ValueError; once open, nothing the source sends raises: a record that is wrong is in
    ``rejected``, a source that breaks off is the ``failure``."""
    check_options(importer, options)
    where = source if source is not None else importer.locate(**_for(importer.locate, options))
    report = ImportReport()
    with open_source(where) as stream:
        stream.record_limit = config.get("IMPORT_RECORD_BYTES")
        if progress is not None:
            stream.on_read = _reporter(stream, importer.name, progress)
        try:
            importer.read(stream, report, **_for(importer.read, options))
        except Rejected as rejected:
            report.reject(rejected.where, rejected.reason)
        except SourceError as error:
            report.failure = str(error)
        if progress is not None:
            done = max(1, -(-stream.done // 1024))  # KiB, rounded up: the bar ends full
            progress(_stage(importer.name), done, done)
    return report


def _stage(name: str) -> str:
    return f"{name}: gelesen (KiB)"


def _reporter(stream: Source, name: str, progress: Progress) -> Callable[[], None]:
    stage = _stage(name)

    def report() -> None:
        total = (stream.total or 0) // 1024
        done = stream.done // 1024
        progress(stage, min(done, total - 1) if total else done, total)

    return report
