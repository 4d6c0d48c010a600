"""URLs of the analyses, mounted at /api/analisi/."""

from django.urls import path

from lum import api

app_name = "analisi"

urlpatterns = [
    path("lum/", api.LumSummaryView.as_view(), name="lum-summary"),
    path("lum/<int:pk>/", api.LumAnalysisView.as_view(), name="lum"),
    path("comuni/", api.ComuniSummaryView.as_view(), name="comuni-summary"),
    path("comuni/<str:istat_code>/", api.ComuneAnalysisView.as_view(), name="comune"),
    path("zone/<slug:slug>/", api.ZonaAnalysisView.as_view(), name="zona"),
    path("vicinanza/", api.ProximityView.as_view(), name="vicinanza"),
]
