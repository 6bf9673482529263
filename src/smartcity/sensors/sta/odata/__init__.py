"""The SensorThings query language ($filter, $orderby): parse text to a syntax tree, then
compile the tree to Django ORM expressions for one entity type."""

from smartcity.sensors.sta.odata.ast import Node, OrderItem
from smartcity.sensors.sta.odata.compiler import compile_filter, compile_orderby
from smartcity.sensors.sta.odata.parser import parse_filter, parse_orderby

__all__ = [
    "Node",
    "OrderItem",
    "compile_filter",
    "compile_orderby",
    "parse_filter",
    "parse_orderby",
]
