"""The xdomea 3.1.0 XML Schemas (``schemas/``, see its NOTICE.md), loaded once, with
xmlschema: every message written and every receipt read is checked against them."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import xmlschema

NAMESPACE = "{urn:xoev-de:xdomea:schema:3.1.0}"
ROOT = Path(__file__).parent / "schemas" / "xdomea" / "xdomea.xsd"


@cache
def xdomea() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ROOT))


def problems(document: Any, limit: int = 5) -> list[str]:
    """What makes ``document`` (an ElementTree element or XML bytes) invalid; empty: valid."""
    found = []
    for error in xdomea().iter_errors(document):
        where = str(error.path or "").replace(NAMESPACE, "")
        found.append(f"{where}: {str(error.reason or '').replace(NAMESPACE, '')}")
        if len(found) >= limit:
            break
    return found
