"""Root URLs: wiring only."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from layers.apidocs import DocsView, SchemaView
from remix.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/analisi/", include("lum.api_urls")),
    path("api/", include("territorio.urls")),
    path("api/", include("layers.urls")),
    path("api/", include("rigenerazione.urls")),
    path("ogc/", include("layers.ogc.urls")),
    path("tiles/", include("layers.tile_urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("atlante/", include("lum.urls")),
    path("", include("contributi.urls")),
    path("", include("frontend.urls")),
]

handler404 = "remix.errors.page_not_found"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
