"""/service/: the catalogue, applying, paying (each part's own urlconf)."""

from django.urls import include, path

urlpatterns = [
    path("", include("smartcity.administration.catalogue.urls")),
    path("antrag/", include("smartcity.administration.applying.urls")),
    path("meine-antraege/", include("smartcity.administration.applying.mine_urls")),
    path("zahlung/", include("smartcity.administration.payments.urls")),
]
