"""The catalogue's pages under /service/ (the applying and paying parts have their own)."""

from django.urls import path

from smartcity.administration.catalogue import views

urlpatterns = [
    path("", views.catalogue, name="service-catalogue"),
    path("lebenslage/<slug:key>/", views.life_situation, name="service-life-situation"),
    path("<slug:key>/", views.service, name="service-detail"),
]
