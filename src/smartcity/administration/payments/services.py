"""Paying, as plain functions (no HTTP): what a service's step costs for the form's data,
and the payment that asks for it. The applications call :func:`create_payment` when an
application (or a step of it) that costs something is submitted, and send the citizen to
``/service/zahlung/<public_id>/``."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from smartcity.administration.models import FeeSchedule, Payment, PaymentEvent, Service
from smartcity.administration.payments import fees, kassenzeichen
from smartcity.administration.payments.signals import payment_changed

TRIES = 20  # new random serials before giving up (only a nearly full format runs out)


def fee_lines(service: Service, data: Any, step: str = "") -> list[fees.FeeLine]:
    """The fee lines of ``service`` (its ``step``; "" is the submission) for ``data``;
    none if it has no fee schedule. FeeError if the data does not fit the schedule."""
    schedule = FeeSchedule.objects.filter(service=service, step=step).first()
    return [] if schedule is None else fees.evaluate(schedule.rules, data)


def new_kassenzeichen() -> str:
    form = kassenzeichen.current_format()
    today = timezone.localdate()
    for _ in range(TRIES):
        found = kassenzeichen.candidate(form, today)
        if not Payment.objects.filter(kassenzeichen=found).exists():
            return found
    raise RuntimeError("no free Kassenzeichen: SMARTCITY_PAYMENT_KASSENZEICHEN_FORMAT is full")


def create_payment(
    service: Service,
    case_ref: str,
    data: Any,
    *,
    owner: Any = None,
    step: str = "",
    actor: str = "applying",
) -> Payment | None:
    """The payment of the fees ``service`` (its ``step``) charges for ``data``, status
    ``started``; None when nothing is to pay. FeeError if the data does not fit."""
    lines = fee_lines(service, data, step)
    total = sum(line.amount for line in lines)
    if total == 0:
        return None
    for attempt in range(TRIES):
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    service=service,
                    step=step,
                    case_ref=case_ref,
                    owner=owner if owner is not None and owner.is_authenticated else None,
                    amount=total,
                    lines=[line.as_dict() for line in lines],
                    kassenzeichen=new_kassenzeichen(),
                )
                PaymentEvent.objects.create(payment=payment, new=Payment.STARTED, actor=actor)
                payment_changed.send(sender=Payment, payment=payment, old="", new=payment.status)
                return payment
        except IntegrityError:  # another worker took the same Kassenzeichen meanwhile
            if attempt == TRIES - 1:
                raise
    return None  # not reached


def visible_to(payment: Payment, user: Any) -> bool:
    """Whether ``user`` may see ``payment``: its owner, or, for a guest's payment, whoever
    has its address (the public id is 128 random bits)."""
    if payment.owner_id is None:
        return True
    return bool(user is not None and user.is_authenticated and user.pk == payment.owner_id)


def euros(cents: int) -> str:
    """``1250`` as ``12,50 €`` (German notation)."""
    whole, rest = divmod(cents, 100)
    return f"{whole:,}".replace(",", ".") + f",{rest:02d} €"
