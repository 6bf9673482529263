"""Eight applicants submit at the same moment against a live server (threads, real
HTTP): no errors, no lost submission, eight different reference numbers."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.test import Client

from smartcity.administration.models import Application
from tests.administration.applying.factories import PDF, STEP_VALUES, make_service, make_user

pytestmark = pytest.mark.django_db(transaction=True)
CSRF = "a" * 32  # a CSRF secret of the test's own, sent as cookie and as the form's token
APPLICANTS = 8


def _session(name: str) -> str:
    client = Client()
    client.force_login(make_user(name, f"{name}@example.org"))
    return client.cookies["sessionid"].value


def _apply(base: str, session: str, barrier: threading.Barrier) -> tuple[str, int]:
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        token = {"csrfmiddlewaretoken": CSRF}
        started = http.post("/service/antrag/kita-platz/", data=token)
        assert started.status_code == 302, started.text[:300]
        public_id = re.search(r"/antrag/([\w-]+)/", started.headers["location"]).group(1)
        for key, values in STEP_VALUES.items():
            files = {"nachweis": ("n.pdf", PDF, "application/pdf")} if key == "betreuung" else None
            answer = http.post(
                f"/service/antrag/{public_id}/schritt/{key}/",
                data={**values, **token, "_action": "weiter"},
                files=files,
            )
            assert answer.status_code == 302, answer.text[-500:]
        barrier.wait(timeout=60)
        done = http.post(f"/service/antrag/{public_id}/absenden/", data=token)
        return public_id, done.status_code


def test_eight_concurrent_applicants_lose_nothing(live_server):
    make_service()
    sessions = [_session(f"person{i}") for i in range(APPLICANTS)]
    barrier = threading.Barrier(APPLICANTS)
    with ThreadPoolExecutor(APPLICANTS) as pool:
        results = list(pool.map(lambda s: _apply(live_server.url, s, barrier), sessions))
    assert [status for _id, status in results] == [302] * APPLICANTS
    submitted = Application.objects.filter(status="submitted")
    assert sorted(submitted.values_list("public_id", flat=True)) == sorted(p for p, _s in results)
    numbers = sorted(
        int(r.rsplit("-", 1)[1]) for r in submitted.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, APPLICANTS + 1))
