"""/konto/: logging in and out, registering, two factors (login/), the city's identity
broker (oidc), and "Mein Konto" (self_service/)."""

from django.urls import include, path

urlpatterns = [
    path("", include("smartcity.core.accounts.login.urls")),
    path("", include("smartcity.core.accounts.self_service.urls")),
    path("oidc/", include("smartcity.core.accounts.oidc.urls")),
    # the passkey ceremony's JSON (django-otp-webauthn; its script reverses otp_webauthn:)
    path("passkey/", include("django_otp_webauthn.urls")),
]
