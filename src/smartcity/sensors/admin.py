"""The back office for the Smart City team: sensors, places and data streams.

Observations are listed without a full count and with raw id fields, so the page stays
fast on a table of hundreds of millions of rows. Stored times are shown through
``timeutil.local_time``: the last hours of the year 9999 in UTC have no local time, and
Django's own display would fail on them.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.core.admin_mixins import ViewOnly
from smartcity.core.forms import JSON_WITHOUT_NULL, TIMES_IN_UTC
from smartcity.core.timeutil import local_time
from smartcity.sensors import health, models


class SensorsAdmin(admin.ModelAdmin):
    """Empty JSON members (properties, metadata) show an empty box, not ``null``; times are
    edited as UTC text (every stored time has one, not every one a local time)."""

    formfield_overrides = {**JSON_WITHOUT_NULL, **TIMES_IN_UTC}


def _shown(model: type[Model], name: str) -> Callable[[Any, Any], datetime | None]:
    """A column or read-only field showing the stored time ``name`` in local time."""
    label = getattr(model._meta.get_field(name), "verbose_name", name)

    @admin.display(description=label, ordering=name)
    def show(self: Any, obj: Any) -> datetime | None:
        value = getattr(obj, name)
        return None if value is None else local_time(value)

    show.__name__ = f"{name}_shown"
    return show


@admin.register(models.Thing)
class ThingAdmin(SensorsAdmin):
    list_display = ("name", "description")
    search_fields = ("name", "description")  # also the alert rules' station picker
    ordering = ("name", "id")
    filter_horizontal = ("locations",)


@admin.register(models.Location)
class LocationAdmin(SensorsAdmin):
    list_display = ("name", "encoding_type", "bbox_min_x", "bbox_min_y")
    search_fields = ("name", "description")


@admin.register(models.Sensor)
class SensorAdmin(SensorsAdmin):
    list_display = ("name", "encoding_type")
    search_fields = ("name", "description")


@admin.register(models.ObservedProperty)
class ObservedPropertyAdmin(SensorsAdmin):
    list_display = ("name", "definition")
    search_fields = ("name", "definition")
    ordering = ("name", "id")


@admin.register(models.Datastream)
class DatastreamAdmin(SensorsAdmin):
    list_display = ("name", "thing", "observed_property", "phenomenon_time_end_shown")
    list_select_related = ("thing", "observed_property")
    search_fields = ("name", "thing__name")
    list_filter = ("observed_property",)
    raw_id_fields = ("thing", "sensor", "observed_property")
    # computed from the observations: shown below, never edited
    exclude = (
        "phenomenon_time_start",
        "phenomenon_time_end",
        "result_time_start",
        "result_time_end",
    )
    readonly_fields = (
        "phenomenon_time_start_shown",
        "phenomenon_time_end_shown",
        "result_time_start_shown",
        "result_time_end_shown",
    )
    phenomenon_time_start_shown = _shown(models.Datastream, "phenomenon_time_start")
    phenomenon_time_end_shown = _shown(models.Datastream, "phenomenon_time_end")
    result_time_start_shown = _shown(models.Datastream, "result_time_start")
    result_time_end_shown = _shown(models.Datastream, "result_time_end")


@admin.register(models.MultiDatastream)
class MultiDatastreamAdmin(SensorsAdmin):
    list_display = ("name", "thing")
    raw_id_fields = ("thing", "sensor")


@admin.register(models.FeatureOfInterest)
class FeatureOfInterestAdmin(SensorsAdmin):
    list_display = ("name", "encoding_type")
    search_fields = ("name",)
    raw_id_fields = ("generated_from",)


@admin.register(models.Observation)
class ObservationAdmin(SensorsAdmin):
    list_display = ("id", "datastream", "phenomenon_time_start_shown", "result")
    phenomenon_time_start_shown = _shown(models.Observation, "phenomenon_time_start")
    list_select_related = ("datastream",)
    raw_id_fields = ("datastream", "multi_datastream", "feature_of_interest")
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-id",)


@admin.register(models.HistoricalLocation)
class HistoricalLocationAdmin(admin.ModelAdmin):
    list_display = ("thing", "time_shown")
    time_shown = _shown(models.HistoricalLocation, "time")
    raw_id_fields = ("thing",)


class LoRaWANFieldInline(admin.TabularInline):
    model = models.LoRaWANField
    extra = 1
    raw_id_fields = ("datastream",)


@admin.register(models.LoRaWANDevice)
class LoRaWANDeviceAdmin(admin.ModelAdmin):
    """The city's LoRaWAN sensors: DevEUI -> Thing, payload member -> Datastream."""

    list_display = ("dev_eui", "name", "thing", "active")
    list_filter = ("active",)
    search_fields = ("dev_eui", "name", "thing__name")
    raw_id_fields = ("thing",)
    inlines = (LoRaWANFieldInline,)


@admin.register(models.TokenGrant)
class TokenGrantAdmin(admin.ModelAdmin):
    """The Datastreams a device token may feed and its broker account, beside the token."""

    list_display = ("token", "datastreams", "broker_account")
    readonly_fields = ("token", "datastreams", "broker_account")

    def has_add_permission(self, request: object) -> bool:  # made by `smartcity token create`
        return False


@admin.register(models.StationHealth)
class StationHealthAdmin(ViewOnly, admin.ModelAdmin):
    """The sensor health view: a page of its own rather than a changelist, because a
    Datastream's status depends on its own threshold (computed, not a column to sort or
    filter on in SQL) and a row shows a Datastream with facts of its station."""

    FILTERS = {
        "": gettext_lazy("alle"),
        "problems": gettext_lazy("veraltet oder stumm"),
        "silent": gettext_lazy("stumm"),
    }
    LABELS = {
        health.CURRENT: gettext_lazy("aktuell"),
        health.STALE: gettext_lazy("veraltet"),
        health.SILENT: gettext_lazy("stumm"),
    }
    ORDERS = ("oldest", "newest")
    PER_PAGE = 100

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("sensors.view_thing") or super().has_view_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # Django's 403
        status, order = request.GET.get("status", ""), request.GET.get("o", "oldest")
        if status not in self.FILTERS or order not in self.ORDERS:
            return HttpResponseBadRequest(
                _("Unbekannter Filter: status ist leer, problems oder silent; o ist oldest "
                  "oder newest."),
                content_type="text/plain; charset=utf-8",
            )
        now = timezone.now()
        search = request.GET.get("q", "").strip()
        found = health.rows(now, status=status, search=search, oldest_first=order == "oldest")
        page = Paginator(found, self.PER_PAGE).get_page(request.GET.get("p"))
        health.fill(list(page.object_list))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sensorzustand"),
            "opts": self.model._meta,
            "page": page,
            "now": now,
            "counts": health.counts(now),
            "status": status,
            "order": order,
            "search": search,
            "filters": list(self.FILTERS.items()),
            "labels": self.LABELS,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/sensors/health.html", context)
