"""Submitted applications in the back office, read-only, for the clerks and supervisors
of the team that works the service (the declared action ``administration.application.
read``, core.roles). Drafts are the applicant's own and are not shown.

Opening an application is a read of personal data and is in the audit log (through
``access.read_as``), as is each download of its files (``access.download_as``); the list
shows only reference, service, status and dates.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from smartcity.administration.applying import access
from smartcity.administration.applying.storage import store
from smartcity.administration.archive.admin import export_to_archive
from smartcity.administration.models import Application
from smartcity.core import roles
from smartcity.core.admin_mixins import ViewOnly

ACTION = "administration.application.read"
PURPOSE = "case"


class ApplicationAdmin(ViewOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Registered with the case's inlines and forms by applying/case/admin.py."""

    list_display = ("reference", "service", "status", "submitted")
    list_filter = ("service",)
    search_fields = ("reference",)
    fields = (
        "reference",
        "service",
        "status",
        "submitted",
        "applicant_account",
        "cosigned",
        "answers",
        "files",
    )
    readonly_fields = fields
    actions = [export_to_archive]

    def get_queryset(self, request: HttpRequest) -> Any:
        teams = roles.teams_for(request.user, ACTION)
        return (
            super()
            .get_queryset(request)
            .filter(status=Application.SUBMITTED, service__team__key__in=teams)
            .select_related("service__team")
        )

    def _may(self, request: HttpRequest, obj: Application | None) -> bool:
        if obj is None:
            return bool(roles.teams_for(request.user, ACTION))
        team = obj.service.team
        return team is not None and roles.may(request.user, ACTION, team.key)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        found = self.get_object(request, unquote(object_id))
        if found is not None and self._may(request, found):
            access.read_as(found, request.user, PURPOSE, request)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Konto"))
    def applicant_account(self, obj: Application) -> str:
        return obj.applicant.get_username() if obj.applicant else "—"

    @admin.display(description=_("Angaben"))
    def answers(self, obj: Application) -> str:
        text = json.dumps(obj.data, ensure_ascii=False, indent=2)
        return format_html('<pre class="application-data">{}</pre>', text)

    @admin.display(description=_("Dateien"))
    def files(self, obj: Application) -> str:
        rows = [
            (reverse("admin:administration_application_file", args=[obj.pk, u.public_id]), u)
            for u in obj.uploads.all()
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {} Bytes)</li>',
                ((url, u.original_name, u.media_type, u.size) for url, u in rows),
            ),
        )

    def get_urls(self) -> list[Any]:
        file_view = self.admin_site.admin_view(self.file)
        return [
            path(
                "<int:object_id>/datei/<slug:upload_id>/",
                file_view,
                name="administration_application_file",
            ),
            *super().get_urls(),
        ]

    def file(self, request: HttpRequest, object_id: int, upload_id: str) -> FileResponse:
        """A file of an application, to those who may read it (else 404, as an id that
        does not exist)."""
        found = self.get_queryset(request).filter(pk=object_id).first()
        if found is None or not self._may(request, found):
            raise Http404("no such application")
        upload = found.uploads.filter(public_id=str(upload_id)[:32]).first()
        if upload is None:
            raise Http404("no such upload")
        access.download_as(upload, request.user, PURPOSE, request)
        response = FileResponse(
            store().open(upload.stored),
            as_attachment=True,
            filename=upload.original_name,
            content_type=upload.media_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response
