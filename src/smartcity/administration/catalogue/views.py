"""The catalogue's pages (``/service/``), German first and without JavaScript: the start
page (search, life situations, every service A to Z), a life situation's services and a
service's whole description. A query that cannot be searched is answered 400 on the
start page itself, with what is wrong and the search field to try again."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.administration.catalogue import search
from smartcity.administration.models import LifeSituation, Service
from smartcity.core import config


def _initial(service: Service) -> str:
    first = service.name[:1].upper()
    return {"Ä": "A", "Ö": "O", "Ü": "U"}.get(first, first)


def _a_to_z(services: list[Service]) -> list[tuple[str, list[Service]]]:
    ordered = sorted(services, key=lambda s: (_initial(s), s.name.casefold()))
    return [(letter, list(group)) for letter, group in groupby(ordered, key=_initial)]


def _situations() -> list[LifeSituation]:
    shown = search.published().only("key", "name")
    return list(LifeSituation.objects.prefetch_related(Prefetch("services", queryset=shown)))


def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    context: dict[str, object] = {
        "query": query,
        "max_chars": config.get("ADMINISTRATION_SEARCH_MAX_CHARS"),
    }
    status = 200
    if query.strip():
        try:
            context["found"] = search.search(query)
        except search.SearchError as error:
            context["error"], status = str(error), 400
    services = list(search.published().only("key", "name", "summary", "online", "in_person",
                                            "is_demo"))  # fmt: skip
    context.update(
        situations=_situations(),
        letters=_a_to_z(services),
        demo=any(s.is_demo for s in services),
    )
    return render(request, "administration/catalogue/index.html", context, status=status)


def life_situation(request: HttpRequest, key: str) -> HttpResponse:
    found = LifeSituation.objects.filter(key=key).first()
    if found is None:
        raise Http404(_("Diese Lebenslage gibt es nicht."))
    services = list(found.services.filter(published=True).order_by("name"))
    context = {
        "situation": found,
        "services": services,
        "others": LifeSituation.objects.exclude(pk=found.pk),
        "demo": found.is_demo or any(s.is_demo for s in services),
    }
    return render(request, "administration/catalogue/life_situation.html", context)


def service(request: HttpRequest, key: str) -> HttpResponse:
    found = (
        search.published()
        .select_related("office", "team")
        .prefetch_related("legal_bases", "life_situations")
        .filter(key=key)
        .first()
    )
    if found is None:
        raise Http404(_("Diese Leistung gibt es nicht."))
    office = found.office
    context = {
        "service": found,
        "office": office,
        "phone": found.phone or (office.phone if office else ""),
        "email": found.email or (office.email if office else ""),
        "apply_url": f"{reverse('service-catalogue')}antrag/{found.key}/",
        "demo": found.is_demo,
    }
    return render(request, "administration/catalogue/service.html", context)
