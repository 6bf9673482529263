"""Mein Konto (/konto/; the names are ``account:...``): the person's page, the download of
what is stored about them, changing the password, deleting the account."""

from django.urls import path

from smartcity.core.accounts.self_service import views

app_name = "account"

urlpatterns = [
    path("", views.account, name="home"),
    path("daten.json", views.download, name="download"),
    path("passwort-aendern/", views.PasswordChangeView.as_view(), name="password"),
    path("loeschen/", views.delete, name="delete"),
    path("loeschen/erneut-anmelden/", views.reauth, name="reauth"),
]
