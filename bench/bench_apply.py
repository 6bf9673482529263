"""Applying online: submitting a completed three-step application with a 1 MB upload,
against one plain Django form POST that stores the same upload (target: within 3x).

Both run in this process through Django's own request handling (django.test.Client:
middleware, sessions, CSRF off, no network), on a throwaway store, so the ratio compares
the platform's applying code with Django's plain form handling and nothing else. Printed:

- "upload step": the POST of the step that carries the 1 MB file (parse, content check,
  SHA-256, storage, validation, save), against the baseline POST;
- "submit": the POST that submits the completed application (full validation, reference
  number, status, the acknowledgement e-mail to Django's in-memory outbox);
- "whole application": start, the three steps, "Angaben prüfen" and submit, six requests.

The baseline is a django.forms.Form with two text fields and a FileField, validated,
the file stored with FileSystemStorage (no database row: the baseline is the cheaper
side). Timings are printed, never asserted.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import _common


def _one_mb_pdf() -> bytes:
    """A real PDF of about 1 MB (a scanned page: one photo of noise), which the upload
    check reads through as it would a citizen's scan."""
    import io

    from PIL import Image

    page = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))
    out = io.BytesIO()
    page.save(out, "PDF", quality=95)
    return out.getvalue()


ONE_MB = _one_mb_pdf()


def _baseline_urls():  # a urlconf: the platform's, plus the plain Django form POST
    from django import forms
    from django.core.files.storage import FileSystemStorage
    from django.http import HttpResponse
    from django.urls import include, path

    class PlainForm(forms.Form):
        vorname = forms.CharField(max_length=60)
        betreuung = forms.ChoiceField(choices=[("25", "25"), ("35", "35")])
        nachweis = forms.FileField()

    def plain(request):
        form = PlainForm(request.POST, request.FILES)
        if not form.is_valid():
            return HttpResponse(status=400)
        FileSystemStorage(location=os.environ["BENCH_PLAIN_DIR"]).save(
            "nachweis.pdf", form.cleaned_data["nachweis"]
        )
        return HttpResponse(status=302, headers={"Location": "/"})

    return [path("bench-plain/", plain), path("", include("smartcity.urls"))]


def _file() -> io.BytesIO:
    file = io.BytesIO(ONE_MB)
    file.name = "bescheinigung.pdf"
    return file


def _timed(call) -> tuple[float, object]:
    began = time.perf_counter()
    answer = call()
    took = time.perf_counter() - began
    assert answer.status_code in (200, 302), (answer.status_code, answer.content[:300])
    return took, answer


def _one_application(client, steps) -> dict[str, float]:
    times = {}
    times["start"], started = _timed(lambda: client.post("/service/antrag/kita-platz/"))
    public_id = re.search(r"/antrag/([\w-]+)/", started["Location"]).group(1)
    for key, values in steps.items():
        post = {**values, "_action": "weiter"}
        if key == "betreuung":
            post["nachweis"] = _file()
        url = f"/service/antrag/{public_id}/schritt/{key}/"
        times[key], _answer = _timed(lambda url=url, post=post: client.post(url, post))
    times["review"], _answer = _timed(lambda: client.get(f"/service/antrag/{public_id}/pruefen/"))
    times["submit"], _answer = _timed(lambda: client.post(f"/service/antrag/{public_id}/absenden/"))
    return times


def measure(rounds: int) -> None:
    from django.test import Client, override_settings
    from tests.administration.applying.factories import STEP_VALUES, make_service, make_user

    make_service()
    plain, upload, submit, whole = [], [], [], []
    with override_settings(
        ROOT_URLCONF=__name__, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    ):
        for index in range(rounds):
            client = Client()
            client.force_login(make_user(f"bench{index}", f"bench{index}@example.org"))
            took, _answer = _timed(
                lambda c=client: c.post(
                    "/bench-plain/", {"vorname": "Mia", "betreuung": "35", "nachweis": _file()}
                )
            )
            plain.append(took)
            times = _one_application(client, STEP_VALUES)
            upload.append(times["betreuung"])
            submit.append(times["submit"])
            whole.append(sum(times.values()))
    base = _common.median(plain)
    print(f"plain Django form POST with the 1 MB file: {_common.ms(base)} (median of {rounds})")
    for label, values, target in (
        ("upload step (1 MB)", upload, True),
        ("submit", submit, True),
        ("whole application (6 requests)", whole, False),
    ):
        figure = _common.median(values)
        ratio = figure / base
        met = f" (target within 3x: {'met' if ratio <= 3 else 'MISSED'})" if target else ""
        print(f"{label}: {_common.ms(figure)}, {ratio:.2f}x the plain POST{met}")


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0])
    _common.heading("applying: a three-step application with a 1 MB upload", args)
    rounds = 5 if args.quick else 20
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        os.environ["SMARTCITY_DATA_DIR"] = folder
        os.environ["BENCH_PLAIN_DIR"] = str(Path(folder) / "plain")
        os.environ.setdefault("SMARTCITY_SECRET_KEY", "bench-" + "x" * 50)
        os.environ["SMARTCITY_ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
        os.environ["SMARTCITY_APPLY_STARTS_PER_HOUR"] = "1000"
        os.environ["SMARTCITY_APPLY_STARTS_PER_HOUR_PER_CLIENT"] = "1000"
        os.environ["SMARTCITY_APPLY_SUBMISSIONS_PER_HOUR_PER_CLIENT"] = "1000"
        if args.store == "postgres":
            os.environ["SMARTCITY_DATABASE_URL"] = stack.enter_context(_common.postgres_database())
        else:
            os.environ.pop("SMARTCITY_DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "smartcity.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        globals()["urlpatterns"] = _baseline_urls()
        measure(rounds)
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
