"""What other parts of the domain tell the case: a completed payment goes into the
history of the application it pays for (payments.signals.payment_changed, sent inside
the transaction that completes it)."""

from __future__ import annotations

from typing import Any

from smartcity.administration.applying.case import history
from smartcity.administration.models import Application, Payment


def payment_changed(sender: Any, payment: Payment, old: str, new: str, **kwargs: Any) -> None:
    if new != Payment.COMPLETED or not payment.case_ref:
        return
    application = Application.objects.filter(
        reference=payment.case_ref, service_id=payment.service_id
    ).first()
    if application is not None:
        history.record(application, "payment_completed")


def connect() -> None:
    from smartcity.administration.payments.signals import payment_changed as signal

    signal.connect(payment_changed, dispatch_uid="smartcity.administration.case.payment")
