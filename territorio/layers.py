"""Published layers of the territorial base: Comuni, Zone omogenee and the PTM's attractor poles."""

from __future__ import annotations

from django.db.models import QuerySet

from layers.registry import Field, Layer, register
from territorio.filters import ComuneFilter, ZonaOmogeneaFilter
from territorio.models import Comune, RuoloPTM, ZonaOmogenea

ISTAT_ATTRIBUTION = "ISTAT, confini amministrativi (via openpolis); Città metropolitana di Milano"
ISTAT_LICENCE = "CC-BY-4.0"

COMUNE_FIELDS = (
    Field("istat_code", it="Codice ISTAT", en="ISTAT code"),
    Field("name", it="Comune", en="Municipality"),
    Field("zona_omogenea", "zona_omogenea__name", it="Zona omogenea", en="Homogeneous zone"),
    Field("ruolo_ptm", it="Ruolo nel PTM", en="Role in the PTM"),
    Field("area_m2", it="Superficie (m²)", en="Area (m²)"),
)


@register
class ComuniLayer(Layer):
    id = "comuni"
    model = Comune
    title = {"it": "Comuni", "en": "Municipalities"}
    description = {
        "it": "I 133 Comuni della Città metropolitana di Milano, con Zona omogenea e ruolo PTM.",
        "en": "The 133 municipalities of the Metropolitan City of Milan.",
    }
    theme = "territorio"
    fields = COMUNE_FIELDS
    popup_fields = ("name", "zona_omogenea", "ruolo_ptm")
    geometry_type = "MultiPolygon"
    id_field = "istat_code"
    style = {"color": "#4a4a4a", "weight": 1, "fillOpacity": 0}
    legend = (
        {"label": {"it": "Confine comunale", "en": "Municipal boundary"}, "color": "#4a4a4a"},
    )
    licence = ISTAT_LICENCE
    attribution = ISTAT_ATTRIBUTION
    render = "geojson"
    min_zoom, max_zoom = 8, 18
    filterset_class = ComuneFilter
    detail_page = "/comuni/{id}/"

    def get_queryset(self) -> QuerySet[Comune]:
        return Comune.objects.select_related("zona_omogenea")


@register
class ZoneOmogeneeLayer(Layer):
    id = "zone-omogenee"
    model = ZonaOmogenea
    title = {"it": "Zone omogenee", "en": "Homogeneous zones"}
    description = {
        "it": "Le Zone omogenee della Città metropolitana (unione dei confini dei loro Comuni).",
        "en": "The homogeneous zones of the Metropolitan City (union of their municipalities).",
    }
    theme = "territorio"
    fields = (
        Field("slug", it="Codice", en="Code"),
        Field("name", it="Zona omogenea", en="Homogeneous zone"),
        Field("area_m2", it="Superficie (m²)", en="Area (m²)"),
        # Shown to users until an official act confirms every membership (issue 2).
        Field("verification", it="Verifica della composizione", en="Membership check"),
    )
    popup_fields = ("name", "verification")
    geometry_type = "MultiPolygon"
    style = {"color": "#1f4e79", "weight": 2, "fillOpacity": 0.05}
    legend = ({"label": {"it": "Zona omogenea", "en": "Homogeneous zone"}, "color": "#1f4e79"},)
    licence = ISTAT_LICENCE
    attribution = ISTAT_ATTRIBUTION
    min_zoom, max_zoom = 8, 16
    filterset_class = ZonaOmogeneaFilter

    def get_queryset(self) -> QuerySet[ZonaOmogenea]:
        return ZonaOmogenea.objects.filter(geom__isnull=False)


@register
class PoliAttrattoriLayer(Layer):
    id = "poli-attrattori"
    model = Comune
    title = {"it": "Poli urbani attrattori", "en": "Urban attractor poles"}
    description = {
        "it": "Milano (città centrale) e i poli urbani attrattori della struttura policentrica "
        "del PTM.",
        "en": "Milan (central city) and the urban attractor poles of the PTM's polycentric "
        "structure.",
    }
    theme = "pianificazione"
    fields = COMUNE_FIELDS
    popup_fields = ("name", "ruolo_ptm")
    geometry_type = "MultiPolygon"
    id_field = "istat_code"
    style = {"color": "#b35806", "weight": 2, "fillColor": "#f1a340", "fillOpacity": 0.35}
    legend = (
        {"label": {"it": "Città centrale", "en": "Central city"}, "color": "#b35806"},
        {"label": {"it": "Polo urbano attrattore", "en": "Attractor pole"}, "color": "#f1a340"},
    )
    licence = ISTAT_LICENCE
    attribution = "Città metropolitana di Milano, Piano Territoriale Metropolitano (PTM)"
    min_zoom, max_zoom = 8, 18
    filterset_class = ComuneFilter
    detail_page = "/comuni/{id}/"

    def get_queryset(self) -> QuerySet[Comune]:
        return Comune.objects.select_related("zona_omogenea").filter(
            ruolo_ptm__in=[RuoloPTM.CITTA_CENTRALE, RuoloPTM.POLO_ATTRATTORE]
        )
