"""Baselines the benchmarks compare the engine with, as a developer would write them.

- a plain DRF-GIS ``GeoFeatureModelSerializer`` list view of the load layer (no pagination);
- django-vectortiles' PostGIS ``MVTView`` on the same layer and tiles (when installed).
"""

from __future__ import annotations

from rest_framework import generics
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from bench.layers import LOAD_LAYER_ID
from bench.models import LoadParcel

__all__ = ["LoadParcelSerializer", "DrfGisListView", "vectortiles_view"]


class LoadParcelSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = LoadParcel
        geo_field = "geom"
        fields = ("id", "code", "name", "category", "value", "year")


class DrfGisListView(generics.ListAPIView):
    queryset = LoadParcel.objects.order_by("id")
    serializer_class = LoadParcelSerializer
    pagination_class = None
    authentication_classes = ()
    permission_classes = ()


def vectortiles_view():
    """django-vectortiles' MVT view of the load layer, or None when it is not installed."""
    try:
        from vectortiles import VectorLayer
        from vectortiles.views import MVTView
    except ImportError:
        return None

    class LoadVectorLayer(VectorLayer):
        model = LoadParcel
        id = LOAD_LAYER_ID
        tile_fields = ("id", "code", "name", "category")
        min_zoom, max_zoom = 0, 22

    class LoadTileView(MVTView):
        layer_classes = [LoadVectorLayer]

    return LoadTileView.as_view()
