"""URLs of the portal's pages and of its search endpoint."""

from django.urls import path

from frontend import search, views

app_name = "frontend"

urlpatterns = [
    path("", views.MapView.as_view(), name="map"),
    path("dati/", views.DataView.as_view(), name="data"),
    path("interventi/<int:pk>/", views.InterventoDetailView.as_view(), name="intervento"),
    path("opportunita/<int:pk>/", views.OpportunitaDetailView.as_view(), name="opportunita"),
    path("comuni/<str:istat_code>/", views.ComuneDetailView.as_view(), name="comune"),
    path("api/search/", search.search, name="search"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.FaviconView.as_view()),
]
