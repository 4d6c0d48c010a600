"""Published layers of the lum app: the LUM (theme mobilità) and the services (theme servizi).

Every queryset starts from ``.published()``. The services are three layers of one model:
schools and CFP, hospitals (both real, Regione Lombardia, with licence and attribution) and the
other categories, a generated sample until real open data exists (the layer says so with
``is_sample`` and every record carries ``is_sample``).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce

from layers.registry import Field, GeometryPart, Layer, register
from lum.filters import LumFilter, ServizioFilter
from lum.models import SOURCED_CATEGORIES, CategoriaServizio, Lum, Servizio
from lum.services import METRO_SOURCE, RAIL_SOURCE
from lum.servizi_regione import HOSPITALS, LICENCE, SCHOOLS

__all__ = ["LumLayer", "ScuoleLayer", "OspedaliLayer", "ServiziLayer"]

ZONA_FIELD = Field(
    "zona_omogenea", "comune__zona_omogenea__name", it="Zona omogenea", en="Homogeneous zone"
)
UPDATED_AT = Field("updated_at", it="Aggiornato il", en="Updated at")


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
        ZONA_FIELD,
        Field("modes", it="Modi", en="Modes"),
        Field("lines", it="Linee", en="Lines"),
        Field("rank", it="Rango", en="Rank"),
        Field("stato", it="Stato", en="Status"),
        # The radius in force: the LUM's own, else the configured default (never null).
        Field(
            "radius_m",
            it="Raggio del bacino (m)",
            en="Catchment radius (m)",
            expression=Coalesce("radius_m", Value(settings.REMIX_LUM_RADIUS_M)),
            type="integer",
            unit="m",
            description="Raggio del bacino in vigore: quello del LUM o il valore predefinito.",
        ),
        Field("boardings_24h", it="Saliti/giorno (treno)", en="Rail boardings/day"),
        Field("source", it="Fonte", en="Source"),
        Field("is_sample", it="Dato di esempio", en="Sample record"),
        UPDATED_AT,
    )
    popup_fields = ("name", "comune", "modes", "lines", "rank", "stato")
    tile_extra_fields = ("comune_istat", "zona_omogenea", "radius_m", "updated_at")
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


SERVIZIO_FIELDS = (
    Field("name", it="Nome", en="Name"),
    Field("categoria", it="Categoria", en="Category"),
    Field("comune", "comune__name", it="Comune", en="Municipality"),
    Field("comune_istat", "comune__istat_code", it="Codice ISTAT", en="ISTAT code"),
    ZONA_FIELD,
)
PROVENANCE_FIELDS = (
    Field("source", it="Fonte", en="Source"),
    Field("licence", it="Licenza", en="Licence"),
    Field("is_sample", it="Dato di esempio", en="Sample record"),
    UPDATED_AT,
)


class _RealServiziLayer(Layer):
    """A layer of the services loaded from one register of Regione Lombardia."""

    categories: tuple[str, ...] = ()
    theme = "servizi"
    popup_fields = ("name", "categoria", "tipologia", "comune", "source", "licence")
    tile_extra_fields = ("comune_istat", "zona_omogenea", "updated_at")
    search_fields = ("name",)
    geometry_type = "Point"
    licence = LICENCE
    render = "geojson"
    cluster = True
    min_zoom, max_zoom = 8, 19
    filterset_class = ServizioFilter
    detail_page = None

    def get_queryset(self) -> QuerySet[Servizio]:
        published = Servizio.objects.published().filter(categoria__in=self.categories)
        return published.select_related("comune")


@register
class ScuoleLayer(_RealServiziLayer):
    id = "scuole"
    model = Servizio
    title = {
        "it": "Scuole secondarie di secondo grado e formazione professionale",
        "en": "Upper-secondary schools and vocational training centres",
    }
    description = {
        "it": "Sedi di licei, istituti tecnici e professionali statali e dei centri di "
        "formazione professionale (CFP) della Città metropolitana, con tipologia e allievi per "
        "sede. Anagrafe Scuole Lombarde di Regione Lombardia.",
        "en": "Sites of state upper-secondary schools and vocational training centres of the "
        "Metropolitan City, with type and students per site (Regione Lombardia).",
    }
    categories = (CategoriaServizio.SCUOLA_SECONDARIA, CategoriaServizio.FORMAZIONE)
    fields = (
        *SERVIZIO_FIELDS,
        Field("tipologia", it="Tipologia", en="Type"),
        Field("studenti", it="Studenti", en="Students"),
        Field("indirizzo", it="Indirizzo", en="Address"),
        Field("codice", "code", it="Codice", en="Code"),
        *PROVENANCE_FIELDS,
    )
    popup_fields = ("name", "categoria", "tipologia", "studenti", "comune", "source", "licence")
    style = {"color": "#1f78b4", "weight": 1, "fillOpacity": 0.8, "radius": 5}
    legend = (
        {
            "label": {"it": "Istruzione secondaria superiore", "en": "Upper-secondary school"},
            "color": "#1f78b4",
        },
    )
    attribution = SCHOOLS.source


@register
class OspedaliLayer(_RealServiziLayer):
    id = "ospedali"
    model = Servizio
    title = {"it": "Ospedali e strutture di ricovero", "en": "Hospitals and inpatient facilities"}
    description = {
        "it": "Strutture di ricovero (ospedali, IRCCS, case di cura) della Città metropolitana, "
        "georeferenziate da Regione Lombardia – DG Welfare.",
        "en": "Hospitals and inpatient facilities of the Metropolitan City (Regione Lombardia).",
    }
    categories = (CategoriaServizio.SANITA,)
    fields = (
        *SERVIZIO_FIELDS,
        Field("indirizzo", it="Indirizzo", en="Address"),
        Field("codice", "code", it="Codice", en="Code"),
        *PROVENANCE_FIELDS,
    )
    popup_fields = ("name", "comune", "indirizzo", "source", "licence")
    style = {"color": "#e31a1c", "weight": 1, "fillOpacity": 0.8, "radius": 6}
    legend = (
        {"label": {"it": "Struttura di ricovero", "en": "Inpatient facility"}, "color": "#e31a1c"},
    )
    attribution = HOSPITALS.source


@register
class ServiziLayer(Layer):
    """The categories with no open data yet: a generated sample (schools, CFP and hospitals
    are the real layers above)."""

    id = "servizi"
    model = Servizio
    title = {
        "it": "Altri servizi sovracomunali (esempio)",
        "en": "Other supra-municipal services (sample)",
    }
    description = {
        "it": "Università, cultura, sport, servizi alla persona e sedi della PA. DATO DI "
        "ESEMPIO generato: non è un censimento ufficiale.",
        "en": "Universities, culture, sport, personal services and public offices. SAMPLE "
        "data, not an official census.",
    }
    theme = "servizi"
    fields = (
        *SERVIZIO_FIELDS,
        Field("attributi", it="Attributi dimensionali", en="Size attributes"),
        *PROVENANCE_FIELDS,
    )
    popup_fields = ("name", "categoria", "comune", "is_sample")
    tile_extra_fields = ("comune_istat", "zona_omogenea", "updated_at")
    search_fields = ("name",)
    geometry_type = "Geometry"
    # The portal clusters the mixed layer; GIS clients get points and areas apart.
    geometry_parts = (
        GeometryPart("Point", "punti", it="punti", en="points"),
        GeometryPart("MultiPolygon", "aree", it="aree", en="areas"),
    )
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
        others = Servizio.objects.published().exclude(categoria__in=SOURCED_CATEGORIES)
        return others.select_related("comune")
