"""Meine Anträge: the signed-in person's applications (/service/meine-antraege/)."""

from django.urls import path

from smartcity.administration.applying import mine
from smartcity.administration.counter import claim

urlpatterns = [
    path("", mine.overview, name="applying-mine"),
    path("hinzufuegen/", claim.claim, name="applying-claim"),
    path("<slug:public_id>/", mine.detail, name="applying-mine-detail"),
    path("<slug:public_id>/eingangsbestaetigung.pdf", mine.acknowledgement, name="applying-pdf"),
    path("<slug:public_id>/dateien/<slug:upload_id>/", mine.file, name="applying-file"),
]
