"""The syntax tree of a $filter or $orderby expression. Every node knows the character
position it starts at, so the compiler can say where a type or name error is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class LitKind(Enum):
    STRING = "string"
    NUMBER = "number"
    BOOL = "boolean"
    NULL = "null"
    DATETIME = "datetime"
    DATE = "date"
    TIMEOFDAY = "time of day"
    INTERVAL = "interval"
    DURATION = "duration"
    GEOMETRY = "geometry"


@dataclass(frozen=True)
class Node:
    pos: int


@dataclass(frozen=True)
class Literal(Node):
    """A constant. ``value`` is str, int, float, bool, None, datetime, date, time,
    timedelta, (datetime, datetime) for an interval, or WKT text for a geometry."""

    kind: LitKind
    value: Any


@dataclass(frozen=True)
class Path(Node):
    """``name``, ``Datastream/Thing/name`` or ``properties/a/b``: resolved by the compiler,
    which knows which segments are navigations, properties or JSON members."""

    segments: tuple[str, ...]


@dataclass(frozen=True)
class Call(Node):
    name: str  # lower case, e.g. "startswith", "geo.distance"
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Binary(Node):
    op: str  # eq ne gt ge lt le and or add sub mul div mod
    left: Node
    right: Node


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "not" or "-"
    operand: Node


@dataclass(frozen=True)
class OrderItem:
    expr: Node
    descending: bool = False


COMPARISONS = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})
LOGICAL = frozenset({"and", "or"})
ARITHMETIC = frozenset({"add", "sub", "mul", "div", "mod"})


def walk(node: Node) -> list[Node]:
    """``node`` and all nodes below it, depth first."""
    found: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if isinstance(current, Binary):
            stack.extend((current.right, current.left))
        elif isinstance(current, Unary):
            stack.append(current.operand)
        elif isinstance(current, Call):
            stack.extend(reversed(current.args))
    return found
