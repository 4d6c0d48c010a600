"""URLs of the OGC API – Features (mounted at ``/ogc/``)."""

from django.urls import path

from layers.ogc import views

app_name = "ogc"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("conformance", views.conformance, name="conformance"),
    path("api", views.api_definition, name="api"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:layer_id>", views.collection, name="collection"),
    path("collections/<str:layer_id>/queryables", views.queryables, name="queryables"),
    path("collections/<str:layer_id>/schema", views.schema, name="schema"),
    path(
        "collections/<str:layer_id>/schema/feature",
        views.feature_schema_view,
        name="feature-schema",
    ),
    path("collections/<str:layer_id>/items", views.items, name="items"),
    path("collections/<str:layer_id>/items/<str:feature_id>", views.item, name="item"),
]
