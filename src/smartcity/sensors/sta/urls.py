from django.urls import re_path

from smartcity.sensors.sta import views

urlpatterns = [
    re_path(r"^(?P<version>v1\.[01])(?P<path>/.*)?$", views.sta_endpoint, name="sta"),
]
