"""Pages of the two Atlases: indexes, sheets (schede) and their PDFs.

Atlante dei LUM: ``/atlante/lum/`` and ``/atlante/lum/<id>/`` (+ ``.pdf``).
Atlante metropolitano dei servizi: ``/atlante/comuni/`` and ``/atlante/comuni/<istat>/``
(+ ``.pdf``). A sheet is one template for screen, print and PDF; only published records show.
"""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from lum.maps import STYLES, comune_sheet_map, lum_sheet_map
from lum.pdf import html_to_pdf
from lum.queries import lums_summary
from lum.reports import comune_report, comuni_summary, lum_report, published_lums
from territorio.models import Comune, RuoloPTM

__all__ = [
    "lum_index",
    "lum_sheet",
    "lum_sheet_pdf",
    "comuni_index",
    "comune_sheet",
    "comune_sheet_pdf",
]


def _by_zona(items, zona_of) -> list[tuple[str, list]]:
    ordered = sorted(items, key=lambda x: (zona_of(x) or "", x.name))
    return [(zona, list(group)) for zona, group in groupby(ordered, key=zona_of)]


def lum_index(request: HttpRequest) -> HttpResponse:
    indicators = {row["id"]: row for row in lums_summary(settings.REMIX_LUM_RADIUS_M)}
    lums = list(published_lums())
    for lum in lums:
        lum.indicators = indicators.get(lum.pk, {})
    groups = _by_zona(lums, lambda lum: getattr(lum.comune.zona_omogenea, "name", ""))
    context = {"groups": groups, "total": len(lums), "radius": settings.REMIX_LUM_RADIUS_M}
    return render(request, "lum/atlante_lum_index.html", context)


def _lum_context(pk: int, *, for_pdf: bool) -> dict:
    lum = get_object_or_404(published_lums(), pk=pk)
    return {
        "lum": lum,
        "report": lum_report(lum),
        "map": lum_sheet_map(lum),
        "styles": STYLES,
        "generated": timezone.localtime(),
        "for_pdf": for_pdf,
    }


def lum_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "lum/scheda_lum.html", _lum_context(pk, for_pdf=False))


def _pdf_response(html: str, filename: str) -> HttpResponse:
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def lum_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    html = render_to_string("lum/scheda_lum.html", _lum_context(pk, for_pdf=True), request)
    return _pdf_response(html, f"atlante-lum-{pk}.pdf")


# The sheets the seed's Atlante dei servizi is made of lead the index, in this order.
LEADING_ROLES = (RuoloPTM.CITTA_CENTRALE, RuoloPTM.POLO_ATTRATTORE)


def comuni_index(request: HttpRequest) -> HttpResponse:
    """The Città centrale and the poli urbani attrattori first, with their services
    indicators; then every other Comune by Zona omogenea."""
    comuni = list(Comune.objects.select_related("zona_omogenea").defer("geom"))
    indicators = {row["istat_code"]: row for row in comuni_summary()}
    leading = sorted(
        (c for c in comuni if c.ruolo_ptm in LEADING_ROLES),
        key=lambda c: (LEADING_ROLES.index(c.ruolo_ptm), c.name),
    )
    for comune in leading:
        comune.indicators = indicators[comune.istat_code]
    others = [c for c in comuni if c.ruolo_ptm not in LEADING_ROLES]
    groups = _by_zona(others, lambda c: getattr(c.zona_omogenea, "name", ""))
    context = {"leading": leading, "groups": groups, "total": len(comuni)}
    return render(request, "lum/atlante_comuni_index.html", context)


def _comune_context(istat_code: str, *, for_pdf: bool) -> dict:
    comune = get_object_or_404(
        Comune.objects.select_related("zona_omogenea"), istat_code=istat_code
    )
    return {
        "comune": comune,
        "report": comune_report(istat_code),
        "map": comune_sheet_map(comune, settings.REMIX_LUM_RADIUS_M),
        "styles": STYLES,
        "radius": settings.REMIX_LUM_RADIUS_M,
        "generated": timezone.localtime(),
        "for_pdf": for_pdf,
    }


def comune_sheet(request: HttpRequest, istat_code: str) -> HttpResponse:
    return render(request, "lum/scheda_comune.html", _comune_context(istat_code, for_pdf=False))


def comune_sheet_pdf(request: HttpRequest, istat_code: str) -> HttpResponse:
    context = _comune_context(istat_code, for_pdf=True)
    html = render_to_string("lum/scheda_comune.html", context, request)
    return _pdf_response(html, f"atlante-servizi-{istat_code}.pdf")
