"""The importer registry: each domain declares the public or city sources it can read
(``Domain.importers``, see core.contract), and ``smartcity import SOURCE`` and the
scheduler run them by name. Built-in importers register here like any third-party one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


@dataclass
class ImportReport:
    """What one run did. ``rejected`` lists (where, reason) for every record left out."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def count(self, kind: str, key: str, n: int = 1) -> None:
        table = self.created if kind == "created" else self.skipped
        table[key] = table.get(key, 0) + n


@dataclass(frozen=True)
class Importer:
    name: str  # e.g. "sensor-community"
    help: str  # one line, shown by `smartcity import --help`
    run: Callable[..., ImportReport]  # run(payload, *, progress=None, **options)
    fetch: Callable[..., Any]  # fetch(**options) -> payload, from the source over HTTP


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.name] = importer


def get(name: str) -> Importer:
    return _importers[name]


def names() -> list[str]:
    return sorted(_importers)
