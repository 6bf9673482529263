"""The workflow listens to the case layer, so that the case layer never needs to import
it: when a document request is saved as answered (case services.answer_request), the
case goes back to its completeness check (services.documents_answered)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from smartcity.administration.models import DocumentRequest
from smartcity.administration.workflow import services


def request_saved(sender: Any, instance: DocumentRequest, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.status == DocumentRequest.ANSWERED and (fields is None or "status" in fields):
        services.documents_answered(instance.application)


def connect() -> None:
    post_save.connect(
        request_saved, sender=DocumentRequest, dispatch_uid="smartcity.administration.workflow"
    )
