"""The back office of the kernel: its titles (the city's name, not Django's), API tokens,
the importers' schedules, people's teams and roles (core.roles), and the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.core import importers, roles, schedules, tokens
from smartcity.core.admin_mixins import ViewOnly
from smartcity.core.audit_admin import AuditedReads
from smartcity.core.city import city
from smartcity.core.models import (
    ApiToken,
    AuditEvent,
    ImportSchedule,
    OidcIdentity,
    Registration,
    RoleGrant,
    Team,
)

AUDIT_READ = "core.audit.read"


def back_office_title() -> str:
    """The back office's title with the configured city's name, in the page's language."""
    # the en dash of German typography, not a hyphen
    return gettext("Smart City %(city)s – Verwaltung") % {"city": city().name}  # noqa: RUF001


# lazy: the city file is read on the first page, not at import, and the language is the page's
admin.site.site_header = admin.site.site_title = lazy(back_office_title, str)()
admin.site.index_title = _("Übersicht")


class ImportScheduleForm(forms.ModelForm):
    importer = forms.ChoiceField(label=_("Importer"), choices=())

    class Meta:
        model = ImportSchedule
        fields = ("importer", "options", "interval_minutes", "crontab", "enabled")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["importer"].choices = [(name, name) for name in importers.names()]  # type: ignore[attr-defined]

    def clean_crontab(self) -> str:
        text = " ".join(self.cleaned_data.get("crontab", "").split())
        if text:
            try:
                schedules.parse_crontab(text)
            except ValueError as error:
                raise forms.ValidationError(_("Ungültiger Crontab: %s") % error) from None
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("interval_minutes")) == bool(data.get("crontab")):
            raise forms.ValidationError(
                _("Bitte entweder ein Intervall oder einen Crontab angeben.")
            )
        name = data.get("importer")
        if name in importers.names() and "options" in data:
            try:
                schedules.check_options(importers.get(name), data["options"])
            except ValueError as error:
                self.add_error("options", str(error))
        return data


@admin.register(ImportSchedule)
class ImportScheduleAdmin(admin.ModelAdmin):
    form = ImportScheduleForm
    list_display = (
        "importer",
        "interval_minutes",
        "crontab",
        "enabled",
        "last_run_at",
        "last_status",
    )
    list_filter = ("enabled", "last_status", "importer")
    readonly_fields = ("last_run_at", "last_status", "last_summary", "last_error")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "prefix",
        "secret_hash",
        "created_at",
        "last_used_at",
    )
    search_fields = ("name", "prefix")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        newly_revoked = obj.revoked_at is not None and "revoked_at" in form.changed_data
        super().save_model(request, obj, form, change)
        if newly_revoked:
            tokens.notify_revoked(obj)  # e.g. its MQTT broker account goes too


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("key", "name")
    search_fields = ("key", "name")


class RoleGrantForm(forms.ModelForm):
    """A role of core.roles.ROLES, with a team exactly where the role is a team's."""

    role = forms.ChoiceField(label=_("Rolle"), choices=[(r.key, r.title) for r in roles.ROLES])

    class Meta:
        model = RoleGrant
        fields = ("user", "role", "team")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, team = data.get("role"), data.get("team")
        if key in roles.BY_KEY and roles.role(key).team != (team is not None):
            message = (
                _("Diese Rolle gilt für ein Team: bitte eines wählen.")
                if roles.role(key).team
                else _("Diese Rolle gilt nicht für ein Team: bitte keines wählen.")
            )
            self.add_error("team", message)
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantForm
    list_display = ("user", "role", "team", "granted_at")
    list_filter = ("role", "team")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("user", "registered_at", "confirmed_at")
    search_fields = ("user__username", "user__email")
    readonly_fields = ("user", "registered_at", "confirmed_at", "mailed_at")


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnly, admin.ModelAdmin):
    """The audit log, to read only: nobody changes or deletes an event here (they go by
    AUDIT_RETENTION_DAYS). Visible to the role admin (``core.audit.read``) and superusers."""

    list_display = ("at", "action", "object_type", "object_id", "purpose", "actor_name", "actor_id")
    list_filter = ("action", "object_type", "purpose")
    search_fields = ("object_id", "actor_name", "request_id")
    date_hierarchy = "at"

    def _may(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or roles.may(user, AUDIT_READ)))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)


class AccountAdmin(AuditedReads, auth_admin.UserAdmin):  # type: ignore[type-arg]
    """Django's accounts, with each opening of one (its name and address) in the audit log."""

    audit_object_type = "core.account"


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Who logs in through the identity broker as which account; deleting a row unlinks
    it (the next login through the broker is then a new account, or refused when the
    address is taken)."""

    list_display = ("user", "issuer", "created_at", "last_login_at")
    search_fields = ("user__username", "user__email", "subject")
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_login_at")

    def has_add_permission(self, request: Any) -> bool:
        return False
