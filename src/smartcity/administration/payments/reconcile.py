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
BATCH = 500  # credits matched and written at a time


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


def _payments_for(credits: list[camt053.Credit]) -> dict[int, Payment]:
    """The payment each credit names (by its place in ``credits``): of its Kassenzeichen,
    an open one of the same amount first, then any open one, then any. One query."""
    found = {i: list(kassenzeichen.find_in(c.remittance)) for i, c in enumerate(credits)}
    numbers = {number for numbers in found.values() for number in numbers}
    known = {p.kassenzeichen: p for p in Payment.objects.filter(kassenzeichen__in=numbers)}
    chosen = {}
    for i, credit in enumerate(credits):
        payments = [known[n] for n in found[i] if n in known]
        ranked = sorted(payments, key=lambda p: (not p.open, p.amount != credit.amount))
        if ranked:
            chosen[i] = ranked[0]
    return chosen


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


def take(credits: list[camt053.Credit], report: ImportReport) -> None:
    """Match a batch of credits, keep each, complete the payments they pay exactly."""
    keys = [fingerprint(credit) for credit in credits]
    seen = set(
        BankCredit.objects.filter(fingerprint__in=keys).values_list("fingerprint", flat=True)
    )
    fresh = [(k, c) for k, c in zip(keys, credits, strict=True) if k not in seen]
    fresh = list({k: c for k, c in fresh}.items())  # the same credit twice in one file
    if len(fresh) < len(credits):
        report.count("skipped", "credits imported before", len(credits) - len(fresh))
    payments = _payments_for([credit for _, credit in fresh])
    rows: list[BankCredit] = []
    matched: list[tuple[Payment, camt053.Credit]] = []
    for i, (key, credit) in enumerate(fresh):
        payment = payments.get(i)
        found = outcome(credit, payment)
        if found == BankCredit.MATCHED and payment in [p for p, _ in matched]:
            found = BankCredit.NOT_OPEN  # a second exact credit for it in the same file
        rows.append(
            BankCredit(
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
        )
        if found == BankCredit.MATCHED:
            assert payment is not None
            matched.append((payment, credit))
    BankCredit.objects.bulk_create(rows)
    for payment, credit in matched:
        status.move(
            payment,
            Payment.COMPLETED,
            actor=f"camt053:{credit.statement}",
            note=f"credit {credit.entry_ref} booked {credit.booked or '?'}",
        )
    if matched:
        report.count("created", "payments completed", len(matched))
    if len(rows) > len(matched):
        report.count("created", "credits for the cash office", len(rows) - len(matched))


def read(source: Source, report: ImportReport) -> None:
    """Import the statement in ``source``: all of it, or (on a SourceError) nothing."""
    try:
        with transaction.atomic():
            batch: list[camt053.Credit] = []
            for credit in camt053.read_credits(source):
                batch.append(credit)
                if len(batch) == BATCH:
                    take(batch, report)
                    batch = []
            if batch:
                take(batch, report)
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
