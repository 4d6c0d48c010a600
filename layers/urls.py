"""URLs of the publishing engine under ``/api/``: the layer catalogue and whole-layer downloads."""

from django.urls import path, re_path

from layers import catalogue, feeds

app_name = "layers"

urlpatterns = [
    path("layers/", catalogue.catalogue, name="catalogue"),
    re_path(
        r"^layers/(?P<layer_id>[^/]+)/download\.(?P<fmt>geojson|csv|gpkg|shp\.zip|fgb)$",
        feeds.download,
        name="download",
    ),
]
