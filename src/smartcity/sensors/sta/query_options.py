"""System query options (OGC 18-088 clause 9.3): parsing ``$select``, ``$expand`` (with
nested options), ``$top``, ``$skip``, ``$count``, ``$filter``, ``$orderby``,
``$resultFormat`` and the opaque ``$skiptoken`` of our nextLinks into one typed value.

``$filter`` and ``$orderby`` expressions are parsed by the odata package; this module only
splits the options and checks names against the entity type addressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartcity.core import config
from smartcity.core.errors import ApiError, BadRequest
from smartcity.sensors.entities import EntityType, entity
from smartcity.sensors.sta import budget, odata

KNOWN_OPTIONS = {
    "$select",
    "$expand",
    "$top",
    "$skip",
    "$count",
    "$filter",
    "$orderby",
    "$resultFormat",
    "$skiptoken",
}
EXPAND_OPTIONS = {"$select", "$expand", "$top", "$skip", "$count", "$filter", "$orderby"}


class NotImplementedOption(ApiError):
    status = 501


@dataclass
class ExpandItem:
    navigation: str
    options: QueryOptions


@dataclass
class QueryOptions:
    select: list[str] | None = None
    expand: list[ExpandItem] = field(default_factory=list)
    filter: Any = None  # odata AST node
    orderby: list[Any] = field(default_factory=list)  # odata OrderItem
    top: int | None = None
    skip: int = 0
    count: bool = False
    skiptoken: str | None = None
    result_format: str | None = None
    raw: dict[str, str] = field(default_factory=dict)  # as given, for nextLinks

    def page_size(self) -> int:
        default = config.get("STA_DEFAULT_TOP")
        maximum = config.get("STA_MAX_TOP")
        return min(self.top if self.top is not None else default, maximum)


def parse(params: list[tuple[str, str]], target: EntityType | None) -> QueryOptions:
    """Options from the query string's (name, value) pairs, checked against ``target``."""
    seen: dict[str, str] = {}
    for name, value in params:
        if not name.startswith("$"):
            continue  # other parameters are not ours to judge
        if name not in KNOWN_OPTIONS:
            raise NotImplementedOption(
                f"unsupported query option {name!r}; supported: {', '.join(sorted(KNOWN_OPTIONS))}",
                where=name,
            )
        if name in seen:
            raise BadRequest(f"query option {name} is given twice", where=name)
        seen[name] = value
    return _build(seen, target, prefix="")


def _build(
    values: dict[str, str], target: EntityType | None, prefix: str, depth: int = 0
) -> QueryOptions:
    """Options at ``depth`` levels of $expand below the request's target."""
    options = QueryOptions(raw=dict(values))
    for name, value in values.items():
        where = prefix + name
        if target is None and name not in ("$resultFormat",):
            raise BadRequest(f"{name} does not apply to this resource", where=where)
        _apply(options, name, value, target, where, depth)
    return options


def _apply(
    options: QueryOptions, name: str, value: str, target: EntityType | None, where: str, depth: int
) -> None:
    if name == "$top":
        options.top = _non_negative(value, where)
    elif name == "$skip":
        options.skip = _non_negative(value, where)
    elif name == "$count":
        if value not in ("true", "false"):
            raise BadRequest(f"$count must be true or false, not {value!r}", where=where)
        options.count = value == "true"
    elif name == "$resultFormat":
        if value != "dataArray":
            raise BadRequest(f"unknown $resultFormat {value!r}; supported: dataArray", where=where)
        options.result_format = value
    elif name == "$skiptoken":
        options.skiptoken = value
    else:
        assert target is not None
        if name == "$select":
            options.select = _parse_select(value, target, where)
        elif name == "$filter":
            options.filter = _with_where(odata.parse_filter, value, where)
        elif name == "$orderby":
            options.orderby = _with_where(odata.parse_orderby, value, where)
        elif name == "$expand":
            options.expand = _parse_expand(value, target, where, depth)


