"""URLs of the benchmark servers: the project's URLs plus the baselines under ``/bench/``."""

from django.urls import include, path

from bench.baselines import DrfGisListView, vectortiles_view

urlpatterns = [path("bench/drf/", DrfGisListView.as_view(), name="bench-drf")]
if (view := vectortiles_view()) is not None:
    urlpatterns.append(path("bench/vt/<int:z>/<int:x>/<int:y>.pbf", view, name="bench-vt"))
urlpatterns.append(path("", include("remix.urls")))
