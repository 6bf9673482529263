"""The counter: clerks enter applications on a citizen's behalf and record paper ones."""

from django.urls import path

from smartcity.administration.counter import views

urlpatterns = [
    path("", views.index, name="counter"),
    path("<slug:service>/", views.start, name="counter-start"),
    path("<slug:service>/papier/", views.paper, name="counter-paper"),
]
