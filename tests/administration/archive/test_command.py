"""`smartcity archive export` writes the zip and says what it holds; `receipt` marks the
transfer; an unknown reference and a malformed answer end with an error and exit 1."""

from __future__ import annotations

import zipfile

import pytest

from smartcity import cli
from smartcity.administration.models import ArchiveTransfer
from tests.administration.archive.test_receipt import imported

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


def test_export_then_receipt(application, tmp_path, capsys):
    out = tmp_path / "akte.zip"
    assert (
        cli.main(["archive", "export", "--reference", application.reference, "--out", str(out)])
        == 0
    )
    transfer = ArchiveTransfer.objects.get()
    assert transfer.exported_by is None and str(transfer.process_id) in capsys.readouterr().out
    assert len(zipfile.ZipFile(out).namelist()) == 3  # acknowledgement, message, manifest
    answer = tmp_path / "0506.xml"
    answer.write_bytes(imported(transfer.process_id, transfer.file_id))
    assert cli.main(["archive", "receipt", str(answer)]) == 0
    assert "archived" in capsys.readouterr().out
    transfer.refresh_from_db()
    assert transfer.status == ArchiveTransfer.ARCHIVED


def test_errors_exit_1(application, tmp_path, capsys):
    out = tmp_path / "akte.zip"
    assert cli.main(["archive", "export", "--reference", "NOPE-1", "--out", str(out)]) == 1
    assert "Aktenzeichen" in capsys.readouterr().err and not out.exists()
    assert not list(tmp_path.iterdir())
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<x")
    assert cli.main(["archive", "receipt", str(bad)]) == 1
    assert "kein lesbares XML" in capsys.readouterr().err
