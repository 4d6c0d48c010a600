"""The publishing engine's DRF pieces: strict query parameters, GeoJSON pages, filter backends.

Every DRF view of the project mixes in :class:`StrictQueryParamsMixin`, which answers any query
parameter the view does not declare with a 400 naming it (the same rule and message as the
engine's plain views, :func:`layers.params.reject_unknown_params`). What a view accepts is
derived from what it already declares, so that it is also what the OpenAPI schema documents:

- its filter backends (the FilterSet's filters, ``bbox``, ``ordering``) and, for a list, its
  paginator (``limit``, ``offset``);
- DRF's own ``format``;
- its ``query_params``: OpenAPI parameters of its own (``group_by``, ``lon``…), which
  :class:`layers.schema.AutoSchema` adds to the schema.

Bad values are 400s too: ``limit``/``offset`` outside their ranges (like the OGC API), an
``ordering`` on a field that is not orderable, a ``format`` the view cannot render.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.mixins import ListModelMixin
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from layers.params import (
    BAD_BBOX,
    BBOX_PATTERN,
    MAX_OFFSET,
    parse_bbox,
    parse_int,
    reject_unknown_params,
)
from remix.errors import UserInputError

__all__ = [
    "BAD_ORDERING",
    "BAD_FORMAT",
    "StrictQueryParamsMixin",
    "StrictContentNegotiation",
    "GeoJsonLimitOffsetPagination",
    "BBoxFilterBackend",
    "ContractFilterBackend",
    "StrictOrderingFilter",
]

BAD_ORDERING = _(
    "ordering: campo non ordinabile: {names}. Campi ammessi (con - per decrescente): {fields}."
)
BAD_FORMAT = _("format deve essere uno di: {formats}.")


class StrictContentNegotiation(DefaultContentNegotiation):
    """``?format=`` naming a format the view cannot render is a 400 (DRF answers 404)."""

    def filter_renderers(self, renderers, format):
        found = [r for r in renderers if r.format == format]
        if not found:
            formats = ", ".join(r.format for r in renderers)
            raise UserInputError(BAD_FORMAT.format(formats=formats), field="format")
        return found


def _backend_params(backend, view) -> list[str]:
    """The query parameters a filter backend reads for ``view``."""
    if isinstance(backend, DjangoFilterBackend):
        filterset_class = backend.get_filterset_class(view, view.get_queryset())
        return list(filterset_class.base_filters) if filterset_class else []
    return [p["name"] for p in backend.get_schema_operation_parameters(view)]


class StrictQueryParamsMixin:
    """Reject query parameters the view does not declare (400 naming them; see the module)."""

    content_negotiation_class = StrictContentNegotiation
    #: Parameters of the view's own (OpenApiParameter, or a bare name), documented and accepted.
    query_params: tuple[OpenApiParameter | str, ...] = ()

    def accepted_query_params(self) -> set[str]:
        """Every query parameter name this view accepts."""
        names = {api_settings.URL_FORMAT_OVERRIDE}
        for backend in getattr(self, "filter_backends", ()) or ():
            names.update(_backend_params(backend(), self))
        paginator = getattr(self, "paginator", None) if isinstance(self, ListModelMixin) else None
        if paginator is not None:
            names.update(p["name"] for p in paginator.get_schema_operation_parameters(self))
        names.update(p.name if isinstance(p, OpenApiParameter) else p for p in self.query_params)
        return names

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        reject_unknown_params(request.query_params, self.accepted_query_params())


class GeoJsonLimitOffsetPagination(LimitOffsetPagination):
    """``limit``/``offset`` pages as a GeoJSON FeatureCollection with ``count``/``next``.

    ``limit`` must be 1…``max_limit`` and ``offset`` 0…MAX_OFFSET: anything else is a 400
    naming the parameter, as on the OGC API (DRF alone would silently use its defaults).
    """

    default_limit = 100
    max_limit = 1000

    def get_limit(self, request: Request) -> int:
        return parse_int(
            request.query_params.get(self.limit_query_param),
            name=self.limit_query_param,
            default=self.default_limit,
            low=1,
            high=self.max_limit,
        )

    def get_offset(self, request: Request) -> int:
        return parse_int(
            request.query_params.get(self.offset_query_param),
            name=self.offset_query_param,
            default=0,
            low=0,
            high=MAX_OFFSET,
        )

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "type": "FeatureCollection",
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "features": data["features"],
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        """The serializer's FeatureCollection (``schema``) plus the page's counters."""
        base = super().get_paginated_response_schema(schema)
        pages = {k: v for k, v in base["properties"].items() if k != "results"}
        return {
            "allOf": [
                schema,
                {"type": "object", "required": ["count", "next", "previous"], "properties": pages},
            ]
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        ranges = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(ranges.get(parameter["name"], {}))
        return parameters


class BBoxFilterBackend(BaseFilterBackend):
    """``bbox=minlon,minlat,maxlon,maxlat`` (WGS 84) on the view's ``bbox_filter_field``."""

    def filter_queryset(self, request: Request, queryset, view):
        value = request.query_params.get("bbox")
        if not value:
            return queryset
        box = parse_bbox(value)
        return queryset.filter(**{f"{view.bbox_filter_field}__intersects": box})

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "bbox",
                "required": False,
                "in": "query",
                "description": BAD_BBOX,
                "schema": {
                    "type": "string",
                    "pattern": BBOX_PATTERN,
                    "example": "9.10,45.42,9.25,45.52",
                },
            }
        ]


class ContractFilterBackend(DjangoFilterBackend):
    """The view's FilterSet; a bad value is a 400 naming the parameter (like the engine)."""

    def filter_queryset(self, request: Request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            name, messages = next(iter(filterset.errors.items()))
            raise UserInputError(f"{name}: {' '.join(messages)}", field=name)
        return filterset.qs


class StrictOrderingFilter(OrderingFilter):
    """``ordering=field,-field`` on the view's ``ordering_fields``; any other name is a 400."""

    def _allowed(self, queryset, view, request) -> list[str]:
        valid = self.get_valid_fields(queryset, view, {"request": request})
        return [name for name, _ in valid]

    def get_ordering(self, request: Request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value:
            allowed = self._allowed(queryset, view, request)
            terms = [term.strip() for term in value.split(",")]
            bad = [term for term in terms if term.removeprefix("-") not in allowed]
            if bad:
                message = BAD_ORDERING.format(names=", ".join(bad), fields=", ".join(allowed))
                raise UserInputError(message, field=self.ordering_param)
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        allowed = [name for name in getattr(view, "ordering_fields", ()) if name != "__all__"]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": _("Campi di ordinamento separati da virgole; - per decrescente."),
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": [n for name in allowed for n in (name, f"-{name}")],
                    },
                },
                "style": "form",
                "explode": False,
            }
        ]
