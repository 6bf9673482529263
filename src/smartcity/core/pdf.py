"""Documents as PDF/A (ISO 19005), rendered from HTML by WeasyPrint: acknowledgements,
notices, departure sheets. PDF/A-3b by default, so that a notice can carry its data as an
attached file (e.g. an XRechnung) and an archive can keep it for as long as it must.

The renderer fetches nothing from the network: a document may use ``data:`` URLs and the
platform's own static files (``/static/...``), nothing else, so
a template that interpolates a citizen's text cannot make the server fetch a URL (SSRF).
Fonts are the machine's (fontconfig); PDF/A embeds them.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

VARIANT = "pdf/a-3b"


class ForbiddenResource(ValueError):
    """A document asked for a resource that is not the platform's own."""


BASE = "file:///static/"  # "/static/x.css" in a document is the static file x.css


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(BASE):
                found = finders.find(url.removeprefix(BASE).split("?")[0])
                if found:
                    path = Path(found if isinstance(found, str) else found[0])
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    # WeasyPrint applies a stylesheet only when it is served as text/css
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            raise ForbiddenResource(f"a PDF may not load {url[:80]!r}: only data: and /static/")

    return OwnFilesOnly(fail_on_errors=False)


def from_html(html: str, *, title: str, language: str = "de", variant: str = VARIANT) -> bytes:
    """The PDF/A of an HTML document (its own ``<title>`` is replaced by ``title``)."""
    from PIL import ImageFile
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # weasyprint's import turns it on for the
    # process; the platform's documents hold only its own images, uploads must decode whole

    rendered = HTML(string=html, base_url=BASE, url_fetcher=_fetcher()).render()
    rendered.metadata.title = title
    rendered.metadata.lang = language
    return rendered.write_pdf(pdf_variant=variant)  # type: ignore[no-any-return]


def from_template(
    template: str, context: dict[str, Any], *, title: str, language: str = "de"
) -> bytes:
    """The PDF/A of a Django template rendered with ``context``."""
    return from_html(render_to_string(template, context), title=title, language=language)
