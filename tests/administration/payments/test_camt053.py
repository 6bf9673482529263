"""CAMT.053 statements (.001.02 and .001.08) through `smartcity import camt053`: exact
credits complete their payments, the rest wait for the cash office; the same file twice
takes nothing twice; a malformed or hostile statement is refused whole, with a clear
message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smartcity.administration.models import BankCredit, Payment
from smartcity.core import importers
from tests.administration.payments.conftest import payment_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "camt053"


def run(source: object) -> importers.ImportReport:
    return importers.run(importers.get("camt053"), source)


@pytest.fixture
def open_payments(service) -> dict[str, Payment]:
    return {
        "exact": payment_of(service, "52610000011", amount=2400),
        "batch": payment_of(service, "52610000029", amount=600),
        "under": payment_of(service, "52610000037", amount=1200),
        "over": payment_of(service, "52610000045", amount=1200),
    }


def test_a_statement_completes_exact_payments_and_lists_the_rest(open_payments) -> None:
    report = run(str(FIXTURES / "statement-001-02.xml"))
    assert report.failure == "" and report.rejected == []
    assert report.created == {"payments completed": 2, "credits for the cash office": 3}
    states = {k: Payment.objects.get(pk=p.pk).status for k, p in open_payments.items()}
    assert states == {
        "exact": "completed",
        "batch": "completed",
        "under": "started",
        "over": "started",
    }
    outcomes = dict(BankCredit.objects.values_list("entry_ref", "outcome").filter(resolved=False))
    assert sorted(BankCredit.objects.filter(resolved=False).values_list("outcome", flat=True)) == [
        "overpaid",
        "underpaid",
        "unknown",
    ]
    assert outcomes["2026120200003"] == "unknown"
    exact = BankCredit.objects.get(payment=open_payments["exact"])
    assert (exact.debtor, exact.amount, str(exact.booked)) == (
        "Erika Mustermann",
        2400,
        "2026-12-02",
    )
    event = open_payments["exact"].events.get(new="completed")
    assert event.actor == "camt053:2026-12-02-STADTKASSE"


def test_the_same_statement_twice_takes_nothing_twice(open_payments) -> None:
    run(str(FIXTURES / "statement-001-02.xml"))
    again = run(str(FIXTURES / "statement-001-02.xml"))
    assert again.created == {} and again.skipped == {"credits imported before": 5}
    assert BankCredit.objects.count() == 5


def test_version_08_and_a_payment_already_paid(open_payments) -> None:
    run(str(FIXTURES / "statement-001-02.xml"))
    report = run(str(FIXTURES / "statement-001-08.xml"))  # pays "exact" again; one pending
    assert report.created == {"credits for the cash office": 1}
    credit = BankCredit.objects.get(statement="2026-12-03-STADTKASSE")
    assert credit.outcome == "not_open" and credit.payment == open_payments["exact"]
    assert credit.debtor == "Erika Mustermann"


def test_on_the_command_line(open_payments, capsys) -> None:
    from smartcity import cli

    code = cli.main(
        ["import", "camt053", "--quiet", "--file", str(FIXTURES / "statement-001-08.xml")]
    )
    assert code == 0
    assert "1 payments completed" in capsys.readouterr().out


BROKEN = (FIXTURES / "statement-001-02.xml").read_bytes()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (BROKEN[: len(BROKEN) // 2], "not well-formed"),
        (
            BROKEN.replace(b'<Amt Ccy="EUR">30.00</Amt>', b'<Amt Ccy="EUR">30,00</Amt>'),
            "'30,00' is not an amount",
        ),
        (BROKEN.replace(b"camt.053.001.02", b"camt.052.001.02"), "not a CAMT.053"),
        (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>', "DOCTYPE"),
        (b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "file:///etc/passwd"><Document/>', "DOCTYPE"),
        (b"", "not well-formed"),
        (b"<html><body>Kontoauszug</body></html>", "not a CAMT.053"),
    ],
)
def test_a_malformed_statement_is_refused_whole(open_payments, document, message) -> None:
    report = run(io.BytesIO(document))
    assert message in report.failure
    assert report.created == {}
    assert BankCredit.objects.count() == 0  # the exact credits before the fault: rolled back
    assert not Payment.objects.filter(status="completed").exists()
