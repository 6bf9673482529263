"""Recursive-descent parser for $filter and $orderby (OGC 18-088 clause 9.3.3.4-5).

Precedence follows OData 4.0 Part 2 clause 5.1.1.8, from loosest to tightest:
``or`` < ``and`` < ``eq ne`` < ``gt ge lt le`` < ``add sub`` < ``mul div mod`` <
``not``/unary ``-`` < grouping and calls. Binary operators associate to the left.

The parser knows every function and its arity, so ``startswith(name)`` fails here with a
position; types are checked by the compiler, which knows the entity.
"""

from __future__ import annotations

from datetime import date, time

from smartcity.core import config
from smartcity.core.errors import BadRequest
from smartcity.core.geo import GeometryError, from_wkt
from smartcity.core.timeutil import TimeFormatError, parse_duration, parse_instant, parse_interval
from smartcity.sensors.sta.odata.ast import (
    Binary,
    Call,
    Literal,
    LitKind,
    Node,
    OrderItem,
    Path,
    Unary,
    walk,
)
from smartcity.sensors.sta.odata.lexer import Tok, Token, error, tokenize

_SPATIAL = (
    "st_equals",
    "st_disjoint",
    "st_touches",
    "st_within",
    "st_overlaps",
    "st_crosses",
    "st_intersects",
    "st_contains",
)
# function name -> allowed argument counts
FUNCTIONS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(
        (
            "substringof",
            "contains",
            "endswith",
            "startswith",
            "indexof",
            "concat",
            "geo.distance",
            "geo.intersects",
            *_SPATIAL,
        ),
        (2,),
    ),
    **dict.fromkeys(
        (
            "length",
            "tolower",
            "toupper",
            "trim",
            "year",
            "month",
            "day",
            "hour",
            "minute",
            "second",
            "fractionalseconds",
            "date",
            "time",
            "totaloffsetminutes",
            "round",
            "floor",
            "ceiling",
            "geo.length",
        ),
        (1,),
    ),
    **dict.fromkeys(("now", "mindatetime", "maxdatetime"), (0,)),
    "substring": (2, 3),
    "st_relate": (3,),
}

# Levels from loosest to tightest; each binds the operators it names.
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"eq", "ne"}),
    frozenset({"gt", "ge", "lt", "le"}),
    frozenset({"add", "sub"}),
    frozenset({"mul", "div", "mod"}),
)
_OPERATORS = frozenset().union(*_LEVELS, {"not"})
_CONSTANTS = {
    "true": (LitKind.BOOL, True),
    "false": (LitKind.BOOL, False),
    "null": (LitKind.NULL, None),
}
# Python's stack, not the client, should be the limit nobody reaches: each level of
# parentheses costs about ten frames here and more in the compiler and in Django.
MAX_NESTING = 40


def parse_filter(text: str) -> Node:
    """The syntax tree of a $filter expression; BadRequest (where="$filter") if invalid."""
    parser = _Parser(text)
    node = parser.expression()
    parser.expect(Tok.END, "an operator or the end of the expression")
    check_depth(node)
    check_size([node], "$filter")
    return node


def parse_orderby(text: str) -> list[OrderItem]:
    """The keys of an $orderby value: ``expr [asc|desc]`` separated by commas."""
    try:
        parser = _Parser(text)
        items: list[OrderItem] = []
        while True:
            expr = parser.expression()
            check_depth(expr)
            direction = parser.peek()
            descending = False
            # in any case, as OData 4.01 allows; FROST's Python client sends DESC
            if direction.kind is Tok.NAME and direction.text.lower() in ("asc", "desc"):
                parser.advance()
                descending = direction.text.lower() == "desc"
            items.append(OrderItem(expr, descending))
            if parser.peek().kind is Tok.END:
                check_size([item.expr for item in items], "$orderby")
                return items
            parser.expect(Tok.COMMA, "',', 'asc', 'desc' or the end of $orderby")
    except BadRequest as exc:
        exc.where = "$orderby"
        raise


def check_size(nodes: list[Node], option: str) -> None:
    """Refuse an expression with more terms (operators, properties, literals) than
    SMARTCITY_STA_MAX_QUERY_TERMS, and more $orderby keys than
    SMARTCITY_STA_MAX_ORDERBY_KEYS: a store compiles each term into its statement, and
    SQLite refuses a statement nested 1,000 deep or of 2,000 columns."""
    limit = config.get("STA_MAX_QUERY_TERMS")
    terms = sum(len(walk(node)) for node in nodes)
    if terms > limit:
        raise BadRequest(
            f"{option} has {terms} terms; at most {limit} (SMARTCITY_STA_MAX_QUERY_TERMS)",
            where=option,
        )
    keys = config.get("STA_MAX_ORDERBY_KEYS")
    if option == "$orderby" and len(nodes) > keys:
        raise BadRequest(
            f"$orderby has {len(nodes)} keys; at most {keys} (SMARTCITY_STA_MAX_ORDERBY_KEYS)",
            where=option,
        )


