"""/service/: the catalogue, applying, paying, the counter (each part's own urlconf). The catalogue
comes last: its ``<key>/`` of a service would otherwise take ``antrag/`` and ``zahlung/``."""

from django.urls import include, path

urlpatterns = [
    path("antrag/", include("smartcity.administration.applying.urls")),
    path("meine-antraege/", include("smartcity.administration.applying.mine_urls")),
    path("zahlung/", include("smartcity.administration.payments.urls")),
    path("schalter/", include("smartcity.administration.counter.urls")),
    path("", include("smartcity.administration.catalogue.urls")),
]
