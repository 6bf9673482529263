"""Mix-ins for back-office pages (Django's admin) that every domain's admin may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ViewOnly:
    """Mix into a ModelAdmin before ``admin.ModelAdmin``: its objects are shown, never
    added, changed or deleted there (a log, a register kept by the platform itself, a
    read of personal data)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
