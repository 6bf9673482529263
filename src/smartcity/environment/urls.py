from django.urls import path

from smartcity.environment import views
from smartcity.environment.dashboard import SOIL, WATER

urlpatterns = [
    path("", views.overview, name="environment"),
    path("live", views.live_updates, name="environment-live"),
    path("wasser/", views.kind_overview, {"kind": WATER}, name="environment-water"),
    path("boden/", views.kind_overview, {"kind": SOIL}, name="environment-soil"),
    path("messstellen/<int:thing>/", views.station, name="environment-station"),
    path("messstellen/<int:thing>/grenzwerte/", views.limits, name="environment-limits"),
]
