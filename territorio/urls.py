"""URLs of the territorial base API (mounted under ``/api/``)."""

from django.urls import path

from territorio import api

app_name = "territorio"

urlpatterns = [
    path("comuni/", api.ComuneListApi.as_view(), name="comuni"),
    path("comuni/<str:istat_code>/", api.ComuneDetailApi.as_view(), name="comune"),
    path("zone-omogenee/", api.ZonaOmogeneaListApi.as_view(), name="zone"),
]
