"""Logging in and out, registering with e-mail confirmation, staff's two factors
(under /konto/; the names are ``login:...``)."""

from django.urls import path

from smartcity.core.accounts.login import factor_views, views

app_name = "login"

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("anmelden/bestaetigen/", factor_views.second_factor, name="second-factor"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    path("registrieren/", views.RegisterView.as_view(), name="register"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("bestaetigen-erneut/", views.ResendView.as_view(), name="resend"),
    path("passwort-vergessen/", views.ResetRequestView.as_view(), name="reset"),
    path("passwort-neu/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="reset-confirm"),
    path("passwort-neu/fertig/", views.ResetDoneView.as_view(), name="reset-done"),
    path("zwei-faktoren/", factor_views.enrol, name="enrol"),
    path("zwei-faktoren/app/", factor_views.enrol_totp, name="enrol-totp"),
    path("zwei-faktoren/wiederherstellung/", factor_views.recovery_codes, name="recovery-codes"),
]
