"""Fixtures of the payment tests: a service with a fee schedule, the city's account, and
the test provider as its own process on a free loopback port."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from smartcity.administration.models import FeeSchedule, Payment, Service

IBAN, BIC = "DE02120300000000202051", "BYLADEM1001"
API_KEY, SECRET = "test-api-key-0123456789", "test-webhook-secret-0123456789"

CERTIFICATE_FEES = {
    "lines": [
        {
            "key": "urkunde",
            "label": "Geburtsurkunde",
            "amount": 1200,
            "further": 600,
            "quantity": {"field": "anzahl"},
            "free_if": {"field": "zweck", "in": ["rente", "kindergeld"]},
        },
        {
            "key": "eilig",
            "label": "Eilbearbeitung",
            "amount": 1000,
            "when": {"field": "eilig", "eq": True},
        },
    ]
}


@pytest.fixture(autouse=True)
def city_account(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.CSRF_COOKIE_SECURE = False  # httpx keeps Secure cookies off http://127.0.0.1
    monkeypatch.setenv("SMARTCITY_PAYMENT_IBAN", IBAN)
    monkeypatch.setenv("SMARTCITY_PAYMENT_BIC", BIC)
    monkeypatch.setenv("SMARTCITY_PAYMENT_KASSENZEICHEN_FORMAT", "5{yy}{serial:7}")


@pytest.fixture
def service(db: None) -> Service:
    found = Service.objects.create(key="geburtsurkunde", name="Geburtsurkunde")
    FeeSchedule.objects.create(service=found, rules=CERTIFICATE_FEES)
    return found


def payment_of(
    service: Service, kassenzeichen: str | None = None, amount: int = 2400, **fields: Any
) -> Payment:
    from smartcity.administration.payments import services

    payment = services.create_payment(service, "A-2026-0001", {"anzahl": 2}, **fields)
    assert payment is not None
    if kassenzeichen or amount != payment.amount:
        Payment.objects.filter(pk=payment.pk).update(
            kassenzeichen=kassenzeichen or payment.kassenzeichen, amount=amount
        )
        payment.refresh_from_db()
    return payment


@dataclass
class TestProvider:
    url: str
    process: subprocess.Popen


@pytest.fixture
def testprovider(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestProvider]:
    """python -m smartcity.administration.payments.testprovider --port 0, configured."""
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "smartcity.administration.payments.testprovider",
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--webhook-secret",
            SECRET,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("testprovider listening on "), line
    url = line.split()[-1]
    monkeypatch.setenv("SMARTCITY_PAYMENT_PROVIDERS", "testpay,bank-transfer")
    monkeypatch.setenv("SMARTCITY_PAYMENT_TESTPAY_URL", url)
    monkeypatch.setenv("SMARTCITY_PAYMENT_TESTPAY_API_KEY", API_KEY)
    monkeypatch.setenv("SMARTCITY_PAYMENT_TESTPAY_WEBHOOK_SECRET", SECRET)
    try:
        yield TestProvider(url, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
