"""The login through the city's identity broker, under /konto/oidc/ (``oidc:...``)."""

from django.urls import path

from smartcity.core.accounts.oidc import views

app_name = "oidc"

urlpatterns = [
    path("anmelden/", views.start, name="start"),
    path("rueckkehr/", views.callback, name="callback"),
    path("abmelden/", views.logout_view, name="logout"),
    path("abgemeldet/", views.logged_out, name="logged-out"),
    path("verknuepfen/", views.link, name="link"),
]
