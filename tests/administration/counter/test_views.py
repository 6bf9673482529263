"""The counter through HTTP: a clerk enters an application on a citizen's behalf through
the same steps as online (upload, reference, fee, acknowledgement PDF and e-mail), and
records a paper application with its scan; who may, and every refusal as a clear 4xx
with nothing kept."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from smartcity.administration.models import Application, Payment, Upload
from smartcity.core import roles
from tests.administration.applying import helpers
from tests.administration.applying.factories import PDF, PNG, kita_form, make_user
from tests.administration.counter.conftest import IDENTITY, make_clerk
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def start(client: Client, **changes: str) -> str:
    answer = client.post("/service/schalter/kita-platz/", {**IDENTITY, **changes})
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    found = re.match(r"/service/antrag/([\w-]+)/schritt/kind/", answer["Location"])
    assert found, answer["Location"]
    return found.group(1)


def paper(client: Client, content: bytes = PDF, name: str = "antrag.pdf", **changes: str):
    return client.post(
        "/service/schalter/kita-platz/papier/",
        {**IDENTITY, **changes, "scan": helpers.upload(content, name)},
    )


def test_the_counter_lists_the_services_of_the_clerks_team(client, clerk) -> None:
    page = client.get("/service/schalter/").content.decode()
    assert "Kita-Platz" in page and "/service/schalter/kita-platz/papier/" in page


def test_a_clerk_enters_an_application_the_same_way_as_online(
    client, clerk, django_capture_on_commit_callbacks
) -> None:
    assert client.get("/service/schalter/kita-platz/").status_code == 200
    public_id = start(client)
    application = Application.objects.get(public_id=public_id)
    assert application.channel == Application.COUNTER and application.entered_by == clerk
    assert application.applicant is None and application.citizen["last_name"] == "Demir"
    assert application.data == {"kontakt": {"email": "aylin.demir@example.org"}}  # the citizen's
    step = client.get(f"/service/antrag/{public_id}/schritt/kind/").content.decode()
    assert "Am Schalter erfasst für Aylin Demir" in step
    helpers.fill(client, public_id)  # the online steps, with an upload
    assert Upload.objects.filter(application=application).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        answer = helpers.submit(client, public_id)
    assert answer.status_code == 302 and answer["Location"].endswith("/eingegangen/")
    application.refresh_from_db()
    assert re.fullmatch(r"KITA-20\d\d-000001", application.reference or "")
    payment = Payment.objects.get(case_ref=application.reference)
    assert payment.amount == 1500 and payment.owner is None
    done = client.get(answer["Location"]).content.decode()
    assert "Bitte drucken Sie die Eingangsbestätigung aus" in done and "15,00 €" in done
    (message,) = mail.outbox
    assert message.to == ["aylin.demir@example.org"] and application.reference in message.body
    pdf = client.get(f"/service/meine-antraege/{public_id}/eingangsbestaetigung.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert application.reference in text and "Aylin Demir" in text and "59065 Hamm" in text
    from smartcity.administration.counter.services import claim_code

    assert claim_code(application) in text


def test_a_co_signed_form_needs_no_online_signature_at_the_counter(client, clerk, service) -> None:
    service.form = kita_form(cosign=True)
    service.save()
    public_id = start(client)
    review = client.get(f"/service/antrag/{public_id}/pruefen/").content.decode()
    assert 'name="cosigner"' not in review
    helpers.fill(client, public_id)
    assert helpers.submit(client, public_id).status_code == 302
    assert Application.objects.get(public_id=public_id).reference


def test_the_identity_is_checked_like_a_step(client, clerk) -> None:
    answer = client.post("/service/schalter/kita-platz/", {**IDENTITY, "vorname": "", "plz": "59"})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "Bitte geben Sie „Vorname“ an." in page and 'href="#f-plz"' in page
    answer = client.post("/service/schalter/kita-platz/", {**IDENTITY, "email": "kein-at"})
    assert answer.status_code == 400 and Application.objects.count() == 0


def test_without_an_e_mail_address_letters_go_on_paper(client, clerk) -> None:
    public_id = start(client, email="")
    application = Application.objects.get(public_id=public_id)
    assert application.paper_mail and application.citizen["email"] == ""


def test_a_paper_application_is_recorded_with_its_scan_and_submitted(
    client, clerk, django_capture_on_commit_callbacks
) -> None:
    assert client.get("/service/schalter/kita-platz/papier/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = paper(client, papier="on")
    assert answer.status_code == 302 and answer["Location"].endswith("/eingegangen/")
    application = Application.objects.get()
    assert application.channel == Application.PAPER and application.entered_by == clerk
    assert application.reference and application.paper_mail
    (scan,) = application.uploads.all()
    assert scan.field == "scan" and scan.media_type == "application/pdf"
    assert Payment.objects.get(case_ref=application.reference).amount == 1500
    assert len(mail.outbox) == 1  # the acknowledgement to the address given
    files = client.get(f"/service/meine-antraege/{application.public_id}/").content.decode()
    assert "antrag.pdf" in files


@pytest.mark.parametrize(
    ("content", "name"),
    [(PNG, "antrag.png"), (PNG, "antrag.pdf"), (b"%PDF-1.4 not really", "antrag.pdf")],
    ids=["an image", "a disguised image", "a broken pdf"],
)
def test_a_scan_that_is_no_pdf_is_refused_and_nothing_kept(
    client, clerk, upload_dir, content, name
) -> None:
    answer = paper(client, content, name)
    assert answer.status_code == 400
    assert 'id="f-scan-error"' in answer.content.decode()
    assert Application.objects.count() == 0 and Upload.objects.count() == 0
    stored = upload_dir / "uploads"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_a_paper_application_without_its_scan_is_a_400(client, clerk) -> None:
    answer = client.post("/service/schalter/kita-platz/papier/", IDENTITY)
    assert answer.status_code == 400 and "Scan des Papierantrags" in answer.content.decode()
    assert Application.objects.count() == 0


def test_a_limit_on_paper_keeps_nothing(client, clerk, upload_dir, monkeypatch) -> None:
    monkeypatch.setenv("SMARTCITY_APPLY_COUNTER_PER_HOUR", "1")
    assert paper(client).status_code == 302
    answer = paper(client)
    assert answer.status_code == 429 and answer["Retry-After"]
    assert Application.objects.count() == 1 and Upload.objects.count() == 1
    assert sum(1 for p in (upload_dir / "uploads").rglob("*") if p.is_file()) == 1


def test_the_counter_needs_a_clerk_past_the_second_factor(client, service) -> None:
    assert client.get("/service/schalter/")["Location"].startswith("/konto/anmelden/")
    clerk = make_clerk()
    client.force_login(clerk)  # the password only
    assert "/konto/anmelden/bestaetigen/" in client.get("/service/schalter/")["Location"]
    citizen = Client()
    verified_login(citizen, make_user())
    assert citizen.get("/service/schalter/").status_code == 403
    assert citizen.post("/service/schalter/kita-platz/", IDENTITY).status_code == 403
    assert Application.objects.count() == 0


def test_a_clerk_of_another_team_may_not_enter_for_this_service(client, service) -> None:
    from smartcity.core.models import Team

    Team.objects.create(key="standesamt", name="Standesamt")
    verified_login(client, make_clerk("standesamt-clerk", "standesamt"))
    assert client.get("/service/schalter/").status_code == 200
    assert "Kita-Platz" not in client.get("/service/schalter/").content.decode()
    assert client.post("/service/schalter/kita-platz/", IDENTITY).status_code == 403
    assert paper(client).status_code == 403
    assert client.get("/service/schalter/gibt-es-nicht/").status_code == 404
    assert Application.objects.count() == 0


def test_only_the_clerk_who_entered_it_reaches_it_while_they_may(client, clerk) -> None:
    public_id = start(client)
    colleague = Client()
    verified_login(colleague, make_clerk("kollegin"))
    assert colleague.get(f"/service/antrag/{public_id}/schritt/kind/").status_code == 404
    roles.revoke(clerk, "clerk", "familienbuero")
    assert client.get(f"/service/antrag/{public_id}/schritt/kind/").status_code in (403, 404)


def test_the_counter_forms_need_the_csrf_token(clerk, service) -> None:
    strict = Client(enforce_csrf_checks=True)
    verified_login(strict, clerk)
    assert strict.post("/service/schalter/kita-platz/", IDENTITY).status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.parametrize("key", ["schalter", "meine-antraege"])
def test_the_counters_paths_cannot_be_service_keys(key) -> None:
    from django.core.exceptions import ValidationError

    from smartcity.administration.models import Service

    with pytest.raises(ValidationError, match="Teil der Adresse"):
        Service(key=key, name="Versehen").full_clean()
