"""The catalogue in the back office: services with their legal bases, offices and life
situations. Who may edit them is the declared action ``administration.service.edit``
(core.roles); Django's superuser, the platform's first administrator, may too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from smartcity.administration.catalogue import form_format
from smartcity.administration.models import LegalBasis, LifeSituation, Office, Service
from smartcity.core import roles

ACTION = "administration.service.edit"


class CatalogueEditing:
    """Every permission of the back office is the one action's."""

    def _may(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or roles.may(user, ACTION)))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose and order them

    def clean_form(self) -> Any:
        form = self.cleaned_data["form"]
        if form:  # an empty form: the service is described, not yet applied for online
            found = form_format.problems(form)
            if found:
                raise forms.ValidationError("; ".join(found[:5]))
        return form


class LegalBasisInline(CatalogueEditing, admin.TabularInline):  # type: ignore[type-arg]
    model = LegalBasis
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Service)
class ServiceAdmin(CatalogueEditing, admin.ModelAdmin):  # type: ignore[type-arg]
    form = ServiceForm
    inlines = (LegalBasisInline,)
    list_display = ("name", "key", "team", "online", "in_person", "published", "is_demo")
    list_filter = ("published", "online", "in_person", "team", "is_demo")
    search_fields = ("name", "summary", "keywords", "key", "leika_key")
    prepopulated_fields = {"key": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "key", "summary", "keywords", "published", "is_demo")}),
        (_("Beschreibung"), {"fields": ("description", "eligibility", "documents", "fees",
                                        "duration", "deadlines", "procedure")}),
        (_("Wege und Ort"), {"fields": ("online", "guest", "in_person", "office", "room",
                                        "contact", "phone", "email")}),
        (_("Zuständigkeit und FIM"), {"fields": ("team", "leika_key", "form")}),
        (_("E-Akte"), {"fields": ("file_plan", "retention_class")}),
    )  # fmt: skip


@admin.register(Office)
class OfficeAdmin(CatalogueEditing, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "key", "phone", "email", "is_demo")
    search_fields = ("name", "address")
    prepopulated_fields = {"key": ("name",)}


@admin.register(LifeSituation)
class LifeSituationAdmin(CatalogueEditing, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "key", "order", "is_demo")
    filter_horizontal = ("services",)
    prepopulated_fields = {"key": ("name",)}
