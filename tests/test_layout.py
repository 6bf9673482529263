"""The code's shape, as docs/architecture.md promises it: no module over 400 lines and no
function over 60 lines outside migrations, so that a module is read as one thing and a
function at one glance (split by meaning, not by count)."""

from __future__ import annotations

import ast
from pathlib import Path

import smartcity

PACKAGE = Path(smartcity.__file__).parent
MODULE_LINES, FUNCTION_LINES = 400, 60


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def test_no_module_is_longer_than_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    }
    assert long == {}


def test_no_function_is_longer_than_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = length
    assert long == {}


def test_the_check_sees_the_package():
    assert len(_modules()) > 100
