"""URLs of the two Atlases, mounted at /atlante/."""

from django.urls import path

from lum import views

app_name = "atlante"

urlpatterns = [
    path("lum/", views.lum_index, name="lum-index"),
    path("lum/<int:pk>/", views.lum_sheet, name="lum"),
    path("lum/<int:pk>.pdf", views.lum_sheet_pdf, name="lum-pdf"),
    path("comuni/", views.comuni_index, name="comuni-index"),
    path("comuni/<str:istat_code>/", views.comune_sheet, name="comune"),
    path("comuni/<str:istat_code>.pdf", views.comune_sheet_pdf, name="comune-pdf"),
]
