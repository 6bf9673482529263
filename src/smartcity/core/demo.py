"""The demo-data registry: each domain registers a loader for its part of the Hamm demo
city (its ``Domain.demo``, see core.contract), and ``smartcity demo`` runs them all, in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


Loader = Callable[..., dict[str, int]]
_loaders: dict[str, Loader] = {}


def register(name: str, loader: Loader) -> None:
    """``loader(days=..., progress=...)`` must be idempotent and return counts of what it added."""
    _loaders[name] = loader


def load_all(*, days: int = 28, progress: Progress | None = None) -> dict[str, int]:
    totals: dict[str, int] = {}
    for loader in _loaders.values():
        for key, value in loader(days=days, progress=progress).items():
            totals[key] = totals.get(key, 0) + value
    return totals
