"""Template tags every page's layout uses, that need no request: the error pages (500.html
is rendered without a context) use them too."""

from __future__ import annotations

from django import template

from smartcity.core import config

register = template.Library()


@register.simple_tag
def site_setting(name: str) -> str:
    """The value of one of the layout's string settings (IMPRINT_URL, PRIVACY_URL)."""
    if name not in ("IMPRINT_URL", "PRIVACY_URL"):
        raise template.TemplateSyntaxError(f"site_setting does not give {name}")
    return str(config.get(name))
