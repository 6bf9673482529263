"""The "Bearbeitungsstand" form on the back office's application page: it lists the
transitions this person may fire and fires one; a tampered POST (a transition not
allowed from the state, or by the wrong person) is refused with 409/403 and changes
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from smartcity.administration.models import CaseState
from smartcity.administration.workflow import services
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])
BASE = "/admin/administration/application"


def _office(user: Any) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return verified_login(Client(), user)


def _state(application: Any) -> str:
    return CaseState.objects.get(application=application).state


def test_the_page_lists_and_fires_this_persons_transitions(application, clerk):
    office = _office(clerk)
    page = office.get(f"{BASE}/{application.pk}/change/").content.decode()
    assert "Bearbeitungsstand" in page and "Eingegangen" in page
    assert 'value="start_check"' in page and 'value="grant"' not in page
    answer = office.post(f"{BASE}/{application.pk}/bearbeitung/", {"transition": "start_check"})
    assert answer.status_code == 302 and _state(application) == "check"
    page = office.get(f"{BASE}/{application.pk}/change/").content.decode()
    assert 'value="complete"' in page and 'value="request_documents"' in page
    assert application.events.get(kind="status_changed").staff == clerk


def test_a_tampered_transition_changes_nothing(application, clerk, supervisor):
    office = _office(clerk)
    url = f"{BASE}/{application.pk}/bearbeitung/"
    assert office.post(url, {"transition": "grant"}).status_code == 409  # not from here
    assert office.post(url, {"transition": "../etwas"}).status_code == 409
    assert _state(application) == "received"
    for name in ("start_check", "complete", "submit_for_approval"):
        services.fire(application, name, clerk)
    answer = office.post(url, {"transition": "grant"})  # a clerk, and the processor
    assert answer.status_code == 403 and "dürfen" in answer.content.decode()
    assert _state(application) == "approval"
    assert office.post(url, {}).status_code == 400
    boss = _office(supervisor)
    assert boss.post(url, {"transition": "grant"}).status_code == 302
    assert _state(application) == "granted"
    latest = application.events.filter(kind="status_changed").first()
    assert latest.data["state"] == "granted" and latest.staff == supervisor


def test_another_teams_clerk_cannot_fire(application, stranger_clerk):
    office = _office(stranger_clerk)
    answer = office.post(f"{BASE}/{application.pk}/bearbeitung/", {"transition": "start_check"})
    assert answer.status_code == 404
    assert not CaseState.objects.filter(application=application, state="check").exists()
