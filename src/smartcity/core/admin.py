from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from smartcity.core import tokens
from smartcity.core.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "prefix",
        "secret_hash",
        "created_at",
        "last_used_at",
        "datastreams",
        "broker_account",
    )
    search_fields = ("name", "prefix")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        newly_revoked = obj.revoked_at is not None and "revoked_at" in form.changed_data
        super().save_model(request, obj, form, change)
        if newly_revoked:
            tokens.notify_revoked(obj)  # e.g. its MQTT broker account goes too
