"""Code lists in OASIS genericode 1.0 (as XRepository publishes FIM's), read so that a
Datenfeld's ``codelisteReferenz`` becomes a choice: the list is found by its canonical URI
(and version, where the reference gives one); its code and name columns are the field's
``codeKey`` and ``nameKey``, else the list's first key column and the column after it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from smartcity.administration.catalogue.xdf.reader import CodeListRef, Value, XdfError


@dataclass
class CodeList:
    uri: str
    version: str
    columns: list[str]
    key_column: str
    rows: list[dict[str, str]]

    def values(self, code_key: str = "", name_key: str = "", where: str = "") -> list[Value]:
        code = code_key or self.key_column
        later = self.columns[self.columns.index(code) + 1 :] if code in self.columns else []
        name = name_key or (later[0] if later else code)
        for wanted in (code, name):
            if wanted not in self.columns:
                raise XdfError(f"the code list {self.uri} has no column {wanted!r}", where)
        return [Value(row.get(code, ""), row.get(name, "")) for row in self.rows]


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _child(parent: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in parent if _local(e) == name), None)


def _text(parent: ET.Element | None, name: str) -> str:
    found = _child(parent, name) if parent is not None else None
    return (found.text or "").strip() if found is not None else ""


def read(data: bytes, source: str) -> CodeList:
    """The code list in a genericode file (``source`` names it in errors)."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ET.ParseError) as error:
        raise XdfError(f"cannot read the code list: {error}", source) from None
    if _local(root) != "CodeList":
        raise XdfError(f"a genericode file's root is <CodeList>, not <{_local(root)}>", source)
    ident = _child(root, "Identification")
    column_set = _child(root, "ColumnSet")
    if ident is None or column_set is None:
        raise XdfError("<Identification> or <ColumnSet> is missing", source)
    columns = [e.get("Id", "") for e in column_set if _local(e) == "Column"]
    keys = [e for e in column_set if _local(e) == "Key"]
    first_key = _child(keys[0], "ColumnRef") if keys else None
    key_column = first_key.get("Ref", "") if first_key is not None else columns[0]
    rows = []
    simple = _child(root, "SimpleCodeList")
    for row in simple if simple is not None else []:
        values = [v for v in row if _local(v) == "Value"]
        rows.append({v.get("ColumnRef", ""): _text(v, "SimpleValue") for v in values})
    return CodeList(_text(ident, "CanonicalUri"), _text(ident, "Version"), columns,
                    key_column, rows)  # fmt: skip


def find(lists: list[CodeList], reference: CodeListRef, where: str) -> CodeList:
    for candidate in lists:
        if candidate.uri == reference.uri and reference.version in ("", candidate.version):
            return candidate
    version = f" version {reference.version}" if reference.version else ""
    raise XdfError(
        f"the code list {reference.uri}{version} is not given: pass its genericode file "
        "with --codelist FILE (XRepository publishes it)",
        where,
    )
