"""Template tags every page's layout uses, that need no request: the error pages (500.html
is rendered without a context) use them too."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import dateformat
from django.utils.translation import get_language

from smartcity.core import config, contract
from smartcity.core.timeutil import local_time

register = template.Library()


@register.simple_tag
def site_setting(name: str) -> str:
    """The value of one of the layout's string settings (IMPRINT_URL, PRIVACY_URL)."""
    if name not in ("IMPRINT_URL", "PRIVACY_URL"):
        raise template.TemplateSyntaxError(f"site_setting does not give {name}")
    return str(config.get(name))


# How a date with its time is written on the pages, per language (Django date format, what
# follows the time): "02.12.2026, 14:05 Uhr", "2 Dec 2026, 14:05". The pages' scripts
# write the same with Intl.DateTimeFormat (static/js/umwelt*.js), in the same zone.
STAMP_FORMATS = {"de": ("d.m.Y, H:i", " Uhr"), "en": ("j M Y, H:i", "")}


def stamp_suffix() -> str:
    return STAMP_FORMATS.get(get_language() or "de", STAMP_FORMATS["de"])[1]


@register.filter
def local_stamp(value: datetime | str | None) -> str:
    """An instant (aware datetime or ISO 8601) as the pages write it, in local time
    (SMARTCITY_TIME_ZONE)."""
    if value is None or value == "":
        return ""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    pattern, suffix = STAMP_FORMATS.get(get_language() or "de", STAMP_FORMATS["de"])
    return dateformat.format(local_time(instant), pattern) + suffix


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> list[dict[str, object]]:
    """The main navigation's links after "Start" (``Domain.nav``), each with whether it is
    the current page's (500.html has no request: then none is)."""
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    return [
        {"label": link.label, "href": link.href, "current": path.startswith(link.href)}
        for link in contract.nav_links()
    ]
