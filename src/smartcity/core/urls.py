"""The kernel's own URLs: the base map the platform serves itself (core.basemap)."""

from django.urls import path

from smartcity.core import basemap

urlpatterns = [
    path("grundkarte.json", basemap.style, name="basemap-style"),
    path("grundkarte.pmtiles", basemap.tiles, name="basemap-tiles"),
]
