"""The catalogue's back office: only who may take ``administration.service.edit`` sees and
edits services, and a form that breaks the format's rules is refused with where."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from smartcity.administration.demo import load_demo
from smartcity.administration.models import Service
from smartcity.core import roles
from tests.staff import verified_login

pytestmark = pytest.mark.django_db


def _staff(name: str) -> User:
    return User.objects.create_user(name, f"{name}@example.org", "a-long-test-password",
                                    is_staff=True)  # fmt: skip


def test_only_the_action_s_roles_see_the_catalogue(client):
    load_demo()
    clerk = _staff("clerk")
    roles.grant(clerk, "clerk", "standesamt")
    verified_login(client, clerk)
    assert client.get("/admin/administration/service/").status_code == 403
    admin = _staff("admin")
    roles.grant(admin, "admin")
    verified_login(client, admin)
    page = client.get("/admin/administration/service/")
    assert page.status_code == 200 and "Kita-Platz" in page.content.decode()


def test_a_broken_form_is_refused_and_a_good_one_kept(client):
    load_demo()
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-test-password")
    verified_login(client, admin)
    service = Service.objects.get(key="beistandschaft")
    url = f"/admin/administration/service/{service.pk}/change/"
    page = client.get(url)
    data = {field.html_name: field.value() for field in page.context["adminform"].form}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    data.update({"legal_bases-TOTAL_FORMS": "0", "legal_bases-INITIAL_FORMS": "0",
                 "team": service.team_id, "office": service.office_id})  # fmt: skip
    broken = dict(service.form, steps=service.form["steps"][:1])
    answer = client.post(url, {**data, "form": json.dumps(broken)})
    assert answer.status_code == 200 and "is on no step" in answer.content.decode()
    answer = client.post(url, {**data, "form": json.dumps(service.form), "summary": "Neu"})
    assert answer.status_code == 302
    assert Service.objects.get(pk=service.pk).summary == "Neu"
