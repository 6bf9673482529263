"""The administration's back office: each part registers its own models."""

from smartcity.administration.payments import admin as payments_admin  # noqa: F401
