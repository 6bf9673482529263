"""Mein Konto (/konto/): the signed-in person's page, the download of everything stored
about them (/konto/daten.json) and deleting the account (/konto/loeschen/)."""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user

from smartcity.core import roles
from smartcity.core.accounts.login import factors
from smartcity.core.accounts.oidc import client as oidc
from smartcity.core.accounts.self_service import personal
from smartcity.core.accounts.self_service.forms import DeleteAccountForm, PasswordChangeForm


@never_cache
@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    held = roles.held(user)
    context = {
        "held_roles": [roles.role(key).title for key in sorted(held) if key in roles.BY_KEY],
        "staff": factors.needs_two_factors(user),
        "factors": len(list(devices_for_user(user, confirmed=True))),
        "deletable": personal.deletable(user),
        "password_changed": request.GET.get("passwort") == "geaendert",
    }
    return render(request, "accounts/self_service/account.html", context)


@never_cache
@login_required
@require_http_methods(["GET"])
def download(request: HttpRequest) -> HttpResponse:
    """Everything stored about the person as one JSON file (Art. 15 and 20 GDPR)."""
    data = personal.export(request.user)
    personal.record_export(request)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """GET: what goes and what the city keeps, and the form. POST: with the right
    password, the account goes; the person is logged out."""
    user = request.user
    if not personal.deletable(user):
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/self_service/delete.html", {"staff": True}, status=status)
    form = DeleteAccountForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            personal.delete_account(request, user)
            logout(request)
            return render(request, "accounts/self_service/deleted.html")
        return render(request, "accounts/self_service/delete.html", {"form": form}, status=400)
    return render(request, "accounts/self_service/delete.html", {"form": form})


@login_required
@require_http_methods(["POST"])
def reauth(request: HttpRequest) -> HttpResponseRedirect:
    """POST (CSRF): an account without a password whose login is too old to delete it
    is logged out and sent to log in anew through the broker (``prompt=login``), and then
    back to /konto/loeschen/."""
    logout(request)
    back = urlencode({"next": reverse("account:delete")})
    if oidc.configured():
        return HttpResponseRedirect(reverse("oidc:start") + "?erneut=1&" + back)
    return HttpResponseRedirect(reverse("login:login") + "?" + back)


class PasswordChangeView(auth_views.PasswordChangeView):
    """/konto/passwort-aendern/: Django's view (the old password, the new one twice, the
    platform's validators); the session stays logged in."""

    form_class = PasswordChangeForm
    template_name = "accounts/self_service/password_change.html"
    success_url = reverse_lazy("account:home")

    def get_success_url(self) -> str:
        return f"{super().get_success_url()}?passwort=geaendert"

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        response.status_code = 400
        return response
