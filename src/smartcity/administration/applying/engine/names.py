"""How a field's path is written in HTML: its input's name ("kind.vorname",
"kinder.0.vorname") and element id ("f-kind-vorname"), and back."""

from __future__ import annotations

from smartcity.administration.applying.engine.fields import Path


def name(path: Path) -> str:
    return ".".join(str(part) for part in path)


def element_id(path: Path) -> str:
    return "f-" + "-".join(str(part) for part in path)


def split(text: str) -> Path:
    """A name back into its path: digits are list indexes."""
    return tuple(int(p) if p.isdigit() else p for p in text.split(".") if p != "")
