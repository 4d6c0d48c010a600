"""URLs of the territorial base API."""

from django.urls import path, re_path

from layers import api, catalogue, feeds

app_name = "layers"

urlpatterns = [
    path("comuni/", api.ComuneListApi.as_view(), name="comuni"),
    path("comuni/<str:istat_code>/", api.ComuneDetailApi.as_view(), name="comune"),
    path("zone-omogenee/", api.ZonaOmogeneaListApi.as_view(), name="zone"),
    path("layers/", catalogue.catalogue, name="catalogue"),
    re_path(
        r"^layers/(?P<layer_id>[^/]+)/download\.(?P<fmt>geojson|csv|gpkg|shp\.zip|fgb)$",
        feeds.download,
        name="download",
    ),
]
