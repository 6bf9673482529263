"""A payment's status machine: started -> processing -> completed / failed, and
completed -> refunded. Every change is kept as a PaymentEvent (from what, to what, by whom
or what, when) and announced by ``signals.payment_changed``; any other change is refused.

    started ----> processing ----> completed ----> refunded
       |              |
       +--> failed <--+

``started`` -> ``completed`` is allowed too: a transfer may arrive before the payer chose
a method on the page (the Kassenzeichen was on the notice)."""

from __future__ import annotations

from django.db import transaction

from smartcity.administration.models import Payment, PaymentEvent
from smartcity.administration.payments.signals import payment_changed

TRANSITIONS: dict[str, frozenset[str]] = {
    Payment.STARTED: frozenset({Payment.PROCESSING, Payment.COMPLETED, Payment.FAILED}),
    Payment.PROCESSING: frozenset({Payment.COMPLETED, Payment.FAILED}),
    Payment.COMPLETED: frozenset({Payment.REFUNDED}),
    Payment.FAILED: frozenset(),
    Payment.REFUNDED: frozenset(),
}


class IllegalTransition(ValueError):
    """The payment cannot go from its status to the one asked for."""

    def __init__(self, payment: Payment, new: str) -> None:
        super().__init__(
            f"payment {payment.kassenzeichen} cannot go from {payment.status} to {new}"
        )
        self.old, self.new = payment.status, new


def allowed(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def move(
    payment: Payment,
    new: str,
    *,
    actor: str,
    note: str = "",
    again: bool = False,
    **fields: str,
) -> bool:
    """Change ``payment``'s status to ``new`` (and ``fields``, e.g. provider_ref) under a
    row lock; IllegalTransition if the machine does not allow it. With ``again`` (a
    message that may come twice: a webhook and a return), a payment already at ``new``
    is left as it is. True if it changed; ``payment`` then holds what is stored."""
    if new not in TRANSITIONS:
        raise ValueError(f"{new!r} is not a payment status")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        old = locked.status
        if again and old == new:
            payment.status = new
            return False
        if not allowed(old, new):
            raise IllegalTransition(locked, new)
        locked.status = new
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "changed", *fields])
        PaymentEvent.objects.create(
            payment=locked, old=old, new=new, actor=actor[:120], note=note[:300]
        )
        payment_changed.send(sender=Payment, payment=locked, old=old, new=new)
    for name in ("status", "changed", *fields):
        setattr(payment, name, getattr(locked, name))
    return True


def choose(payment: Payment, provider: str, reference: str = "", *, actor: str) -> None:
    """The payer chose ``provider`` (its own reference for the payment, if any): a
    started payment is processing from now on; a processing one changes its way (kept as
    an event too). Any other status is IllegalTransition."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status == Payment.STARTED:
            move(
                locked,
                Payment.PROCESSING,
                actor=actor,
                note=f"via {provider}",
                provider=provider,
                provider_ref=reference,
            )
        elif locked.status == Payment.PROCESSING:
            locked.provider, locked.provider_ref = provider, reference
            locked.save(update_fields=["provider", "provider_ref", "changed"])
            PaymentEvent.objects.create(
                payment=locked,
                old=locked.status,
                new=locked.status,
                actor=actor[:120],
                note=f"now via {provider}",
            )
        else:
            raise IllegalTransition(locked, Payment.PROCESSING)
    for name in ("status", "provider", "provider_ref", "changed"):
        setattr(payment, name, getattr(locked, name))
