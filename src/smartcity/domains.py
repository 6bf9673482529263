"""The app list: the platform's domain apps, in the order their pages, APIs, commands and
tiles appear. Adding a domain is its folder plus one line here; everything it brings is
declared in its ``platform.py`` (see ``smartcity.core.contract`` and docs/architecture.md).
"""

DOMAIN_APPS: tuple[str, ...] = (
    "smartcity.core",
    "smartcity.sensors",
    "smartcity.environment",
    "smartcity.mobility",
    "smartcity.administration",
    "smartcity.portal",
)
