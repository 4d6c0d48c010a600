"""GeoJSON serializers of interventions and opportunities (read-only, public)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from rigenerazione.models import Finanziamento, Intervento, Opportunita
from territorio.models import Comune

__all__ = [
    "ComuneRefSerializer",
    "FinanziamentoSerializer",
    "InterventoSerializer",
    "OpportunitaSerializer",
]


class ComuneRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comune
        fields = ("istat_code", "name")


class FinanziamentoSerializer(serializers.ModelSerializer):
    fonte_label = serializers.CharField(source="get_fonte_display", read_only=True)
    importo = serializers.FloatField(read_only=True)
    quota = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Quota del costo totale (0–1), calcolata."
    )

    class Meta:
        model = Finanziamento
        fields = ("fonte", "fonte_label", "misura", "importo", "quota", "atto")


class InterventoSerializer(GeoFeatureModelSerializer):
    stato_label = serializers.CharField(source="get_stato_display", read_only=True)
    localizzazione_label = serializers.CharField(
        source="get_localizzazione_display", read_only=True
    )
    costo_totale = serializers.FloatField(read_only=True, allow_null=True)
    comuni = ComuneRefSerializer(many=True, read_only=True)
    finanziamenti = FinanziamentoSerializer(many=True, read_only=True)

    class Meta:
        model = Intervento
        geo_field = "geom"
        fields = (
            "id",
            "title",
            "description",
            "stato",
            "stato_label",
            "localizzazione",
            "localizzazione_label",
            "anno_inizio",
            "anno_fine",
            "costo_totale",
            "soggetto_attuatore",
            "cup",
            "tipologia",
            "ambiti_ricaduta",
            "sttm",
            "links",
            "comuni",
            "finanziamenti",
            "is_sample",
            "source",
            "source_url",
            "licence",
            "data_updated_on",
            "updated_at",
        )


class OpportunitaSerializer(GeoFeatureModelSerializer):
    tipo_label = serializers.CharField(source="get_tipo_display", read_only=True)
    stato_label = serializers.CharField(source="get_stato_display", read_only=True)
    comune = ComuneRefSerializer(read_only=True)
    zona_omogenea = serializers.CharField(
        source="comune.zona_omogenea.slug", default=None, read_only=True
    )
    superficie_ha = serializers.FloatField(read_only=True)

    class Meta:
        model = Opportunita
        geo_field = "geom"
        fields = (
            "id",
            "title",
            "description",
            "tipo",
            "tipo_label",
            "comune",
            "zona_omogenea",
            "superficie_m2",
            "superficie_ha",
            "destinazioni_uso",
            "stato",
            "stato_label",
            "atto_numero",
            "atto_data",
            "riferimento_pgt",
            "is_sample",
            "source",
            "source_url",
            "licence",
            "data_updated_on",
            "updated_at",
        )
