"""The site's URLs: Django's admin and language switch, /api/, and every domain's mounts
(``Domain.mounts``), in the order of the app list."""

from django.contrib import admin
from django.urls import include, path

from smartcity.api import api
from smartcity.core import contract

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *(
        path(mount.prefix, include(mount.urlconf))
        for domain in contract.domains()
        for mount in domain.mounts
    ),
]
