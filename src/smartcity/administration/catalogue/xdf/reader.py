"""Reading an xDatenfelder 3.0 message (``xdatenfelder.stammdatenschema.0102``, or a single
group as ``xdatenfelder.datenfeldgruppe.0103``) into plain dataclasses.

The XML is parsed by defusedxml with document type declarations refused, so neither
entity expansion ("billion laughs") nor external entities can happen. Every error is an
XdfError that names the element it is about, as a path of the message's elements with
their FIM ids, e.g. ``stammdatenschema S1000 / struktur[2] / datenfeld F60000243``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

NS = "urn:xoev-de:fim:standard:xdatenfelder_3.0.0"
MESSAGES = ("xdatenfelder.stammdatenschema.0102", "xdatenfelder.datenfeldgruppe.0103")
MAX_DEPTH = 12  # groups within groups; FIM's deepest schemas have about five
MAX_ELEMENTS = 5000  # fields and groups in one schema
_CARDINALITY = re.compile(r"^(\d+):(\d+|\*|n)$")


class XdfError(ValueError):
    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


@dataclass
class Value:
    code: str
    name: str
    help: str = ""


@dataclass
class CodeListRef:
    uri: str  # canonicalIdentification
    version: str = ""


@dataclass
class Field:
    id: str
    version: str
    name: str
    label: str
    help: str
    kind: str  # Feldart: input, select, label, hidden, locked
    datatype: str  # Datentyp: text, text_latin, date, time, datetime, bool, num, ...
    where: str
    constraints: dict[str, str] = field(default_factory=dict)  # praezisierung's attributes
    content: str = ""  # inhalt: a default, a label's text, a locked field's value
    values: list[Value] = field(default_factory=list)  # werte
    code_list: CodeListRef | None = None
    code_key: str = ""
    name_key: str = ""
    max_size: int | None = None
    media_types: list[str] = field(default_factory=list)


@dataclass
class Child:
    minimum: int
    maximum: int | None  # None: unbounded ("*")
    element: Field | Group


@dataclass
class Group:
    id: str
    version: str
    name: str
    label: str
    help: str
    where: str
    choice: bool = False  # art X: exactly one of its children
    children: list[Child] = field(default_factory=list)


def read(data: bytes) -> Group:
    """The schema (or group) of an xDatenfelder 3 message, its top level as a Group."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise XdfError(f"refused: {type(error).__name__} (no DTD or entities allowed)") from None
    except ET.ParseError as error:
        raise XdfError(f"not well-formed XML: {error}") from None
    message = _local(root, "the root element")
    if message not in MESSAGES:
        raise XdfError(f"expected one of {', '.join(MESSAGES)}, not <{root.tag}>", message)
    top = _one(root, "stammdatenschema" if message == MESSAGES[0] else "datenfeldgruppe",
               message)  # fmt: skip
    counter = [0]
    return _group(top, _local(top, message), 0, counter)


def _local(element: ET.Element, where: str) -> str:
    namespace, _, name = element.tag.rpartition("}")
    if namespace.lstrip("{") != NS:
        raise XdfError(f"<{name}> is not in the xDatenfelder 3.0 namespace {NS}", where)
    return name


def _one(parent: ET.Element, name: str, where: str) -> ET.Element:
    found = parent.find(f"{{{NS}}}{name}")
    if found is None:
        raise XdfError(f"<{name}> is missing", where)
    return found


def _text(parent: ET.Element, name: str) -> str:
    found = parent.find(f"{{{NS}}}{name}")
    return " ".join((found.text or "").split()) if found is not None else ""


def _code(parent: ET.Element, name: str) -> str:
    found = parent.find(f"{{{NS}}}{name}")
    code = found.find("code") if found is not None else None  # code lists' code: no namespace
    return (code.text or "").strip() if code is not None else ""


