"""URLs of the portal's pages."""

from django.urls import path

from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.MapView.as_view(), name="map"),
]
