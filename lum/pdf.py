"""PDF of an Atlas sheet with WeasyPrint (HTML + CSS paged media → PDF; no browser, no network).

The sheet's own HTML is rendered; its static files (CSS) are read from the static-file finders
or, for the hashed names the manifest storage gives in production (``DEBUG=false``), from the
collected files under ``STATIC_ROOT``. Any other URL is refused, so a PDF never waits on the
network.
"""

from __future__ import annotations

import logging
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

__all__ = ["PDF_BASE_URL", "ERROR_OFFLINE", "static_file", "html_to_pdf"]

# A base for relative links that resolves nowhere: only the fetcher below answers.
PDF_BASE_URL = "http://remix.invalid/"
# WeasyPrint logs every ignored screen-only CSS property; keep only its errors.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
ERROR_OFFLINE = "Risorsa non disponibile per il PDF (solo file statici): {url}"


def static_file(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of a ``STATIC_URL`` path; ValueError for anything else."""
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        name = path[len(settings.STATIC_URL) :]
        found = finders.find(name) or _collected(name)
        if found:
            with open(found, "rb") as handle:
                return handle.read(), mimetypes.guess_type(found)[0] or "text/plain"
    raise ValueError(ERROR_OFFLINE.format(url=url))


def _collected(name: str) -> str | None:
    """The file ``name`` (a hashed name, with manifest storage) has under ``STATIC_ROOT``."""
    if ".." in name.split("/"):
        return None
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (NotImplementedError, ValueError, OSError):  # a remote storage; a missing root
        return None
    return None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Static files from the finders; every other URL fails (a warning, not an error)."""

        def fetch(self, url, headers=None):
            body, mime_type = static_file(url)
            return URLFetcherResponse(url, body, headers={"Content-Type": mime_type})

    return StaticOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of an HTML page (A4 page size and margins come from its ``@page`` CSS)."""
    from weasyprint import HTML  # imported here: Pango is loaded only when a PDF is asked for

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher()).write_pdf()