def _identity(element: ET.Element, where: str) -> tuple[str, str, str]:
    ident = _one(element, "identifikation", where)
    found = _text(ident, "id")
    if not found:
        raise XdfError("<identifikation> has no <id>", where)
    return found, _text(ident, "version"), f"{where} {found}"


def _group(element: ET.Element, where: str, depth: int, counter: list[int]) -> Group:
    if depth > MAX_DEPTH:
        raise XdfError(f"groups are nested more than {MAX_DEPTH} deep", where)
    ident, version, where = _identity(element, where)
    name = _text(element, "name")
    label = _text(element, "bezeichnungEingabe") or _text(element, "bezeichnung") or name
    group = Group(ident, version, name, label, _text(element, "hilfetextEingabe"), where,
                  choice=_code(element, "art") == "X")  # fmt: skip
    for index, structure in enumerate(element.findall(f"{{{NS}}}struktur"), start=1):
        counter[0] += 1
        if counter[0] > MAX_ELEMENTS:
            raise XdfError(f"the schema has more than {MAX_ELEMENTS} elements", where)
        group.children.append(_child(structure, f"{where} / struktur[{index}]", depth, counter))
    return group


def _child(structure: ET.Element, where: str, depth: int, counter: list[int]) -> Child:
    minimum, maximum = cardinality(_text(structure, "anzahl"), where)
    contains = _one(structure, "enthaelt", where)
    inner = list(contains)
    if len(inner) != 1:
        raise XdfError("<enthaelt> must hold exactly one datenfeld or datenfeldgruppe", where)
    kind = _local(inner[0], where)
    if kind == "datenfeldgruppe":
        return Child(minimum, maximum, _group(inner[0], f"{where} / {kind}", depth + 1, counter))
    if kind == "datenfeld":
        return Child(minimum, maximum, _field(inner[0], f"{where} / {kind}"))
    raise XdfError(f"<enthaelt> holds <{kind}>, not a datenfeld or datenfeldgruppe", where)


def cardinality(text: str, where: str) -> tuple[int, int | None]:
    """``1:1`` is (1, 1), ``0:*`` (0, None); what is not a cardinality is an XdfError."""
    match = _CARDINALITY.match(text.strip())
    if match is None:
        raise XdfError(f"<anzahl> {text!r} is not a cardinality such as 1:1, 0:1 or 1:*", where)
    minimum = int(match[1])
    maximum = None if match[2] in "*n" else int(match[2])
    if maximum is not None and (maximum < 1 or maximum < minimum):
        raise XdfError(f"<anzahl> {text!r}: the maximum must be at least 1 and the minimum", where)
    return minimum, maximum


def _field(element: ET.Element, where: str) -> Field:
    ident, version, where = _identity(element, where)
    name = _text(element, "name")
    precise = element.find(f"{{{NS}}}praezisierung")
    size = _text(element, "maxSize")
    if size and not size.isdigit():
        raise XdfError(f"<maxSize> {size!r} is not a number of bytes", where)
    reference = element.find(f"{{{NS}}}codelisteReferenz")
    return Field(
        ident, version, name, _text(element, "bezeichnungEingabe") or name,
        _text(element, "hilfetextEingabe"), _code(element, "feldart"),
        _code(element, "datentyp"), where,
        constraints=dict(precise.attrib) if precise is not None else {},
        content=_text(element, "inhalt"),
        values=[Value(_text(v, "code"), _text(v, "name"), _text(v, "hilfe"))
                for v in element.findall(f"{{{NS}}}werte/{{{NS}}}wert")],
        code_list=CodeListRef(_text(reference, "canonicalIdentification"),
                              _text(reference, "version")) if reference is not None else None,
        code_key=_text(element, "codeKey"), name_key=_text(element, "nameKey"),
        max_size=int(size) if size else None,
        media_types=[t.text.strip() for t in element.findall(f"{{{NS}}}mediaType") if t.text],
    )  # fmt: skip
