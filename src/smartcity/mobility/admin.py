"""The back office for mobility: the feeds with their health (when each last delivered,
the last error and the failures since, so a failing source is visible to the team), the
files of the GBFS systems (read only: what each file's last read brought), the hubs
(Mobilstationen), which the team maintains by hand, and, to read, the timetable versions
and the service alerts in force."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.mobility import feeds
from smartcity.mobility.models import Feed, GbfsFile, Hub, ServiceAlert, TransitVersion


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("key", "provider", "kind", "delivered_at", "is_stale", "failures", "error")
    list_filter = ("kind", "is_demo")
    search_fields = ("key", "provider", "url")
    readonly_fields = ("attempted_at", "delivered_at", "error", "failures")

    @admin.display(description=_("veraltet"), boolean=True)
    def is_stale(self, feed: Feed) -> bool:
        return feeds.freshness(feed, None, timezone.now()).stale


@admin.register(GbfsFile)
class GbfsFileAdmin(admin.ModelAdmin):
    list_display = ("feed", "name", "version", "ttl", "last_updated", "fetched_at", "error")
    list_filter = ("feed", "name")
    exclude = ("data",)  # geofencing zones can be megabytes; the API answers them

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "radius", "is_demo")
    search_fields = ("name", "key")


@admin.register(TransitVersion)
class TransitVersionAdmin(admin.ModelAdmin):
    """The timetables imported, the one in use first; read-only (imports write them)."""

    list_display = ("feed", "active", "imported_at", "first_date", "last_date", "counts")
    list_filter = ("active", "feed")
    ordering = ("-active", "-imported_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ServiceAlert)
class ServiceAlertAdmin(admin.ModelAdmin):
    """The service alerts the realtime feeds report now; read-only."""

    list_display = ("__str__", "feed", "cause", "effect", "severity")
    list_filter = ("feed", "effect")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
