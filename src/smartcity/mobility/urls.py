"""The mobility pages under /mobilitaet/."""

from django.urls import path

from smartcity.mobility import views

urlpatterns = [
    path("", views.overview, name="mobility"),
    path("hub/<slug:key>/", views.hub, name="mobility-hub"),
    path("haltestelle/<int:offer_id>/aushang/", views.stop_sheet, name="mobility-sheet"),
    path("haltestelle/<int:offer_id>/aushang.pdf", views.stop_sheet_pdf, name="mobility-sheet-pdf"),
]
