"""URLs of the vector tiles (mounted at ``/tiles/``)."""

from django.urls import path

from layers import tiles

app_name = "tiles"

urlpatterns = [
    path("<str:layer_id>/<int:z>/<int:x>/<int:y>.pbf", tiles.tile, name="tile"),
    path("<str:layer_id>.json", tiles.tilejson, name="tilejson"),
]
