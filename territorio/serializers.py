"""GeoJSON serializers of the territorial base."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from territorio.models import Comune, ZonaOmogenea

__all__ = ["ComuneSerializer", "ZonaOmogeneaSerializer"]


class ComuneSerializer(GeoFeatureModelSerializer):
    zona_omogenea = serializers.CharField(source="zona_omogenea.name", default=None)
    zona_omogenea_verification = serializers.CharField(
        source="zona_omogenea.verification", default=None
    )
    area_km2 = serializers.FloatField()

    class Meta:
        model = Comune
        geo_field = "geom"
        id_field = "istat_code"
        fields = (
            "istat_code",
            "name",
            "cadastral_code",
            "zona_omogenea",
            "zona_omogenea_verification",
            "ruolo_ptm",
            "area_km2",
        )


class ZonaOmogeneaSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = ZonaOmogenea
        geo_field = "geom"
        id_field = "slug"
        fields = ("slug", "name", "verification", "area_m2", "source")
