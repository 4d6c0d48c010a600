"""The Atlas pages: indexes, sheets with their server-drawn SVG map, and their PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from lum.pdf import ERROR_OFFLINE, static_file
from territorio.models import Comune


def pdf_pages(content: bytes) -> int:
    assert content.startswith(b"%PDF")
    return len(PdfReader(io.BytesIO(content)).pages)


def test_lum_sheet_shows_indicators_lists_and_an_svg_map(client, tiny_world):
    response = client.get(f"/atlante/lum/{tiny_world.lum.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'class="bacino"' in html and 'class="opportunita"' in html
    assert "<td>uni_in" in html and "<td>uni_out" not in html  # listed: 500 m in, 900 m out
    assert "<title>uni_out</title>" in html  # but drawn: it is in the map's frame
    assert "<td>I1" in html
    # Looked for as table cells and SVG titles only: a random CSRF token may contain "I3".
    for hidden in ("I3", "I4"):  # the draft; one localised at Comune level (never drawn)
        assert f"<td>{hidden}" not in html and f"<title>{hidden}</title>" not in html
    assert "cerchio di 800 m" in html
    assert "Dato di esempio" in html
    # SVG numbers are never localised (a decimal comma would break the path data).
    assert ",5 " not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_lum_sheet_of_an_unpublished_lum_is_404(client, tiny_world):
    tiny_world.lum.publication_state = "bozza"
    tiny_world.lum.save()
    assert client.get(f"/atlante/lum/{tiny_world.lum.pk}/").status_code == 404
    assert client.get(f"/atlante/lum/{tiny_world.lum.pk}.pdf").status_code == 404


def test_lum_sheet_pdf_is_an_a4_pdf(client, tiny_world):
    response = client.get(f"/atlante/lum/{tiny_world.lum.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) >= 1
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    # A4 is 210 × 297 mm = 595.3 × 841.9 pt.
    assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
    assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)
    assert "L" in page.extract_text()


def test_comune_sheet_and_its_pdf(client, tiny_world):
    html = client.get("/atlante/comuni/999002/").content.decode()
    assert "Est" in html and "I2" in html
    assert "28 %" in html  # (1 + 0.9948) / 7 of the opportunities lie in the catchment
    response = client.get("/atlante/comuni/999002.pdf")
    assert pdf_pages(response.content) >= 1


def test_the_comuni_index_links_every_comune(client, territorio):
    html = client.get("/atlante/comuni/").content.decode()
    for code in Comune.objects.values_list("istat_code", flat=True):
        assert f'href="/atlante/comuni/{code}/"' in html


def test_the_lum_index_links_every_published_lum(client, tiny_world):
    html = client.get("/atlante/lum/").content.decode()
    assert f'href="/atlante/lum/{tiny_world.lum.pk}/"' in html
    # Its row shows 3 services, 0 students, 1 intervento and 2.0 ha of opportunities.
    row = html.split(f'href="/atlante/lum/{tiny_world.lum.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert (
        '<td class="num">3</td><td class="num">0</td><td class="num">1</td><td class="num">2,0</td>'
        in row
    )


def test_milano_has_a_sheet_without_lum(client, territorio):
    response = client.get("/atlante/comuni/015146/")
    assert response.status_code == 200
    assert "Milano non ha LUM per definizione" in response.content.decode()


def test_unknown_comune_sheet_is_404(client, territorio):
    assert client.get("/atlante/comuni/000000/").status_code == 404


def test_the_pdf_reads_static_files_only(settings):
    body, mime_type = static_file(settings.STATIC_URL + "lum/css/atlante.css")
    assert b"@page" in body and mime_type == "text/css"
    with pytest.raises(ValueError) as error:
        static_file("https://tile.openstreetmap.org/1/1/1.png")
    assert str(error.value) == ERROR_OFFLINE.format(url="https://tile.openstreetmap.org/1/1/1.png")
