"""Thin read-only endpoints of the territorial base (GeoJSON FeatureCollections)."""

from __future__ import annotations

from rest_framework import generics

from layers.rest import StrictQueryParamsMixin
from territorio.selectors import comuni_list, zone_list
from territorio.serializers import ComuneSerializer, ZonaOmogeneaSerializer

__all__ = ["ComuneListApi", "ComuneDetailApi", "ZonaOmogeneaListApi"]


class ComuneListApi(StrictQueryParamsMixin, generics.ListAPIView):
    """All Comuni of the CMM as a GeoJSON FeatureCollection (not paginated: 133 features)."""

    serializer_class = ComuneSerializer
    pagination_class = None
    filterset_fields = ("zona_omogenea__slug", "ruolo_ptm")

    def get_queryset(self):
        return comuni_list()


class ComuneDetailApi(StrictQueryParamsMixin, generics.RetrieveAPIView):
    """One Comune by ISTAT code, as a GeoJSON Feature."""

    serializer_class = ComuneSerializer
    lookup_field = "istat_code"

    def get_queryset(self):
        return comuni_list()


class ZonaOmogeneaListApi(StrictQueryParamsMixin, generics.ListAPIView):
    """The Zone omogenee as a GeoJSON FeatureCollection."""

    serializer_class = ZonaOmogeneaSerializer
    pagination_class = None

    def get_queryset(self):
        return zone_list()
