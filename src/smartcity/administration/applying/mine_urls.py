"""Meine Anträge: the signed-in person's applications (/service/meine-antraege/)."""

from django.urls import path

from smartcity.administration.applying import mine
from smartcity.administration.applying.case import views as case
from smartcity.administration.counter import claim

urlpatterns = [
    path("", mine.overview, name="applying-mine"),
    path("hinzufuegen/", claim.claim, name="applying-claim"),
    path("<slug:public_id>/", mine.detail, name="applying-mine-detail"),
    path("<slug:public_id>/eingangsbestaetigung.pdf", mine.acknowledgement, name="applying-pdf"),
    path("<slug:public_id>/dateien/<slug:upload_id>/", mine.file, name="applying-file"),
    path("<slug:public_id>/nachricht/", case.reply, name="case-reply"),
    path("<slug:public_id>/nachforderung/<slug:request_id>/", case.answer, name="case-answer"),
    path("<slug:public_id>/postfach/<slug:item_id>/", case.letter, name="case-letter"),
]
