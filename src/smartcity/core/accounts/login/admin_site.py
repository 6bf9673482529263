"""The back office (Django's admin) as a site that asks for the second factor: only a
person who logged in with their password and a second factor (django-otp's
``is_verified``) may see it, and its login is the platform's own (/konto/anmelden/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django_otp.admin import OTPAdminSite


class PlatformAdminSite(OTPAdminSite):  # type: ignore[misc]
    """``has_permission`` (OTPAdminSite's) needs the second factor; login and logout are
    the platform's pages, so there is one login with its lock-outs and factors."""

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponseBase:
        from smartcity.core.accounts.login.views import LoginView

        return LoginView.as_view(default_next=request.path.removesuffix("login/"))(request)
