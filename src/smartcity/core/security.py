"""The security headers' policies, as data for settings.py: the Content-Security-Policy
(django-csp) and the Permissions-Policy (django-permissions-policy).

The CSP allows scripts, styles, fonts and workers from the platform's own origin only:
no inline script or style, no ``eval``, no ``style`` attribute (scripts style elements
through the CSSOM, ``element.style.x = ...``, which a CSP leaves alone). The base map
(``SMARTCITY_BASEMAP_URL``) may live on another host: its origin is allowed to be fetched
(style, tiles, sprites, glyphs: ``connect-src``) and shown (``img-src``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

SELF, NONE = "'self'", "'none'"


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL; None for a path on our own host
    or anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def content_security_policy(basemap_url: str) -> dict[str, list[str]]:
    """The directives of the platform's CSP (django-csp's ``DIRECTIVES``)."""
    map_hosts = [found] if (found := origin(basemap_url)) else []
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *map_hosts],
        "connect-src": [SELF, *map_hosts],
        "font-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }


# Browser features no page of the platform uses are off, for its pages and anything they
# might embed; the position is for the dashboard's "Meine Position" (own origin only).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "display-capture": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "midi": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "browsing-topics": [],
}

