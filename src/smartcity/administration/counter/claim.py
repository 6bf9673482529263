"""A citizen adds an application a clerk entered for them to their account
(/service/meine-antraege/hinzufuegen/): signed in, with the code from its printed
acknowledgement (the rule is counter/services.py's ``claim``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from smartcity.administration.applying.limits import Refused
from smartcity.administration.counter import services


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "administration/counter/claim.html", {"code": "", "error": ""})
    code = str(request.POST.get("code", ""))[:40]
    try:
        found = services.claim(request.user, code)
    except Refused as refused:
        context = {"code": code, "error": refused.message}
        return render(request, "administration/counter/claim.html", context, status=refused.status)
    return redirect("applying-mine-detail", found.public_id)
