"""Public pages of the portal: the home page and the accessibility statement."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartcity.portal.parts import PLATFORM_PARTS
from smartcity.sensors.models import Datastream, Observation, Thing


@dataclass(frozen=True)
class PlatformFigures:
    things: int
    datastreams: int
    # The highest observation id: an upper bound of the number of observations, read from
    # the primary key index. A COUNT over the big table would scan it on every page view.
    observations_approx: int


def platform_figures() -> PlatformFigures:
    latest_id = Observation.objects.order_by("-id").values_list("id", flat=True).first()
    return PlatformFigures(
        things=Thing.objects.count(),
        datastreams=Datastream.objects.count(),
        observations_approx=latest_id or 0,
    )


def home(request: HttpRequest) -> HttpResponse:
    context = {"parts": PLATFORM_PARTS, "figures": platform_figures()}
    return render(request, "portal/home.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")
