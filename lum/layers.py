"""Published layers of the lum app: the LUM (theme mobilità) and the services (theme servizi).

Both querysets start from ``.published()``. The services are a generated sample until real open
data is loaded: the layer says so (``is_sample``) and every record carries ``is_sample``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from layers.registry import Field, Layer, register
from lum.filters import LumFilter, ServizioFilter
from lum.models import Lum, Servizio
from lum.services import METRO_SOURCE, RAIL_SOURCE

__all__ = ["LumLayer", "ServiziLayer"]


@register
class LumLayer(Layer):
    id = "lum"
    model = Lum
    title = {"it": "Luoghi urbani per la mobilità (LUM)", "en": "Urban mobility places (LUM)"}
    description = {
        "it": "Fermate del servizio ferroviario regionale e della metropolitana fuori dal Comune "
        "di Milano (PTM, STTM 2), con modi, linee, rango e raggio del bacino.",
        "en": "Regional rail and metro stops outside the City of Milan (PTM, STTM 2).",
    }
    theme = "mobilita"
    fields = (
        Field("name", it="Nome", en="Name"),
        Field("comune", "comune__name", it="Comune", en="Municipality"),
        Field("comune_istat", "comune__istat_code", it="Codice ISTAT", en="ISTAT code"),
        Field("modes", it="Modi", en="Modes"),
        Field("lines", it="Linee", en="Lines"),
        Field("rank", it="Rango", en="Rank"),
        Field("stato", it="Stato", en="Status"),
        Field("radius_m", it="Raggio del bacino (m)", en="Catchment radius (m)"),
        Field("boardings_24h", it="Saliti/giorno (treno)", en="Rail boardings/day"),
        Field("source", it="Fonte", en="Source"),
        Field("is_sample", it="Dato di esempio", en="Sample record"),
    )
    popup_fields = ("name", "comune", "modes", "lines", "rank", "stato")
    search_fields = ("name",)
    geometry_type = "Point"
    style = {"color": "#6a3d9a", "weight": 2, "fillOpacity": 0.8, "radius": 6}
    legend = (
        {"label": {"it": "LUM metropolitano", "en": "Metropolitan LUM"}, "color": "#6a3d9a"},
        {"label": {"it": "LUM sovracomunale", "en": "Supra-municipal LUM"}, "color": "#cab2d6"},
    )
    licence = "CC-BY-4.0 (metropolitana); open data Regione Lombardia (treno)"
    attribution = f"{RAIL_SOURCE}; {METRO_SOURCE}"
    render = "geojson"
    min_zoom, max_zoom = 8, 19
    filterset_class = LumFilter
    detail_page = "/atlante/lum/{id}/"

    def get_queryset(self) -> QuerySet[Lum]:
        return Lum.objects.published().select_related("comune")


@register
class ServiziLayer(Layer):
    id = "servizi"
    model = Servizio
    title = {"it": "Servizi sovracomunali (esempio)", "en": "Supra-municipal services (sample)"}
    description = {
        "it": "Servizi di rango sovracomunale per categoria. DATO DI ESEMPIO generato: non è "
        "un censimento ufficiale.",
        "en": "Supra-municipal services by category. SAMPLE data, not an official census.",
    }
    theme = "servizi"
    fields = (
        Field("name", it="Nome", en="Name"),
        Field("categoria", it="Categoria", en="Category"),
        Field("comune", "comune__name", it="Comune", en="Municipality"),
        Field("comune_istat", "comune__istat_code", it="Codice ISTAT", en="ISTAT code"),
        Field("attributi", it="Attributi dimensionali", en="Size attributes"),
        Field("source", it="Fonte", en="Source"),
        Field("is_sample", it="Dato di esempio", en="Sample record"),
    )
    popup_fields = ("name", "categoria", "comune", "is_sample")
    search_fields = ("name",)
    geometry_type = "Geometry"
    style = {"color": "#e6550d", "weight": 1, "fillOpacity": 0.5, "radius": 5}
    legend = (
        {"label": {"it": "Servizio (esempio)", "en": "Service (sample)"}, "color": "#e6550d"},
    )
    licence = "CC0-1.0"
    attribution = "Dato di esempio generato da Remix"
    is_sample = True
    render = "geojson"
    cluster = True
    min_zoom, max_zoom = 8, 19
    filterset_class = ServizioFilter
    detail_page = None

    def get_queryset(self) -> QuerySet[Servizio]:
        return Servizio.objects.published().select_related("comune")
