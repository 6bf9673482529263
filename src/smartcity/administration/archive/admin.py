"""The archive in the back office: the action "An das Archiv übergeben (xdomea)" on the
applications list (supervisors of the team: administration.case.archive) answers with the
zip, and the list of transfers with what the archive answered (read-only)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import admin, messages
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.administration.applying.limits import Refused
from smartcity.administration.archive import export
from smartcity.administration.models import ArchiveTransfer
from smartcity.core import roles
from smartcity.core.admin_mixins import ViewOnly


@admin.action(description=gettext_lazy("An das Archiv übergeben (xdomea)"))
def export_to_archive(
    modeladmin: Any, request: HttpRequest, queryset: Any
) -> HttpResponseBase | None:
    """One selected application's file as the xdomea zip, written to a temporary file
    first (nothing whole in memory) and sent from there."""
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Bitte wählen Sie genau einen Antrag aus."), messages.ERROR
        )
        return None
    application = queryset.get()
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        transfer = export.export(application, spool, request.user, request)
    except Refused as refused:
        spool.close()
        modeladmin.message_user(request, refused.message, messages.ERROR)
        return None
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=export.zip_name(transfer),
        content_type="application/zip",
    )


@admin.register(ArchiveTransfer)
class ArchiveTransferAdmin(ViewOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("application", "status", "exported", "archive_id")
    list_filter = ("status",)
    search_fields = ("application__reference", "process_id")
    readonly_fields = (
        "application",
        "process_id",
        "file_id",
        "exported",
        "exported_by",
        "sha256",
        "size",
        "documents",
        "status",
        "archive_id",
        "receipt",
        "answered",
    )
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> Any:
        teams = roles.teams_for(request.user, export.ARCHIVE)
        found = super().get_queryset(request).select_related("application__service")
        return found.filter(application__service__team__key__in=teams)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(roles.teams_for(request.user, export.ARCHIVE))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        team = obj.application.service.team
        return team is not None and roles.may(request.user, export.ARCHIVE, team.key)
