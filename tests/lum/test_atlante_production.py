"""Atlas PDFs with production settings: DEBUG off and WhiteNoise's manifest storage after a
collectstatic, as deployed. The stylesheet (a hashed name) is read, and the PDF carries the
sheet only: no site header, skip link, language form or CSRF token."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# The hashed names are what matters here; the .gz/.br copies next to them (slow to make for the
# vendored libraries) are not read by anything under test.
NO_COMPRESSION = [
    "css",
    "js",
    "mjs",
    "map",
    "svg",
    "json",
    "html",
    "txt",
    "md",
    "xml",
    "ico",
    "woff",
    "woff2",
    "ttf",
    "eot",
    "otf",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """``collectstatic`` with the manifest storage into a temporary STATIC_ROOT."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST},
    }
    with override_settings(
        STATIC_ROOT=root, STORAGES=storages, WHITENOISE_SKIP_COMPRESS_EXTENSIONS=NO_COMPRESSION
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root, storages


@pytest.fixture
def production(collected_static):
    root, storages = collected_static
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=root,
        STORAGES=storages,
        SECURE_SSL_REDIRECT=False,
        ALLOWED_HOSTS=["testserver"],
    ):
        yield root


def text_of(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("kind", ["lum", "comune"])
def test_pdf_in_production_is_styled_and_carries_the_sheet_only(
    client, tiny_world, production, caplog, kind
):
    path = (
        f"/atlante/lum/{tiny_world.lum.pk}.pdf" if kind == "lum" else "/atlante/comuni/999002.pdf"
    )
    html_path = path.replace(".pdf", "/")
    page = client.get(html_path).content.decode()
    assert "/static/lum/css/atlante." in page and "atlante.css" not in page  # a hashed name
    caplog.set_level(logging.WARNING, logger="weasyprint")
    response = client.get(path)
    assert response.status_code == 200
    failures = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert not any("Failed to load" in message for message in failures), failures
    pages, text = text_of(response.content)
    # The @page rule of atlante.css applied: its footer is on every page.
    assert text.count("Remix · Città metropolitana di Milano") == pages
    for chrome in ("Vai al contenuto principale", "csrfmiddlewaretoken", "English", "Accedi"):
        assert chrome not in text
