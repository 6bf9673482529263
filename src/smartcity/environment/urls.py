from django.urls import path, register_converter

from smartcity.core.converters import IdConverter
from smartcity.environment import views
from smartcity.environment.dashboard import SOIL, WATER

register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.overview, name="environment"),
    path("live", views.live_updates, name="environment-live"),
    path("wasser/", views.kind_overview, {"kind": WATER}, name="environment-water"),
    path("boden/", views.kind_overview, {"kind": SOIL}, name="environment-soil"),
    path("messstellen/<id:thing>/", views.station, name="environment-station"),
    path("messstellen/<id:thing>/grenzwerte/", views.limits, name="environment-limits"),
]
