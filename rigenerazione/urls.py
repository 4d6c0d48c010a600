"""URLs of the interventions and opportunities API (included under /api/)."""

from django.urls import path

from rigenerazione import api

app_name = "rigenerazione"

urlpatterns = [
    path("interventi/", api.InterventoListApi.as_view(), name="interventi"),
    path("interventi/stats/funding/", api.FundingByGroupApi.as_view(), name="interventi-funding"),
    path(
        "interventi/stats/by-state/",
        api.InterventiByStateApi.as_view(),
        name="interventi-by-state",
    ),
    path(
        "interventi/stats/funding-by-source/",
        api.FundingBySourceApi.as_view(),
        name="interventi-funding-by-source",
    ),
    path("interventi/<int:pk>/", api.InterventoDetailApi.as_view(), name="intervento"),
    path("opportunita/", api.OpportunitaListApi.as_view(), name="opportunita"),
    path(
        "opportunita/stats/hectares/",
        api.OpportunitaHectaresApi.as_view(),
        name="opportunita-hectares",
    ),
    path("opportunita/<int:pk>/", api.OpportunitaDetailApi.as_view(), name="opportunita-detail"),
]
