"""URLs of the vector tiles (mounted at ``/tiles/``).

z/x/y are matched as any path segment and parsed by the view, so that ``/tiles/comuni/a/1/2.pbf``
is a 400 naming ``z`` rather than an anonymous 404.
"""

from django.urls import path, re_path

from layers import tiles

app_name = "tiles"

urlpatterns = [
    re_path(
        r"^(?P<layer_id>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/.]+)\.pbf$",
        tiles.tile,
        name="tile",
    ),
    path("<str:layer_id>.json", tiles.tilejson, name="tilejson"),
]