def _with_where(parse_fn: Any, value: str, where: str) -> Any:
    try:
        return parse_fn(value)
    except ApiError as error:
        error.where = where
        raise


MAX_SKIP = 2**62  # larger offsets overflow the databases' 64-bit integers


def _non_negative(value: str, where: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise BadRequest(f"{where} must be a non-negative integer, not {value!r}", where=where)
    number = int(value)
    if number > MAX_SKIP:
        raise BadRequest(f"{where} is too large (at most {MAX_SKIP})", where=where)
    return number


def _parse_select(value: str, target: EntityType, where: str) -> list[str]:
    names = [part.strip() for part in value.split(",")]
    for name in names:
        if name.startswith("@iot.") or name in ("id",):
            continue
        if target.property(name) is None and target.navigation(name) is None:
            raise BadRequest(
                f"{target.name} has no property {name!r} to select; known: "
                f"{', '.join([*target.properties, *target.navigations])}",
                where=where,
            )
    return ["id" if n == "@iot.id" else n for n in names]


def split_top_level(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside parentheses and quoted strings."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise BadRequest(f"unbalanced ')' at position {index}")
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if depth != 0 or quoted:
        raise BadRequest("unbalanced parentheses or quotes")
    parts.append(text[start:])
    return parts


def _parse_expand(value: str, target: EntityType, where: str, depth: int) -> list[ExpandItem]:
    items: list[ExpandItem] = []
    try:
        clauses = split_top_level(value, ",")
    except BadRequest as error:
        error.where = where
        raise
    for clause in clauses:
        _add_expand(items, clause.strip(), target, where, depth)
    return items


def _add_expand(
    items: list[ExpandItem], clause: str, target: EntityType, where: str, depth: int
) -> None:
    path, inner = clause, ""
    if "(" in clause:
        if not clause.endswith(")"):
            raise BadRequest(f"malformed $expand clause {clause!r}", where=where)
        path, inner = clause[: clause.index("(")], clause[clause.index("(") + 1 : -1]
    names = [n.strip() for n in path.split("/")]
    deepest = depth + len(names)
    if deepest > budget.max_expand_depth():
        raise BadRequest(
            f"$expand nests deeper than {budget.max_expand_depth()} levels "
            "(SMARTCITY_STA_MAX_EXPAND_DEPTH); expand less at once",
            where=where,
        )
    current, level = target, items
    for step, name in enumerate(names):
        nav = current.navigation(name)
        if nav is None:
            raise BadRequest(
                f"{current.name} has no navigation property {name!r} to expand; "
                f"known: {', '.join(current.navigations)}",
                where=where,
            )
        destination = entity(nav.target)
        item = next((i for i in level if i.navigation == name), None)
        if item is None:
            item = ExpandItem(name, QueryOptions())
            level.append(item)
        if step == len(names) - 1 and inner:
            _merge(item, _parse_inner(inner, destination, f"{where}({name})", deepest))
        current, level = destination, item.options.expand


def _parse_inner(inner: str, target: EntityType, where: str, depth: int) -> QueryOptions:
    values: dict[str, str] = {}
    for part in split_top_level(inner, ";"):
        name, sep, value = part.strip().partition("=")
        if not sep or name not in EXPAND_OPTIONS:
            raise BadRequest(
                f"unsupported option {part.strip()!r} inside $expand; allowed: "
                f"{', '.join(sorted(EXPAND_OPTIONS))}",
                where=where,
            )
        if name in values:
            raise BadRequest(f"{name} is given twice inside $expand", where=where)
        values[name] = value
    return _build(values, target, prefix=f"{where}/", depth=depth)


def _merge(item: ExpandItem, options: QueryOptions) -> None:
    nested = item.options.expand
    item.options = options
    for existing in nested:
        if all(e.navigation != existing.navigation for e in options.expand):
            options.expand.append(existing)
