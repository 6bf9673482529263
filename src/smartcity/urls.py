from django.contrib import admin
from django.urls import include, path

from smartcity.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sta/", include("smartcity.sensors.urls")),
    path("api/", api.urls),
    path("umwelt/", include("smartcity.environment.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("smartcity.portal.urls")),
]
