"""core.uploads by content: every type an office accepts passes, disguised, damaged,
hostile and oversized files are refused with a reason (the scanner: test_uploads_clamav)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity.core.uploads import DOCUMENTS, DOCX, ODT, PDF, Checked, UploadRefused, check
from tests.core import upload_samples as samples

MB = 1_000_000


@pytest.fixture(autouse=True)
def _no_scanner(monkeypatch):
    monkeypatch.setenv("SMARTCITY_CLAMAV_URL", "")


def refusal(
    data: bytes, name: str | None = None, accept=DOCUMENTS, max_bytes=10 * MB
) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        check(io.BytesIO(data), accept=list(accept), max_bytes=max_bytes, name=name)
    return caught.value


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (samples.pdf(), "antrag.pdf", PDF),
        (samples.pdf(pages=3), "ANTRAG.PDF", PDF),
        (samples.image("PNG"), "foto.png", "image/png"),
        (samples.image("JPEG"), "foto.jpeg", "image/jpeg"),
        (samples.image("JPEG"), "foto.JPG", "image/jpeg"),
        (samples.image("TIFF"), "scan.tif", "image/tiff"),
        (samples.image("HEIF"), "IMG_0001.HEIC", "image/heic"),
        (samples.docx(), "lebenslauf.docx", DOCX),
        (samples.odt(), "brief.odt", ODT),
        (samples.pdf(), None, PDF),  # no name: the content decides
        (samples.pdf(), "antrag", PDF),  # a name without an extension
    ],
)
def test_every_accepted_type_passes_by_its_content(data, name, media_type):
    checked = check(io.BytesIO(data), accept=list(DOCUMENTS), max_bytes=10 * MB, name=name)
    assert checked == Checked(media_type, len(data), scanned=False)


def test_the_file_is_left_at_its_start():
    file = io.BytesIO(samples.pdf())
    file.seek(7)
    check(file, accept=[PDF], max_bytes=MB)
    assert file.tell() == 0


def test_a_type_the_caller_does_not_accept_is_refused():
    error = refusal(samples.image("PNG"), "foto.png", accept=[PDF])
    assert error.reason == "type"
    assert "PNG-Bild" in str(error) and "PDF-Dokument" in str(error)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (samples.image("PNG"), "antrag.pdf", "extension"),  # a PNG named .pdf
        (samples.pdf(), "antrag.png", "extension"),
        (samples.pdf(), "antrag.pdf.exe", "extension"),
        (samples.docx(), "brief.odt", "extension"),
        (
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "antrag.pdf",
            "type",
        ),
        (b"Hallo, das ist nur Text.\n", "antrag.pdf", "type"),
        (b"MZ\x90\x00\x03" + bytes(200), "antrag.pdf", "type"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "bild.png", "type"),
    ],
)
def test_disguised_files_are_refused(data, name, reason):
    assert refusal(data, name).reason == reason


def test_the_name_of_the_file_object_counts_when_none_is_given(tmp_path):
    disguised = tmp_path / "bescheid.pdf"
    disguised.write_bytes(samples.image("PNG"))
    with disguised.open("rb") as file, pytest.raises(UploadRefused) as caught:
        check(file, accept=list(DOCUMENTS), max_bytes=MB)
    assert caught.value.reason == "extension"
    assert "„.pdf“" in str(caught.value) and ".png" in str(caught.value)


def test_empty_files_are_refused():
    assert refusal(b"", "leer.pdf").reason == "empty"


def test_the_size_limit_is_inclusive():
    data = samples.pdf()
    assert check(io.BytesIO(data), accept=[PDF], max_bytes=len(data)).size == len(data)
    error = refusal(data, accept=[PDF], max_bytes=len(data) - 1)
    assert error.reason == "too_large" and "MB" in str(error)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (samples.pdf_with_javascript(), "active_content"),
        (samples.pdf_with_hidden_open_action(), "active_content"),
        (samples.pdf_with_attachment(), "active_content"),
        (samples.encrypted_pdf(), "encrypted"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "damaged"),  # no pages, no xref
        (samples.pdf()[:-200], "damaged"),  # cut off
    ],
)
def test_hostile_and_damaged_pdfs_are_refused(data, reason):
    assert refusal(data, "antrag.pdf").reason == reason


def test_xfa_forms_are_refused_only_with_scripts():
    form = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><field name="a"/></template>'
    plain = samples.pdf_with_xfa(form + b"</xdp:xdp>")
    assert check(io.BytesIO(plain), accept=[PDF], max_bytes=MB).media_type == PDF
    scripted = samples.pdf_with_xfa(form + b"<SCRIPT>xfa.host.exec()</SCRIPT></xdp:xdp>")
    assert refusal(scripted, "formular.pdf").reason == "active_content"


def test_a_compression_bomb_inside_a_pdf_is_refused_not_expanded():
    bomb = samples.pdf_with_xfa(b"<xdp>" + bytes(200 * MB), compress=True)
    assert len(bomb) < MB
    assert refusal(bomb, "formular.pdf").reason == "damaged"


def test_django_uploaded_files_are_checked_by_their_client_name():
    from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

    upload = SimpleUploadedFile("scan.pdf", samples.pdf(), content_type="image/png")
    assert check(upload, accept=[PDF], max_bytes=MB).media_type == PDF  # not the browser's type
    disguised = TemporaryUploadedFile("bescheid.pdf", "application/pdf", 0, None)
    disguised.write(samples.image("JPEG"))
    disguised.flush()
    with pytest.raises(UploadRefused) as caught:
        check(disguised, accept=[PDF, "image/jpeg"], max_bytes=MB)
    assert caught.value.reason == "extension"
    disguised.close()


def test_a_pdf_over_the_object_budget_is_refused(monkeypatch):
    data = samples.pdf(pages=120)
    assert check(io.BytesIO(data), accept=[PDF], max_bytes=MB).media_type == PDF
    monkeypatch.setenv("SMARTCITY_UPLOAD_PDF_MAX_OBJECTS", "100")
    assert refusal(data, "antrag.pdf").reason == "too_complex"


@pytest.mark.parametrize("pillow_format", ["PNG", "JPEG", "TIFF", "HEIF"])
def test_images_that_only_start_like_one_are_refused(pillow_format):
    data = samples.image(pillow_format, size=(64, 64))
    assert refusal(data[: len(data) // 2]).reason == "damaged"


def test_images_over_the_pixel_budget_are_refused(monkeypatch):
    monkeypatch.setenv("SMARTCITY_UPLOAD_IMAGE_MAX_PIXELS", "1000")
    assert refusal(samples.image("PNG", size=(40, 40)), "foto.png").reason == "too_large"
    assert check(
        io.BytesIO(samples.image("PNG", size=(40, 20))), accept=["image/png"], max_bytes=MB
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            samples.docx(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
            "active_content",
        ),
        (samples.docx(extra=(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),)), "active_content"),
        (samples.docx(extra=(("word/embeddings/oleObject1.bin", b"\xd0\xcf"),)), "active_content"),
        (
            samples.docx(
                main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            ),
            "type",
        ),
        (
            samples.docx(types=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><Types/>'),
            "damaged",
        ),
        (samples.odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "type"),
        (samples.odt(stored=False), "type"),  # the mimetype entry must come first, stored
        (samples.odt(extra=(("Basic/Standard/Module1.xml", b"<x/>"),)), "active_content"),
        (samples._zip([("antrag.pdf", samples.pdf())]), "type"),  # a plain ZIP archive
        (samples.docx()[:-30], "damaged"),
    ],
)
def test_hostile_and_wrong_office_documents_are_refused(data, reason):
    assert refusal(data).reason == reason


def test_a_zip_bomb_is_refused_by_its_ratio_and_by_its_expanded_size(monkeypatch):
    bomb = samples.docx(extra=(("word/media/zeros.xml", bytes(30 * MB)),))
    assert len(bomb) < 100_000
    assert refusal(bomb, "bombe.docx").reason == "archive"
    monkeypatch.setenv("SMARTCITY_UPLOAD_ARCHIVE_MAX_BYTES", "2000")
    assert refusal(samples.docx(extra=(("word/a.xml", b"x" * 3000),))).reason == "archive"


def test_an_archive_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setenv("SMARTCITY_UPLOAD_ARCHIVE_MAX_ENTRIES", "10")
    extra = tuple((f"word/media/{i}.xml", b"<x/>") for i in range(10))
    assert refusal(samples.docx(extra=extra)).reason == "archive"


def test_duplicate_and_escaping_names_in_an_archive_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("../../etc/cron.d/x", b"x")
    assert refusal(out.getvalue()).reason == "damaged"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from(
        [b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04", b"II*\x00"]
    ),
    rest=st.binary(max_size=2000),
)
def test_any_bytes_are_accepted_or_refused_never_an_error(start, rest):
    try:
        check(io.BytesIO(start + rest), accept=list(DOCUMENTS), max_bytes=MB)
    except UploadRefused as error:
        assert error.reason and str(error)


def test_a_truncated_image_is_refused_after_a_pdf_was_written():
    """WeasyPrint's import tolerates truncated images process-wide; uploads must not."""
    from smartcity.core import pdf

    pdf.from_html("<p>x</p>", title="x")
    data = samples.image("PNG", size=(64, 64))
    assert refusal(data[: len(data) // 2]).reason == "damaged"
