"""Bank statements, ISO 20022 ``camt.053.001.02`` and ``camt.053.001.08``, read as a
stream: the credit entries one at a time, each with its amount, booking day, payer and
remittance information (``RmtInf/Ustrd``).

The XML is parsed by defusedxml's ``iterparse`` with DTDs forbidden: a document that
declares a DOCTYPE, an entity or an external reference is refused before anything is
read from it, so neither the "billion laughs" nor a file or URL behind an entity can
reach the server. Each ``Ntry`` is dropped from the tree once it is read, and
SMARTCITY_IMPORT_RECORD_BYTES limits each one, so a year's statement is read in bounded
memory. A document that is not well-formed, not camt.053 of these versions, or whose
entries lack what the standard requires is a SourceError with what is wrong and where.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from smartcity.core.sources import Source, SourceError

NAMESPACES = {
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02": "02",
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08": "08",
}
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,5})?$")


@dataclass(frozen=True)
class Credit:
    """One credit to the city's account (one transaction of an entry)."""

    statement: str  # Stmt/Id
    entry_ref: str  # the bank's reference (AcctSvcrRef, else NtryRef)
    index: int  # the transaction's place in its entry (a batch books several)
    amount: int  # cents
    currency: str
    booked: date | None
    debtor: str
    remittance: str  # every Ustrd of the transaction, joined by spaces


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _find(element: ET.Element, path: str) -> ET.Element | None:
    """The first descendant along ``path`` (local names, "/"-separated), any namespace."""
    here: ET.Element | None = element
    for name in path.split("/"):
        if here is None:
            return None
        here = next((child for child in here if _local(child.tag) == name), None)
    return here


def _text(element: ET.Element, path: str) -> str:
    found = _find(element, path)
    return (found.text or "").strip() if found is not None else ""


def cents(text: str, where: str) -> int:
    if not _AMOUNT.match(text):
        raise SourceError(f"{where}: {text!r} is not an amount (digits with a decimal point)")
    try:
        value = Decimal(text) * 100
    except InvalidOperation:
        raise SourceError(f"{where}: {text!r} is not an amount") from None
    if value != value.to_integral_value():
        raise SourceError(f"{where}: {text!r} has fractions of a cent")
    return int(value)


def _amount(element: ET.Element, path: str, where: str) -> tuple[int, str] | None:
    found = _find(element, path)
    if found is None:
        return None
    currency = found.get("Ccy", "")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise SourceError(f"{where}: the amount has no currency (Ccy)")
    return cents((found.text or "").strip(), where), currency


def _booked(entry: ET.Element, where: str) -> date | None:
    text = _text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm")[:10]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SourceError(f"{where}: booking date {text!r} is not a date") from None


def _status(entry: ET.Element) -> str:
    return _text(entry, "Sts/Cd") or _text(entry, "Sts")  # .08 wraps it in Cd


def _debtor(transaction: ET.Element) -> str:
    return (
        _text(transaction, "RltdPties/Dbtr/Pty/Nm")  # .08
        or _text(transaction, "RltdPties/Dbtr/Nm")  # .02
    )[:140]


def _remittance(transaction: ET.Element) -> str:
    found = _find(transaction, "RmtInf")
    lines = (
        []
        if found is None
        else [(child.text or "").strip() for child in found if _local(child.tag) == "Ustrd"]
    )
    return " ".join(line for line in lines if line)[:500]


def credits_of(entry: ET.Element, statement: str, where: str) -> Iterator[Credit]:
    """The booked credits of one ``Ntry`` (none for a debit, a reversal or a pending one)."""
    if _text(entry, "CdtDbtInd") not in ("CRDT", "DBIT"):
        raise SourceError(f"{where}: CdtDbtInd must be CRDT or DBIT")
    whole = _amount(entry, "Amt", where)
    if whole is None:
        raise SourceError(f"{where}: the entry has no Amt")
    if _text(entry, "CdtDbtInd") != "CRDT" or _text(entry, "RvslInd") == "true":
        return
    if _status(entry) != "BOOK":
        return
    reference = (_text(entry, "AcctSvcrRef") or _text(entry, "NtryRef"))[:35]
    booked = _booked(entry, where)
    details = _find(entry, "NtryDtls")
    transactions = [] if details is None else [t for t in details if _local(t.tag) == "TxDtls"]
    if not transactions:
        remark = _text(entry, "AddtlNtryInf")[:500]
        yield Credit(statement, reference, 0, whole[0], whole[1], booked, "", remark)
        return
    for index, transaction in enumerate(transactions):
        own = (
            _amount(transaction, "Amt", where)  # .08
            or _amount(transaction, "AmtDtls/TxAmt/Amt", where)  # .02
            or (whole if len(transactions) == 1 else None)
        )
        if own is None:
            raise SourceError(f"{where}: transaction {index + 1} of a batch has no amount")
        yield Credit(
            statement,
            reference,
            index,
            own[0],
            own[1],
            booked,
            _debtor(transaction),
            _remittance(transaction),
        )


def read_credits(source: Source) -> Iterator[Credit]:
    """Every booked credit of the statement(s) in ``source``, in order."""
    stack: list[ET.Element] = []
    statement, entries = "", 0
    source.mark()
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not stack:
                    _check_root(element)
                stack.append(element)
                continue
            stack.pop()
            name = _local(element.tag)
            if name == "Id" and stack and _local(stack[-1].tag) == "Stmt":
                statement = (element.text or "").strip()[:35]
            elif name == "Ntry":
                entries += 1
                if not statement:
                    raise SourceError(f"entry {entries}: its statement has no Id")
                yield from credits_of(element, statement, f"Stmt {statement}, Ntry {entries}")
                stack[-1].remove(element)
                source.mark()
            elif name == "Stmt":
                statement = ""
    except DefusedXmlException as error:
        raise SourceError(
            f"{source.name}: refused, the statement declares a DOCTYPE or entities ({error}); "
            "bank statements need neither"
        ) from None
    except ET.ParseError as error:
        raise SourceError(f"{source.name} is not well-formed XML: {error}") from None


def _check_root(root: ET.Element) -> None:
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "Document" or namespace not in NAMESPACES:
        found = namespace or _local(root.tag)
        raise SourceError(
            f"not a CAMT.053 bank statement (camt.053.001.02 or .08): the document is {found!r}"
        )
