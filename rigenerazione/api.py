"""Thin public REST endpoints of interventions and opportunities (GeoJSON, read-only).

Each view calls one selector. Filters are the contract's FilterSets (the same the layers
use), plus ``bbox`` and ``ordering``; every answer comes from ``.published()`` records only.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from layers.rest import (
    BBoxFilterBackend,
    ContractFilterBackend,
    GeoJsonLimitOffsetPagination,
    StrictOrderingFilter,
    StrictQueryParamsMixin,
)
from remix.errors import UserInputError
from rigenerazione.filters import InterventoFilter, OpportunitaFilter
from rigenerazione.selectors import (
    GROUPS,
    funding_by_group,
    funding_by_source,
    interventi_by_state,
    interventi_list,
    opportunita_hectares_by_group,
    opportunita_list,
)
from rigenerazione.serializers import InterventoSerializer, OpportunitaSerializer

__all__ = [
    "ERROR_GROUP_BY",
    "InterventoListApi",
    "InterventoDetailApi",
    "OpportunitaListApi",
    "OpportunitaDetailApi",
    "FundingByGroupApi",
    "InterventiByStateApi",
    "FundingBySourceApi",
    "OpportunitaHectaresApi",
]

ERROR_GROUP_BY = "group_by deve essere 'zona' o 'comune'."


FILTERS = [BBoxFilterBackend, ContractFilterBackend]


class _InterventiBase(StrictQueryParamsMixin, generics.GenericAPIView):
    serializer_class = InterventoSerializer
    filterset_class = InterventoFilter
    filter_backends = FILTERS
    bbox_filter_field = "geom"

    def get_queryset(self):
        return interventi_list()


class _OpportunitaBase(StrictQueryParamsMixin, generics.GenericAPIView):
    serializer_class = OpportunitaSerializer
    filterset_class = OpportunitaFilter
    filter_backends = FILTERS
    bbox_filter_field = "geom"

    def get_queryset(self):
        return opportunita_list()


class InterventoListApi(_InterventiBase, generics.ListAPIView):
    """Published interventi as a paginated GeoJSON FeatureCollection."""

    filter_backends = [*FILTERS, StrictOrderingFilter]
    ordering_fields = ("title", "stato", "anno_inizio", "anno_fine", "costo_totale", "updated_at")
    pagination_class = GeoJsonLimitOffsetPagination


class InterventoDetailApi(_InterventiBase, generics.RetrieveAPIView):
    """One published intervento, with its Comuni and funding rows, as a GeoJSON Feature."""

    filter_backends = []


class OpportunitaListApi(_OpportunitaBase, generics.ListAPIView):
    """Published opportunità as a paginated GeoJSON FeatureCollection."""

    filter_backends = [*FILTERS, StrictOrderingFilter]
    ordering_fields = ("title", "tipo", "stato", "superficie_m2", "updated_at")
    pagination_class = GeoJsonLimitOffsetPagination


class OpportunitaDetailApi(_OpportunitaBase, generics.RetrieveAPIView):
    """One published opportunità as a GeoJSON Feature."""

    filter_backends = []


def _group_by(request: Request) -> str:
    value = request.query_params.get("group_by", "zona")
    if value not in GROUPS:
        raise UserInputError(ERROR_GROUP_BY, field="group_by")
    return value


GROUP_BY_PARAM = OpenApiParameter(
    "group_by", str, enum=list(GROUPS), default="zona", description="Raggruppa per Zona o Comune"
)
GROUP = inline_serializer("Group", {"id": serializers.CharField(), "name": serializers.CharField()})


def _results(name: str, fields: dict):
    return inline_serializer(name, {"results": inline_serializer(f"{name}Row", fields, many=True)})


class _SummaryMixin:
    """GET: ``{"results": summary(filtered published records)}``. With ``grouped``, the
    ``group_by`` parameter (zona|comune, checked first) goes to the summary and the answer."""

    summary = None  # a selector taking the filtered QuerySet, wrapped in staticmethod()
    grouped = False

    def get(self, request: Request) -> Response:
        group_by = _group_by(request) if self.grouped else None
        records = self.filter_queryset(self.get_queryset())
        if group_by is None:
            return Response({"results": self.summary(records)})
        return Response({"group_by": group_by, "results": self.summary(records, group_by=group_by)})


@extend_schema_view(
    get=extend_schema(
        filters=True,
        responses=_results(
            "FundingByGroup",
            {
                "group": GROUP,
                "fonte": serializers.CharField(),
                "fonte_label": serializers.CharField(),
                "importo": serializers.FloatField(),
            },
        ),
    )
)
class FundingByGroupApi(_SummaryMixin, _InterventiBase):
    """Funding per source and Zona omogenea (or Comune), multi-Comune interventi split equally."""

    summary = staticmethod(funding_by_group)
    grouped = True
    query_params = (GROUP_BY_PARAM,)


@extend_schema_view(
    get=extend_schema(
        filters=True,
        responses=_results(
            "InterventiByState",
            {
                "stato": serializers.CharField(),
                "stato_label": serializers.CharField(),
                "count": serializers.IntegerField(),
                "costo_totale": serializers.FloatField(),
            },
        ),
    )
)
class InterventiByStateApi(_SummaryMixin, _InterventiBase):
    """Number and total cost of the interventi per state."""

    summary = staticmethod(interventi_by_state)


@extend_schema_view(
    get=extend_schema(
        filters=True,
        responses=_results(
            "FundingBySource",
            {
                "fonte": serializers.CharField(),
                "fonte_label": serializers.CharField(),
                "importo": serializers.FloatField(),
                "interventi": serializers.IntegerField(),
            },
        ),
    )
)
class FundingBySourceApi(_SummaryMixin, _InterventiBase):
    """Total funding and number of funded interventi per source."""

    summary = staticmethod(funding_by_source)


@extend_schema_view(
    get=extend_schema(
        filters=True,
        responses=_results(
            "OpportunitaHectares",
            {
                "group": GROUP,
                "tipo": serializers.CharField(),
                "tipo_label": serializers.CharField(),
                "ettari": serializers.FloatField(),
                "count": serializers.IntegerField(),
            },
        ),
    )
)
class OpportunitaHectaresApi(_SummaryMixin, _OpportunitaBase):
    """Hectares and number of opportunità per type and Zona omogenea (or Comune)."""

    summary = staticmethod(opportunita_hectares_by_group)
    grouped = True
    query_params = (GROUP_BY_PARAM,)
