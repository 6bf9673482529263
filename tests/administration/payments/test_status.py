"""The status machine: allowed changes kept as events with one signal each, illegal ones
refused and leaving nothing behind."""

from __future__ import annotations

import pytest

from smartcity.administration.models import Payment, PaymentEvent
from smartcity.administration.payments import services, status
from smartcity.administration.payments.signals import payment_changed
from tests.administration.payments.conftest import payment_of


@pytest.fixture
def heard() -> list[tuple[str, str]]:
    changes: list[tuple[str, str]] = []

    def listen(sender, payment, old, new, **kwargs):  # type: ignore[no-untyped-def]
        changes.append((old, new))

    payment_changed.connect(listen, weak=False, dispatch_uid="test-listen")
    yield changes
    payment_changed.disconnect(dispatch_uid="test-listen")


def test_a_payment_goes_its_way_and_every_step_is_kept(service, heard) -> None:
    payment = payment_of(service)
    assert payment.status == Payment.STARTED
    status.choose(payment, "testpay", "tp_1", actor="provider:testpay start")
    assert status.move(payment, Payment.COMPLETED, actor="provider:testpay webhook")
    assert not status.move(payment, Payment.COMPLETED, actor="return", again=True)
    status.move(payment, Payment.REFUNDED, actor="user:1")
    events = list(PaymentEvent.objects.filter(payment=payment).values_list("old", "new", "actor"))
    assert events == [
        ("", "started", "applying"),
        ("started", "processing", "provider:testpay start"),
        ("processing", "completed", "provider:testpay webhook"),
        ("completed", "refunded", "user:1"),
    ]
    assert heard == [
        ("", "started"),
        ("started", "processing"),
        ("processing", "completed"),
        ("completed", "refunded"),
    ]
    assert Payment.objects.get(pk=payment.pk).provider_ref == "tp_1"


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], Payment.REFUNDED),  # started -> refunded
        ([Payment.FAILED], Payment.COMPLETED),  # failed is final
        ([Payment.PROCESSING], Payment.STARTED),  # never back
        ([Payment.COMPLETED], Payment.FAILED),
        ([Payment.COMPLETED, Payment.REFUNDED], Payment.COMPLETED),
    ],
)
def test_illegal_changes_are_refused_and_change_nothing(service, heard, path, refused) -> None:
    payment = payment_of(service)
    for step in path:
        status.move(payment, step, actor="test")
    before = PaymentEvent.objects.count(), len(heard)
    with pytest.raises(status.IllegalTransition):
        status.move(payment, refused, actor="test")
    assert Payment.objects.get(pk=payment.pk).status == (path[-1] if path else "started")
    assert (PaymentEvent.objects.count(), len(heard)) == before


def test_an_unknown_status_is_refused(service) -> None:
    with pytest.raises(ValueError, match="not a payment status"):
        status.move(payment_of(service), "paid", actor="test")


def test_nothing_to_pay_makes_no_payment(service) -> None:
    assert services.create_payment(service, "A-1", {"anzahl": 1, "zweck": "rente"}) is None
    assert Payment.objects.count() == 0


def test_public_ids_are_random_and_long(service) -> None:
    ids = {payment_of(service).public_id for _ in range(20)}
    assert len(ids) == 20 and all(len(i) >= 22 for i in ids)
