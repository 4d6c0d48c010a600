"""Published layers of urban regeneration: interventions, opportunities and two planning views.

Every queryset starts from ``.published()``: drafts, records under review and withdrawn ones
never reach a public endpoint.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from layers.registry import Field, GeometryPart, Layer, register
from rigenerazione.filters import InterventoFilter, OpportunitaFilter
from rigenerazione.models import (
    Finanziamento,
    FonteFinanziamento,
    Intervento,
    Opportunita,
    TipoOpportunita,
)
from territorio.models import Comune, ZonaOmogenea

PUBLISHED_LICENCE = "CC-BY-4.0"
CMM_ATTRIBUTION = "Città metropolitana di Milano e Comuni (Remix)"
# The interventi layer carries the PNRR applications, derived from a CC BY-SA 4.0 extraction:
# the layer as a whole (and every export of it) is shared alike, with both attributions.
INTERVENTI_LICENCE = "CC-BY-SA-4.0"
INTERVENTI_ATTRIBUTION = (
    "Città metropolitana di Milano e Comuni (Remix); PNRR: Ministero dell'Interno, decreto "
    "30 dicembre 2021, estrazione onData (datiBeneComuneMonitoraggio), CC BY-SA 4.0"
)
# Each record says where it comes from and under which licence, in every format.
PROVENANCE_FIELDS = (
    Field("source", it="Fonte", en="Source"),
    Field("licence", it="Licenza", en="Licence"),
)


def _funding(**conditions) -> Coalesce:
    """The funding of the outer intervento (in €, 0 without rows), optionally of one source."""
    rows = Finanziamento.objects.filter(intervento=OuterRef("pk"), **conditions)
    total = rows.values("intervento").annotate(total=Sum("importo")).values("total")
    money = DecimalField(max_digits=16, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(Decimal("0.00")), output_field=money)


def _funding_fields() -> tuple[Field, ...]:
    """One ``fin_<fonte>`` total per funding source, then ``fin_totale``."""
    by_source = tuple(
        Field(
            f"fin_{fonte.value}",
            it=f"Finanziamento {fonte.label} (€)",
            en=f"Funding: {fonte.label} (€)",
            expression=_funding(fonte=fonte.value),
            type="number",
            unit="€",
            description=f"Somma dei finanziamenti di fonte {fonte.label} (0 se nessuno).",
        )
        for fonte in FonteFinanziamento
    )
    total = Field(
        "fin_totale",
        it="Finanziamento totale (€)",
        en="Total funding (€)",
        expression=_funding(),
        type="number",
        unit="€",
        description="Somma di tutti i finanziamenti registrati.",
    )
    return (*by_source, total)


# The Comuni and Zone omogenee an intervento touches, so analysis by Comune needs no join.
INTERVENTO_PLACE_FIELDS = (
    Field(
        "comuni_istat",
        it="Codici ISTAT dei Comuni",
        en="ISTAT codes of the municipalities",
        expression=ArraySubquery(
            Comune.objects.filter(interventi=OuterRef("pk"))
            .order_by("istat_code")
            .values("istat_code")
        ),
        type="array",
        items="string",
        description="I Comuni interessati dall'intervento (codici ISTAT).",
    ),
    Field(
        "zone_omogenee",
        it="Zone omogenee",
        en="Homogeneous zones",
        expression=ArraySubquery(
            ZonaOmogenea.objects.filter(comuni__interventi=OuterRef("pk"))
            .distinct()
            .order_by("name")
            .values("name")
        ),
        type="array",
        items="string",
        description="Le Zone omogenee dei Comuni interessati.",
    ),
)
UPDATED_AT = Field("updated_at", it="Aggiornato il", en="Updated at")

INTERVENTO_FIELDS = (
    Field("title", it="Titolo", en="Title"),
    Field("stato", it="Stato", en="Status"),
    Field("localizzazione", it="Localizzazione", en="Location type"),
    Field("anno_inizio", it="Anno di inizio", en="Start year"),
    Field("anno_fine", it="Anno di fine", en="End year"),
    Field("costo_totale", it="Costo totale (€)", en="Total cost (€)"),
    Field("soggetto_attuatore", it="Soggetto attuatore", en="Implementing body"),
    Field("cup", it="CUP", en="CUP"),
    Field("tipologia", it="Tipologia", en="Type"),
    Field("ambiti_ricaduta", it="Ambiti di ricaduta", en="Impact areas"),
    Field("is_sample", it="Dato di esempio", en="Sample record"),
    *PROVENANCE_FIELDS,
    *INTERVENTO_PLACE_FIELDS,
    *_funding_fields(),
    UPDATED_AT,
)

OPPORTUNITA_FIELDS = (
    Field("title", it="Denominazione", en="Name"),
    Field("tipo", it="Tipo", en="Type"),
    Field("comune", "comune__name", it="Comune", en="Municipality"),
    Field("comune_istat", "comune__istat_code", it="Codice ISTAT", en="ISTAT code"),
    Field(
        "zona_omogenea",
        "comune__zona_omogenea__name",
        it="Zona omogenea",
        en="Homogeneous zone",
    ),
    Field("stato", it="Stato", en="Status"),
    Field("superficie_m2", it="Superficie (m²)", en="Area (m²)"),
    Field("destinazioni_uso", it="Destinazioni d'uso", en="Intended uses"),
    Field("riferimento_pgt", it="Riferimento PGT", en="Plan reference"),
    Field("is_sample", it="Dato di esempio", en="Sample record"),
    *PROVENANCE_FIELDS,
    UPDATED_AT,
)


@register
class InterventiLayer(Layer):
    id = "interventi"
    model = Intervento
    title = {"it": "Interventi di rigenerazione", "en": "Regeneration projects"}
    description = {
        "it": "Realizzazioni della rigenerazione urbana (PTM art. 13): programmati, in corso e "
        "conclusi.",
        "en": "Urban regeneration projects (PTM art. 13): planned, under way and completed.",
    }
    theme = "rigenerazione"
    fields = INTERVENTO_FIELDS
    popup_fields = ("title", "stato", "anno_inizio", "anno_fine", "costo_totale", "is_sample")
    tile_extra_fields = ("fin_totale", "updated_at")
    geometry_type = "Geometry"
    # The portal draws the mixed layer; GIS clients get one collection per geometry type.
    geometry_parts = (
        GeometryPart("MultiPolygon", "aree", it="aree", en="areas"),
        GeometryPart("MultiLineString", "linee", it="tracciati", en="lines"),
        GeometryPart("MultiPoint", "punti", it="punti", en="points"),
    )
    temporal = ("anno_inizio", "anno_fine")
    style = {"color": "#d7301f", "weight": 2, "fillOpacity": 0.35, "radius": 6}
    legend = (
        {"label": {"it": "Programmato", "en": "Planned"}, "color": "#fdae61"},
        {"label": {"it": "In corso", "en": "Under way"}, "color": "#d7301f"},
        {"label": {"it": "Concluso", "en": "Completed"}, "color": "#1a9641"},
    )
    licence = INTERVENTI_LICENCE
    attribution = INTERVENTI_ATTRIBUTION
    render = "geojson"
    min_zoom, max_zoom = 8, 19
    detail_page = "/interventi/{id}/"
    filterset_class = InterventoFilter
    search_fields = ("title",)

    def get_queryset(self) -> QuerySet[Intervento]:
        return Intervento.objects.published()


class _OpportunitaBase(Layer):
    model = Opportunita
    theme = "rigenerazione"
    fields = OPPORTUNITA_FIELDS
    popup_fields = ("title", "tipo", "comune", "stato", "superficie_m2", "is_sample")
    tile_extra_fields = ("comune_istat", "zona_omogenea", "updated_at")
    geometry_type = "MultiPolygon"
    licence = PUBLISHED_LICENCE
    attribution = CMM_ATTRIBUTION
    # Polygons that every Comune keeps adding to: drawn from vector tiles, not one big GeoJSON.
    render = "tiles"
    min_zoom, max_zoom = 8, 19
    detail_page = "/opportunita/{id}/"
    filterset_class = OpportunitaFilter
    search_fields = ("title",)
    tipo: str | None = None

    def get_queryset(self) -> QuerySet[Opportunita]:
        published = Opportunita.objects.published().select_related("comune")
        return published.filter(tipo=self.tipo) if self.tipo else published


@register
class OpportunitaLayer(_OpportunitaBase):
    id = "opportunita"
    title = {"it": "Opportunità di rigenerazione", "en": "Regeneration opportunities"}
    description = {
        "it": "Aree in cui avviare la rigenerazione: incubatore Re.mix, ambiti di "
        "trasformazione e di rigenerazione, aree dismesse.",
        "en": "Areas where regeneration can start.",
    }
    style = {"color": "#2c7fb8", "weight": 1, "fillOpacity": 0.35}
    legend = ({"label": {"it": "Opportunità", "en": "Opportunity"}, "color": "#2c7fb8"},)


@register
class AmbitiTrasformazioneLayer(_OpportunitaBase):
    id = "ambiti-trasformazione"
    tipo = TipoOpportunita.AMBITO_TRASFORMAZIONE
    theme = "pianificazione"
    title = {"it": "Ambiti di trasformazione (PGT)", "en": "Transformation areas (PGT)"}
    description = {
        "it": "Gli ambiti di trasformazione dei Piani di governo del territorio.",
        "en": "Transformation areas of the municipal plans (PGT).",
    }
    style = {"color": "#7b3294", "weight": 1, "fillOpacity": 0.3}
    legend = (
        {
            "label": {"it": "Ambito di trasformazione", "en": "Transformation area"},
            "color": "#7b3294",
        },
    )


@register
class AmbitiRigenerazioneLayer(_OpportunitaBase):
    id = "ambiti-rigenerazione"
    tipo = TipoOpportunita.AMBITO_RIGENERAZIONE
    theme = "pianificazione"
    title = {"it": "Ambiti della rigenerazione", "en": "Regeneration areas"}
    description = {
        "it": "Ambiti della rigenerazione urbana e territoriale (LR 12/2005 art. 8bis).",
        "en": "Urban regeneration areas (Lombardy regional law 12/2005, art. 8bis).",
    }
    style = {"color": "#008837", "weight": 1, "fillOpacity": 0.3}
    legend = (
        {
            "label": {"it": "Ambito della rigenerazione", "en": "Regeneration area"},
            "color": "#008837",
        },
    )
