"""The back office for mobility: the feeds with their health (when each last delivered,
the last error and the failures since, so a failing source is visible to the team) and the
hubs (Mobilstationen), which the team maintains by hand."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.mobility import feeds
from smartcity.mobility.models import Feed, Hub


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("key", "provider", "kind", "delivered_at", "is_stale", "failures", "error")
    list_filter = ("kind", "is_demo")
    search_fields = ("key", "provider", "url")
    readonly_fields = ("attempted_at", "delivered_at", "error", "failures")

    @admin.display(description=_("veraltet"), boolean=True)
    def is_stale(self, feed: Feed) -> bool:
        return feeds.freshness(feed, None, timezone.now()).stale


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "radius", "is_demo")
    search_fields = ("name", "key")
