"""Logging in and out, registering, confirming the address, and the mailed links (HTML,
German first). The second factor's pages are factor_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from smartcity.core.accounts.login import factors, registration
from smartcity.core.accounts.login.forms import (
    EmailOnlyForm,
    LoginForm,
    RegistrationForm,
    safe_next,
)
from smartcity.core.accounts.oidc import client as oidc_client
from smartcity.core.accounts.oidc.logout import logout_response


def next_of(request: HttpRequest, default: str = "/") -> str:
    """Where to go after a step: the ``next`` of the form or the address, if it is one of
    this site's paths; else ``default``."""
    return safe_next(request.POST.get("next") or request.GET.get("next")) or default


def after_password(request: HttpRequest, user: Any, target: str) -> HttpResponseRedirect:
    """Where someone goes once the password was right: staff to the second factor."""
    verified = getattr(user, "is_verified", None)  # OTPMiddleware's; not on a fresh login
    if factors.needs_two_factors(user) and not (verified and verified()):
        return HttpResponseRedirect(
            reverse("login:second-factor") + "?" + urlencode({"next": target})
        )
    return HttpResponseRedirect(target)


class LoginView(auth_views.LoginView):
    """/konto/anmelden/ (and the back office's /admin/login/). Django's view with our
    form; a ``next`` that leaves the site is dropped, not followed."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False
    default_next = "/"

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        request = request or self.request
        return safe_next(request.POST.get("next") or request.GET.get("next")) or ""

    def get_success_url(self) -> str:
        return self.get_redirect_url() or self.default_next

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated:  # already in: on to the target (or its second factor)
            return after_password(request, user, self.get_success_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        super().form_valid(form)  # logs in (a new session key)
        return after_password(self.request, form.get_user(), self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = self.get_redirect_url()
        context["oidc_label"] = oidc_client.button_label() if oidc_client.configured() else ""
        return context


@method_decorator(never_cache, name="dispatch")
class LogoutView(View):
    """/konto/abmelden/: a page with a button on GET, logging out on POST (CSRF); a session
    from the city's identity broker is logged out there too (core.accounts.oidc.logout)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"logged_in": request.user.is_authenticated}
        return oidc_client.forms_may_go_to_broker(render(request, "accounts/logout.html", context))

    def post(self, request: HttpRequest) -> HttpResponse:
        return logout_response(request)


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class RegisterView(View):
    """/konto/registrieren/: the same answer for a known and an unknown address."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/register.html", {"form": RegistrationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegistrationForm(request.POST)
        if not form.is_valid():
            return render(request, "accounts/register.html", {"form": form}, status=400)
        registration.register(form.cleaned_data["email"], form.cleaned_data["password1"])
        return _mail_sent(request, "registered", form.cleaned_data["email"])


def _mail_sent(request: HttpRequest, kind: str, email: str) -> HttpResponse:
    context = {"kind": kind, "email": email}
    return render(request, "accounts/mail_sent.html", context)


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """/konto/bestaetigen/<token>/: opening the link confirms (a GET: the link comes from
    a mail; it is good once, for this account, for SMARTCITY_ACCOUNT_LINK_HOURS)."""
    if len(token) > 400:
        return render(request, "accounts/confirm_failed.html", {"problem": "invalid"}, status=400)
    outcome = registration.confirm(token)
    if outcome.user is None:
        context = {"problem": outcome.problem}
        return render(request, "accounts/confirm_failed.html", context, status=400)
    return render(request, "accounts/confirmed.html")


class _EmailRequestView(View):
    """A form of one e-mail address that asks for a mailed link; always the same answer."""

    template = ""
    kind = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": EmailOnlyForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EmailOnlyForm(request.POST)
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        self.act(form.cleaned_data["email"])
        return _mail_sent(request, self.kind, form.cleaned_data["email"])

    def act(self, email: str) -> None:
        raise NotImplementedError


@method_decorator([csrf_protect, never_cache], name="dispatch")
class ResendView(_EmailRequestView):
    template, kind = "accounts/resend.html", "resent"

    def act(self, email: str) -> None:
        registration.resend(email)


@method_decorator([csrf_protect, never_cache], name="dispatch")
class ResetRequestView(_EmailRequestView):
    template, kind = "accounts/reset_request.html", "reset"

    def act(self, email: str) -> None:
        registration.request_reset(email)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    """The mailed link for a new password (Django's view: the token leaves the address
    for the session before the form is shown, and Django's validators check the new one)."""

    template_name = "accounts/reset_confirm.html"
    success_url = reverse_lazy("login:reset-done")
    post_reset_login = False


class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/reset_done.html"
