from django.contrib import admin
from django.urls import include, path

from smartcity.api import api
from smartcity.sensors import lorawan_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sta/", include("smartcity.sensors.urls")),
    path("api/", api.urls),
    path("umwelt/", include("smartcity.environment.urls")),
    path("ingest/lorawan/tts", lorawan_views.tts_uplink, name="lorawan-tts"),
    path("ingest/lorawan/chirpstack", lorawan_views.chirpstack_event, name="lorawan-chirpstack"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("smartcity.portal.urls")),
]
