"""Pages of the portal: the map, the detail pages of interventi, opportunità and Comuni, the
data page. Views stay thin: reads come from :mod:`frontend.selectors`."""

from __future__ import annotations

import json

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.generic import RedirectView, TemplateView

from frontend import selectors
from layers.catalogue import catalogue_entries
from rigenerazione.models import AmbitoRicaduta

__all__ = [
    "API_URL_NAMES",
    "available_api_urls",
    "MapView",
    "DataView",
    "InterventoDetailView",
    "OpportunitaDetailView",
    "ComuneDetailView",
]

# REST endpoints of other apps the map reads (URL names); a missing one is left out and its
# part of the page hides, so the portal works with or without them.
API_URL_NAMES = {
    "interventi": "rigenerazione:interventi",
    "fundingBySource": "rigenerazione:interventi-funding-by-source",
    "byState": "rigenerazione:interventi-by-state",
    "hectares": "rigenerazione:opportunita-hectares",
}


def available_api_urls() -> dict[str, str | None]:
    """The URL of each API_URL_NAMES endpoint, ``None`` where it is not installed."""
    urls: dict[str, str | None] = {}
    for key, name in API_URL_NAMES.items():
        try:
            urls[key] = reverse(name)
        except NoReverseMatch:
            urls[key] = None
    return urls


class MapView(TemplateView):
    """The map of the CMM with layers, filters, search, charts and the data panel."""

    template_name = "frontend/map.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["map_config"] = {
            "api": available_api_urls(),
            "filterOptions": selectors.filter_options(),
        }
        return context


class DataView(TemplateView):
    """Every published layer with its licence, endpoints and exports; a QGIS how-to."""

    template_name = "frontend/data.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["layers"] = catalogue_entries()
        return context


def _feature(geom) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": json.loads(geom.geojson)}


class InterventoDetailView(TemplateView):
    """The page of one published intervento: attributes, funding, Comuni, small map."""

    template_name = "frontend/intervento_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        intervento = selectors.intervento_published_get(kwargs["pk"])
        funding = list(intervento.finanziamenti.all())
        context.update(
            intervento=intervento,
            finanziamenti=funding,
            totale_finanziato=sum((f.importo for f in funding), start=0),
            ambiti=[str(AmbitoRicaduta(code).label) for code in intervento.ambiti_ricaduta],
            feature=_feature(intervento.geom),
        )
        return context


class OpportunitaDetailView(TemplateView):
    """The page of one published opportunità: attributes, Comune, small map."""

    template_name = "frontend/opportunita_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        opportunita = selectors.opportunita_published_get(kwargs["pk"])
        context.update(opportunita=opportunita, feature=_feature(opportunita.geom))
        return context


class ComuneDetailView(TemplateView):
    """The page of one Comune: Zona omogenea, its published interventi and opportunità."""

    template_name = "frontend/comune_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        comune = selectors.comune_get(kwargs["istat_code"])
        context.update(
            comune=comune,
            interventi=selectors.comune_interventi(comune),
            opportunita=selectors.comune_opportunita(comune),
            feature=_feature(comune.geom),
        )
        return context


class FaviconView(RedirectView):
    """``/favicon.ico`` → the portal's icon in the static files (resolved per request, so the
    hashed name of the production storage is used)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("frontend/favicon.svg")
