"""The xdomea export: a case with 50 documents of 1 MB each exported as the xdomea zip
(target: within 2x of zipping the same files with zipfile, in the same run).

The case is a submitted application of a service without team, its 50 uploads (random
bytes, 1 MB each, in the upload store) and a history; the export writes the 0503 message
(validated against the XSDs), the acknowledgement PDF/A, the 50 documents copied from
the store, the SHA-256 manifest, and records the transfer and the audit entries. The
baseline zips the same 50 stored files with zipfile (stored, as the export stores them:
uploads are PDFs and photos, already compressed) into a file, nothing else. Both write to
a file in the same folder. Timings are printed, never asserted.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import _common

DOCUMENTS, SIZE = 50, 1 << 20
FORM = {
    "schema": {"type": "object", "properties": {"name": {"type": "string", "title": "Name"}}},
    "steps": [{"key": "a", "title": "A", "fields": ["name"]}],
}


def _case():
    from django.utils import timezone

    from smartcity.administration.applying.storage import store
    from smartcity.administration.models import Application, Service, Upload

    service = Service.objects.create(key="bench-archiv", name="Bench: Archiv", form=FORM)
    application = Application.objects.create(
        service=service,
        status=Application.SUBMITTED,
        reference="BENCH-2026-000001",
        submitted=timezone.now(),
        data={},
    )
    for number in range(DOCUMENTS):
        content = os.urandom(SIZE)
        stored = store().save(io.BytesIO(content))
        Upload.objects.create(
            application=application,
            field="nachweis",
            original_name=f"nachweis-{number:02}.pdf",
            media_type="application/pdf",
            size=SIZE,
            sha256=hashlib.sha256(content).hexdigest(),
            stored=stored.name,
        )
    return application


def _baseline(application, target: Path) -> None:
    from smartcity.administration.applying.storage import store

    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zf:
        for upload in application.uploads.all():
            with store().open(upload.stored) as source, zf.open(upload.original_name, "w") as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)


def _export(application, target: Path) -> None:
    from smartcity.administration.archive import export

    with target.open("wb") as out:
        export.export(application, out)


def measure(rounds: int, folder: Path) -> None:
    application = _case()
    _export(application, folder / "warm.zip")  # schemas loaded, templates compiled
    timings: dict[str, list[float]] = {"zipfile": [], "export": []}
    for _ in range(rounds):
        for label, call in (("zipfile", _baseline), ("export", _export)):
            started = time.perf_counter()
            call(application, folder / f"{label}.zip")
            timings[label].append(time.perf_counter() - started)
    base, ours = (_common.median(timings[k]) for k in ("zipfile", "export"))
    size = (folder / "export.zip").stat().st_size
    print(f"zipfile, {DOCUMENTS} files of 1 MB: {_common.ms(base)} (median of {rounds})")
    ratio = ours / base
    met = " (met)" if ratio <= 2 else " (missed)"
    print(f"xdomea export, {size / 1e6:.1f} MB zip: {_common.ms(ours)}, {ratio:.2f}x{met}")


def main() -> None:
    args = _common.parse_args(__doc__.splitlines()[0])
    _common.heading("xdomea export: 50 documents of 1 MB", args)
    rounds = 3 if args.quick else 7
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        os.environ["SMARTCITY_DATA_DIR"] = folder
        os.environ.setdefault("SMARTCITY_SECRET_KEY", "bench-" + "x" * 50)
        if args.store == "postgres":
            os.environ["SMARTCITY_DATABASE_URL"] = stack.enter_context(_common.postgres_database())
        else:
            os.environ.pop("SMARTCITY_DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "smartcity.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("migrate", database="audit", verbosity=0)
        measure(rounds, Path(folder))
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
