"""What ``/api/schema/`` says, made true: drf-spectacular's schema class and GeoJSON extensions.

- :class:`AutoSchema` documents each view's own ``query_params`` (the same declaration
  :class:`layers.rest.StrictQueryParamsMixin` accepts) and DRF's ``format`` (the view's
  renderers), and the error answers every operation
  can give: 400 (:class:`ErrorSerializer`: ``detail``, ``field``, ``accepted``), 404 where the
  path names a record, 401/403 where a login is needed.
- The GeoJSON extensions describe what djangorestframework-gis really writes: every geometry
  kind the model field can hold (a generic field holds Multi* kinds too), ``null`` where the
  field is nullable, and ``type``/``id``/``geometry``/``properties`` always present.
"""

from __future__ import annotations

from django.contrib.gis.db import models as gis_models
from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_gis import (
    GeoFeatureModelListSerializerExtension,
    GeoFeatureModelSerializerExtension,
    _inject_enum_collision_fix,
    build_array_type,
    build_geo_container_schema,
    build_geo_schema,
    build_linestring_schema,
    build_point_schema,
    build_polygon_schema,
)
from drf_spectacular.plumbing import ResolvedComponent, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers
from rest_framework.settings import api_settings
from rest_framework.utils.model_meta import get_field_info

__all__ = [
    "ErrorSerializer",
    "AutoSchema",
    "geometry_schema",
    "GeoFeatureSerializerExtension",
    "GeoFeatureListSerializerExtension",
]


class ErrorSerializer(serializers.Serializer):
    """The body of a refused request: what is wrong, the parameter at fault, what is accepted."""

    detail = serializers.CharField(help_text="Che cosa non va, in chiaro.")
    field = serializers.CharField(required=False, help_text="Il parametro o campo in errore.")
    accepted = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Per un parametro sconosciuto: i parametri accettati.",
    )


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField()


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema plus the views' own parameters and their error answers."""

    def get_override_parameters(self) -> list:
        own = [p for p in getattr(self.view, "query_params", ()) if isinstance(p, OpenApiParameter)]
        if not any(p.name == api_settings.URL_FORMAT_OVERRIDE for p in own):
            own.insert(0, self._format_parameter())
        return [*super().get_override_parameters(), *own]

    def _format_parameter(self) -> OpenApiParameter:
        """DRF's own ``format``: one of the view's renderers (the Accept header otherwise)."""
        formats = [renderer.format for renderer in self.view.get_renderers()]
        return OpenApiParameter(
            api_settings.URL_FORMAT_OVERRIDE,
            str,
            enum=formats,
            description="Formato della risposta (altrimenti secondo l'intestazione Accept).",
        )

    def _needs_login(self) -> bool:
        return (
            not any(
                p is permissions.AllowAny or p is permissions.IsAuthenticatedOrReadOnly
                for p in self.view.permission_classes
            )
            or self.method not in permissions.SAFE_METHODS
        )

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        safe = self.method in permissions.SAFE_METHODS
        # Writes answer 400 with the upload report or the serializer's errors per field.
        error = ErrorSerializer if safe else OpenApiTypes.OBJECT
        responses.setdefault("400", self._get_response_for_code(error, "400"))
        if "{" in self.path:
            responses.setdefault("404", self._get_response_for_code(NotFoundSerializer, "404"))
        if self._needs_login():
            for code in ("401", "403"):
                responses.setdefault(code, self._get_response_for_code(NotFoundSerializer, code))
        return responses


ALL_GEOMETRY_KINDS = (
    ("Point", build_point_schema),
    ("LineString", build_linestring_schema),
    ("Polygon", build_polygon_schema),
    ("MultiPoint", lambda: build_array_type(build_point_schema())),
    ("MultiLineString", lambda: build_array_type(build_linestring_schema())),
    ("MultiPolygon", lambda: build_array_type(build_polygon_schema())),
)


def _container(kind: str, coordinates: dict) -> dict:
    schema = build_geo_container_schema(kind, coordinates)
    schema["required"] = ["type", "coordinates"]
    return schema


def geometry_schema(model_field) -> dict:
    """The GeoJSON geometry a model field serialises to: its exact kind, or for a generic
    GeometryField any kind (single, multi or a collection); nullable when the field is."""
    if type(model_field) is gis_models.GeometryField:
        kinds = [_container(kind, build()) for kind, build in ALL_GEOMETRY_KINDS]
        collection = {
            "type": "object",
            "required": ["type", "geometries"],
            "properties": {
                "type": {"type": "string", "enum": ["GeometryCollection"]},
                "geometries": {"type": "array", "items": {"oneOf": kinds}},
            },
        }
        schema = {"oneOf": [*kinds, collection]}
    else:
        schema = build_geo_schema(model_field)
        schema["required"] = ["type", "coordinates"]
    if model_field.null:
        schema["nullable"] = True
    return schema


class GeoFeatureSerializerExtension(GeoFeatureModelSerializerExtension):
    """A Feature: the geometry of :func:`geometry_schema`, its members always present."""

    priority = 1

    def map_geo_feature_model_serializer(self, serializer, base_schema):
        schema = super().map_geo_feature_model_serializer(serializer, base_schema)
        model_field = get_field_info(serializer.Meta.model).fields[serializer.Meta.geo_field]
        schema["properties"]["geometry"] = geometry_schema(model_field)
        members = ("type", "id", "geometry", "properties")
        schema["required"] = [m for m in members if m in schema["properties"]]
        return schema


class GeoFeatureListSerializerExtension(GeoFeatureModelListSerializerExtension):
    """A FeatureCollection with its ``type`` and ``features`` always present."""

    priority = 1

    def map_serializer(self, auto_schema, direction):
        _inject_enum_collision_fix(collection=True)
        feature = auto_schema.resolve_serializer(self.target.child, direction)
        schema = build_object_type(
            properties={
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": build_array_type(feature.ref),
            },
            required=["type", "features"],
        )
        component = ResolvedComponent(
            name=f"{feature.name}List",
            type=ResolvedComponent.SCHEMA,
            object=self.target.child,
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
