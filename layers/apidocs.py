"""The OpenAPI document and its documentation page, strict about their query parameters like
every other endpoint (the schema's content comes from :mod:`layers.schema`)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.renderers import JSONRenderer

from layers.rest import StrictQueryParamsMixin

__all__ = ["SchemaView", "DocsView"]


class _JsonErrorsMixin:
    """Errors in JSON, like the rest of the API, not in the document's format (YAML, HTML)."""

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class SchemaView(_JsonErrorsMixin, StrictQueryParamsMixin, SpectacularAPIView):
    """``/api/schema/``: the OpenAPI document (``format=json|yaml``, ``lang``)."""

    query_params = ("lang",)


class DocsView(_JsonErrorsMixin, StrictQueryParamsMixin, SpectacularRedocView):
    """``/api/docs/``: Redoc on the OpenAPI document."""
