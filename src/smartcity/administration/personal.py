"""What the administration stores about a person, for "Mein Konto" (core.contract
``PersonalData``): their applications with the data they gave, their uploads (names and
metadata, not the bytes), the applications they co-signed, and their payments.

When the account is deleted, drafts go with their files; submitted applications stay with
the office under their legal retention, and payments with the city's accounts, but no
longer linked to an account (the applicant's data in them is the case file's, which the
office keeps and deletes by its own rules).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application, Payment, Upload
from smartcity.core.accounts.self_service.personal import stamp


def _upload(upload: Upload) -> dict[str, Any]:
    return {
        "id": upload.public_id,
        "field": upload.field,
        "name": upload.original_name,
        "media_type": upload.media_type,
        "size": upload.size,
        "sha256": upload.sha256,
        "uploaded": stamp(upload.created),
    }


def _application(application: Application) -> dict[str, Any]:
    return {
        "id": application.public_id,
        "reference": application.reference,
        "service": application.service.name,
        "status": application.status,
        "started": stamp(application.created),
        "changed": stamp(application.updated),
        "submitted": stamp(application.submitted),
        "data": application.data,
        "cosigner_email": application.cosigner_email or None,
        "cosigned": stamp(application.cosigned),
        "uploads": [_upload(upload) for upload in application.uploads.all()],
    }


def _payment(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.public_id,
        "kassenzeichen": payment.kassenzeichen,
        "service": payment.service.name,
        "case_ref": payment.case_ref,
        "amount_cents": payment.amount,
        "currency": payment.currency,
        "lines": payment.lines,
        "provider": payment.provider,
        "status": payment.status,
        "created": stamp(payment.created),
        "changed": stamp(payment.changed),
    }


def export(user: Any) -> dict[str, Any]:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("service")
        .prefetch_related("uploads")
        .order_by("created", "pk")
    )
    cosigned = Application.objects.filter(cosigner=user).select_related("service")
    payments = Payment.objects.filter(owner=user).select_related("service").order_by("created")
    return {
        "applications": [_application(application) for application in applications],
        "cosigned_applications": [
            {
                "reference": found.reference,
                "service": found.service.name,
                "cosigned": stamp(found.cosigned),
            }
            for found in cosigned
        ],
        "payments": [_payment(payment) for payment in payments],
    }


def erase(user: Any) -> None:
    """Drafts go (their files once the deletion is committed); what the office keeps is
    unlinked from the account."""
    drafts = Application.objects.filter(applicant=user, status=Application.DRAFT)
    for name in Upload.objects.filter(application__in=drafts).values_list("stored", flat=True):
        transaction.on_commit(partial(store().delete, name))
    drafts.delete()
    Application.objects.filter(applicant=user).update(applicant=None)
    Application.objects.filter(cosigner=user).update(cosigner=None)
    Payment.objects.filter(owner=user).update(owner=None)
