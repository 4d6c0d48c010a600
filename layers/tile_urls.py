"""URLs of the vector tiles (mounted at ``/tiles/``): versioned, plain, and TileJSON.

z/x/y are matched as any path segment and parsed by the view, so that ``/tiles/comuni/a/1/2.pbf``
is a 400 naming ``z`` rather than an anonymous 404.
"""

from django.urls import path, re_path

from layers import tiles

app_name = "tiles"

ZXY = r"(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/.]+)\.pbf$"

urlpatterns = [
    re_path(
        rf"^(?P<layer_id>[^/]+)/v(?P<version>[0-9a-f]{{1,40}})/{ZXY}",
        tiles.tile,
        name="versioned-tile",
    ),
    re_path(rf"^(?P<layer_id>[^/]+)/{ZXY}", tiles.tile, name="tile"),
    path("<str:layer_id>.json", tiles.tilejson, name="tilejson"),
]
