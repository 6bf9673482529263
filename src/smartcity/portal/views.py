"""Public pages of the portal: the home page and the accessibility statement. The portal
knows the domains only through the contract: their tiles and their figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartcity.core import contract
from smartcity.core.contract import Figures
from smartcity.portal.parts import platform_parts


def figure_sections() -> list[Figures]:
    """Each installed domain's figures for the home page, in the order of the app list."""
    return [contract.resolve(d.figures)() for d in contract.domains() if d.figures]


def home(request: HttpRequest) -> HttpResponse:
    context = {"parts": platform_parts(), "sections": figure_sections()}
    return render(request, "portal/home.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")
