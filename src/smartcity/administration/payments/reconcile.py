"""Incoming money matched to payments: a bank statement's credits (camt053.py) by the
Kassenzeichen in their remittance information and by the amount. A credit of the right
amount for an open payment completes it; every other one (no Kassenzeichen, too much, too
little, a payment no longer open, another currency) is kept as a BankCredit for a clerk
of the cash office. A statement is taken whole or not at all (one transaction), and a
credit already imported is skipped, so the same file can be imported twice.

``smartcity import camt053 --file STATEMENT.xml`` runs it (the importer below)."""

from __future__ import annotations

import hashlib

from django.db import transaction

from smartcity.administration.models import BankCredit, Payment
from smartcity.administration.payments import camt053, kassenzeichen, status
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, SourceError

NAME = "camt053"


def fingerprint(credit: camt053.Credit) -> str:
    key = "|".join(
        str(part)
        for part in (
            credit.statement,
            credit.entry_ref,
            credit.index,
            credit.amount,
            credit.currency,
            credit.booked,
            credit.remittance,
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()


def _payment_for(credit: camt053.Credit) -> Payment | None:
    """The payment the credit names: of its Kassenzeichen, an open one of the same amount
    first, then any open one, then any."""
    found = list(kassenzeichen.find_in(credit.remittance))
    payments = list(Payment.objects.filter(kassenzeichen__in=found)) if found else []
    ranked = sorted(payments, key=lambda p: (not p.open, p.amount != credit.amount))
    return ranked[0] if ranked else None


def outcome(credit: camt053.Credit, payment: Payment | None) -> str:
    if payment is None or credit.currency != payment.currency:
        return BankCredit.UNKNOWN
    if not payment.open:
        return BankCredit.NOT_OPEN
    if credit.amount > payment.amount:
        return BankCredit.OVERPAID
    if credit.amount < payment.amount:
        return BankCredit.UNDERPAID
    return BankCredit.MATCHED


def take(credit: camt053.Credit, report: ImportReport) -> None:
    """Match one credit, complete its payment if it pays it exactly, keep it."""
    key = fingerprint(credit)
    if BankCredit.objects.filter(fingerprint=key).exists():
        report.count("skipped", "credits imported before")
        return
    payment = _payment_for(credit)
    found = outcome(credit, payment)
    BankCredit.objects.create(
        fingerprint=key,
        statement=credit.statement,
        entry_ref=credit.entry_ref,
        booked=credit.booked,
        amount=credit.amount,
        currency=credit.currency,
        debtor=credit.debtor,
        remittance=credit.remittance,
        payment=payment,
        outcome=found,
        resolved=found == BankCredit.MATCHED,
    )
    if found == BankCredit.MATCHED:
        assert payment is not None
        status.move(
            payment,
            Payment.COMPLETED,
            actor=f"camt053:{credit.statement}",
            note=f"credit {credit.entry_ref} booked {credit.booked or '?'}",
        )
        report.count("created", "payments completed")
    else:
        report.count("created", "credits for the cash office")


def read(source: Source, report: ImportReport) -> None:
    """Import the statement in ``source``: all of it, or (on a SourceError) nothing."""
    try:
        with transaction.atomic():
            for credit in camt053.read_credits(source):
                take(credit, report)
    except SourceError:
        report.created.clear()  # rolled back: the report says nothing was taken
        report.skipped.clear()
        raise


def locate() -> str:
    raise ValueError("give the bank statement file: smartcity import camt053 --file FILE.xml")


IMPORTER = Importer(
    NAME,
    "a bank statement (ISO 20022 CAMT.053, .001.02 or .001.08): credits matched to payments "
    "by Kassenzeichen (--file)",
    read,
    locate,
)
