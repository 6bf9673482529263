"""What the administration stores about a person, in "Mein Konto"'s download (applications
with their data, uploads by name and metadata but never their bytes, co-signatures,
payments), and what deleting the account does: drafts go with their files, submitted
applications and payments stay, unlinked; a failing eraser deletes nothing."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application, Payment, Upload
from smartcity.core.accounts.self_service import personal
from tests.administration.applying.factories import PDF, make_service

pytestmark = pytest.mark.django_db(databases=["default", "audit"])
PASSWORD = "ein-langes-passwort-fuer-hamm-2026"


@pytest.fixture(autouse=True)
def upload_dir(settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


def _upload(application: Application, name: str) -> Upload:
    stored = store().save(io.BytesIO(PDF))
    return Upload.objects.create(
        application=application,
        field="nachweis",
        original_name=name,
        media_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        stored=stored.name,
    )


@pytest.fixture
def parent() -> dict[str, Any]:
    """A parent with a draft and a submitted application (each with a file), a payment, and
    an application of someone else that they co-signed."""
    person = User.objects.create_user("mutter@example.org", "mutter@example.org", PASSWORD)
    other = User.objects.create_user("vater@example.org", "vater@example.org", PASSWORD)
    service = make_service()
    draft = Application.objects.create(service=service, applicant=person, data={"x": "Mia"})
    submitted = Application.objects.create(
        service=service,
        applicant=person,
        data={"kind": {"vorname": "Ben"}},
        status=Application.SUBMITTED,
        reference="KITA-2026-000001",
        submitted=timezone.now(),
    )
    cosigned = Application.objects.create(
        service=service,
        applicant=other,
        status=Application.SUBMITTED,
        reference="KITA-2026-000002",
        cosigner=person,
        cosigned=timezone.now(),
    )
    payment = Payment.objects.create(
        kassenzeichen="52600000017",
        service=service,
        case_ref="KITA-2026-000001",
        owner=person,
        amount=2500,
    )
    return {
        "person": person,
        "draft": draft,
        "draft_file": _upload(draft, "entwurf.pdf"),
        "submitted": submitted,
        "submitted_file": _upload(submitted, "bescheinigung.pdf"),
        "cosigned": cosigned,
        "payment": payment,
    }


def test_the_download_holds_applications_uploads_and_payments(parent: dict[str, Any]) -> None:
    client = Client()
    client.force_login(parent["person"])
    data = json.loads(client.get("/konto/daten.json").content)["administration"]
    by_id = {found["id"]: found for found in data["applications"]}
    assert set(by_id) == {parent["draft"].public_id, parent["submitted"].public_id}
    submitted = by_id[parent["submitted"].public_id]
    assert submitted["reference"] == "KITA-2026-000001" and submitted["status"] == "submitted"
    assert submitted["data"] == {"kind": {"vorname": "Ben"}}
    (upload,) = submitted["uploads"]
    assert upload["name"] == "bescheinigung.pdf" and upload["size"] == len(PDF)
    assert upload["sha256"] == parent["submitted_file"].sha256
    text = json.dumps(data)
    assert "%PDF" not in text and parent["submitted_file"].stored not in text  # no bytes, no path
    assert data["cosigned_applications"][0]["reference"] == "KITA-2026-000002"
    (payment,) = data["payments"]
    assert payment["kassenzeichen"] == "52600000017" and payment["amount_cents"] == 2500


def test_deleting_keeps_what_the_office_must_and_unlinks_it(
    parent: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(parent["person"])
    draft_file = parent["draft_file"].stored
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert answer.status_code == 200
    assert not Application.objects.filter(pk=parent["draft"].pk).exists()
    assert not Upload.objects.filter(pk=parent["draft_file"].pk).exists()
    with pytest.raises(FileNotFoundError):
        store().open(draft_file)  # the draft's file is gone once committed
    kept = Application.objects.get(pk=parent["submitted"].pk)
    assert kept.applicant is None and kept.data == {"kind": {"vorname": "Ben"}}
    assert store().open(parent["submitted_file"].stored).read().startswith(b"%PDF")
    assert Application.objects.get(pk=parent["cosigned"].pk).cosigner is None
    assert Payment.objects.get(pk=parent["payment"].pk).owner is None


def test_a_failing_eraser_deletes_nothing(parent: dict[str, Any], monkeypatch: Any) -> None:
    from smartcity.administration import personal as administration_personal

    def broken(user: Any) -> None:
        Application.objects.filter(applicant=user).update(applicant=None)
        raise RuntimeError("eraser broke")

    monkeypatch.setattr(administration_personal, "erase", broken)
    with pytest.raises(RuntimeError):
        personal.delete_account(None, parent["person"])  # type: ignore[arg-type]
    assert User.objects.filter(pk=parent["person"].pk).exists()
    assert Application.objects.get(pk=parent["submitted"].pk).applicant == parent["person"]
