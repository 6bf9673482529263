"""A back-office page that shows a person's data is a read of personal data: an admin with
:class:`AuditedReads` records each opening of an object's page in the audit log
(core/audit.py), with the object's type and public id and the purpose "back-office"."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from smartcity.core import audit

PURPOSE = "back-office"


class AuditedReads:
    """Mix into a ModelAdmin before ``admin.ModelAdmin``; set ``audit_object_type`` and,
    where the public id is not the primary key, ``audit_id_field``."""

    audit_object_type = ""
    audit_id_field = "pk"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        found = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if found is not None and self.has_view_permission(request, found):  # type: ignore[attr-defined]
            public_id = getattr(found, self.audit_id_field)
            audit.record(request, audit.READ, self.audit_object_type, public_id, PURPOSE)
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