def check_depth(node: Node) -> None:
    """Refuse trees too deep to compile; chains of one and/or are flattened later, so
    they do not count."""
    depth: dict[int, int] = {}
    for current in reversed(walk(node)):
        children = _children(current)
        below = max((depth[id(c)] + _step(current, c) for c in children), default=0)
        depth[id(current)] = below
        if below > MAX_NESTING * 2:
            raise error("the expression is nested too deeply", current.pos)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args
    return ()


def _step(parent: Node, child: Node) -> int:
    same_chain = (
        isinstance(parent, Binary)
        and isinstance(child, Binary)
        and parent.op == child.op
        and parent.op in ("and", "or")
    )
    return 0 if same_chain else 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.nesting = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not Tok.END:
            self.index += 1
        return token

    def expect(self, kind: Tok, what: str) -> Token:
        token = self.peek()
        if token.kind is not kind:
            raise error(f"expected {what}, found {_describe(token)}", token.pos)
        return self.advance()

    def expression(self, level: int = 0) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        left = self.expression(level + 1)
        while True:
            token = self.peek()
            if token.kind is not Tok.NAME or token.text not in _LEVELS[level]:
                return left
            self.advance()
            right = self.expression(level + 1)
            left = Binary(left.pos, token.text, left, right)

    def unary(self) -> Node:
        token = self.peek()
        is_not = token.kind is Tok.NAME and token.text == "not"
        if not is_not and token.kind is not Tok.MINUS:
            return self.primary()
        self.advance()
        self.enter(token)
        operand = self.unary()
        self.nesting -= 1
        if (
            token.kind is Tok.MINUS
            and isinstance(operand, Literal)
            and operand.kind is LitKind.NUMBER
        ):
            return Literal(token.pos, LitKind.NUMBER, -operand.value)
        return Unary(token.pos, "not" if is_not else "-", operand)

    def enter(self, token: Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise error("the expression is nested too deeply", token.pos)

    def primary(self) -> Node:
        token = self.advance()
        if token.kind is Tok.LPAREN:
            self.enter(token)
            inner = self.expression()
            self.expect(Tok.RPAREN, "')'")
            self.nesting -= 1
            return inner
        if token.kind is Tok.NAME:
            if token.text in _CONSTANTS:
                kind, value = _CONSTANTS[token.text]
                return Literal(token.pos, kind, value)
            if self.peek().kind is Tok.LPAREN:
                return self.call(token)
            return self.path(token)
        return literal(token)

    def call(self, name: Token) -> Node:
        arities = FUNCTIONS.get(name.text)
        if arities is None:
            known = ", ".join(sorted(FUNCTIONS))
            raise error(f"unknown function {name.text!r}; known: {known}", name.pos)
        self.enter(name)
        self.advance()  # "("
        args: list[Node] = []
        if self.peek().kind is not Tok.RPAREN:
            args.append(self.expression())
            while self.peek().kind is Tok.COMMA:
                self.advance()
                args.append(self.expression())
        self.expect(Tok.RPAREN, "',' or ')'")
        self.nesting -= 1
        if len(args) not in arities:
            counts = " or ".join(str(a) for a in arities)
            raise error(f"{name.text}() takes {counts} argument(s), got {len(args)}", name.pos)
        return Call(name.pos, name.text, tuple(args))

    def path(self, first: Token) -> Node:
        segments = [first.text]
        while self.peek().kind is Tok.SLASH:
            self.advance()
            token = self.advance()
            if token.kind not in (Tok.NAME, Tok.INT) or token.text in _OPERATORS:
                raise error(
                    f"expected a property name after '/', found {_describe(token)}", token.pos
                )
            segments.append(token.text)
        return Path(first.pos, tuple(segments))


def literal(token: Token) -> Literal:
    """The Literal of a constant token (BadRequest for any other token)."""
    try:
        kind, value = _literal_value(token)
    except (TimeFormatError, GeometryError, ValueError, OverflowError) as exc:
        message = str(exc).split(" at position")[0]
        raise error(f"invalid {token.kind.value} literal: {message}", token.pos) from None
    return Literal(token.pos, kind, value)


def _literal_value(token: Token) -> tuple[LitKind, object]:
    text = token.text
    match token.kind:
        case Tok.STRING:
            return LitKind.STRING, text
        case Tok.INT:
            return LitKind.NUMBER, int(text)
        case Tok.DECIMAL:
            return LitKind.NUMBER, float(text)
        case Tok.DATETIME:
            return LitKind.DATETIME, parse_instant(text)
        case Tok.DATE:
            return LitKind.DATE, date.fromisoformat(text)
        case Tok.TIMEOFDAY:
            return LitKind.TIMEOFDAY, time.fromisoformat(text)
        case Tok.INTERVAL:
            interval = parse_interval(text)
            return LitKind.INTERVAL, (interval.start, interval.end)
        case Tok.DURATION:
            return LitKind.DURATION, parse_duration(text)
        case Tok.GEO:
            return LitKind.GEOMETRY, from_wkt(text).wkt
    raise error(f"expected a value, found {_describe(token)}", token.pos)


def _describe(token: Token) -> str:
    if token.kind is Tok.END:
        return "the end of the expression"
    if token.kind in (Tok.NAME, Tok.INT, Tok.DECIMAL):
        return repr(token.text)
    return token.kind.value
