"""The mobility pages under /mobilitaet/."""

from django.urls import path

from smartcity.mobility import views

urlpatterns = [
    path("", views.overview, name="mobility"),
    path("hub/<slug:key>/", views.hub, name="mobility-hub"),
]
