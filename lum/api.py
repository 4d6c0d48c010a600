"""Thin API views of the analyses, under /api/analisi/ (JSON; CSV with ``?format=csv``).

Each view calls one report or query function; errors a user can cause are
:class:`remix.errors.UserInputError` (400) or 404 for an unknown LUM, Comune or Zona.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from layers.rest import StrictQueryParamsMixin
from lum.proximity import MAX_DISTANCE_M, features_near, proximity_query_parse
from lum.queries import lums_summary
from lum.renderers import AnalysisCSVRenderer
from lum.reports import comune_report, comuni_summary, lum_report, published_lums, zona_report

__all__ = [
    "LumSummaryView",
    "LumAnalysisView",
    "ComuniSummaryView",
    "ComuneAnalysisView",
    "ZonaAnalysisView",
    "ProximityView",
]

FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="json (predefinito) o csv (formato lungo)"
)


class _AnalysisView(StrictQueryParamsMixin, APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, AnalysisCSVRenderer]
    csv_filename = "analisi"
    query_params = (FORMAT,)


class LumSummaryView(_AnalysisView):
    csv_filename = "analisi-lum-sintesi"

    @extend_schema(
        summary="Sintesi di tutti i LUM",
        operation_id="analisi_lum_list",
        description="Per ogni LUM pubblicato: servizi e studenti nel bacino, interventi che lo "
        "toccano e "
        "loro finanziamenti, opportunità e loro ettari nel bacino. CSV: una riga per LUM.",
        responses={200: OpenApiTypes.OBJECT},
        tags=["analisi"],
    )
    def get(self, request):
        return Response({"results": lums_summary(settings.REMIX_LUM_RADIUS_M)})

    @staticmethod
    def csv_rows(data: dict) -> tuple[list[str], list[list]]:
        rows = data["results"]
        header = list(rows[0]) if rows else ["id", "name"]
        return header, [[row[key] for key in header] for row in rows]


class LumAnalysisView(_AnalysisView):
    csv_filename = "analisi-lum"

    @extend_schema(
        summary="Analisi di un LUM",
        operation_id="analisi_lum_retrieve",
        description="Servizi nel bacino per categoria (con gli studenti delle scuole), "
        "interventi e opportunità che lo toccano (numero, ettari, finanziamenti), Comuni "
        "raggiunti, fonti dei servizi. Bacino: raggio del LUM o REMIX_LUM_RADIUS_M.",
        responses={200: OpenApiTypes.OBJECT},
        tags=["analisi"],
    )
    def get(self, request, pk: int):
        return Response(lum_report(get_object_or_404(published_lums(), pk=pk)))


class ComuniSummaryView(_AnalysisView):
    csv_filename = "analisi-comuni-servizi"

    @extend_schema(
        summary="Servizi di tutti i Comuni",
        operation_id="analisi_comuni_list",
        description="Per ogni Comune: scuole secondarie di secondo grado e loro studenti, CFP, "
        "strutture di ricovero, e la distanza (m, UTM 32N, dal centroide del Comune) dalla "
        "struttura di ricovero e dalla scuola secondaria di secondo grado più vicine, con il "
        "loro nome. CSV: una riga per Comune.",
        responses={200: OpenApiTypes.OBJECT},
        tags=["analisi"],
    )
    def get(self, request):
        return Response({"results": comuni_summary()})

    csv_rows = staticmethod(LumSummaryView.csv_rows)


class ComuneAnalysisView(_AnalysisView):
    csv_filename = "analisi-comune"

    @extend_schema(
        summary="Analisi di un Comune",
        operation_id="analisi_comune_retrieve",
        description="Interventi e finanziamenti per fonte, ettari di opportunità per tipo, quota "
        "di opportunità nei bacini dei LUM (unioni, senza doppi conteggi), servizi per categoria "
        "con gli studenti delle scuole, distanza dalla struttura di ricovero e dalla scuola "
        "secondaria di secondo grado più vicine (dal centroide del Comune, UTM 32N), fonti.",
        responses={200: OpenApiTypes.OBJECT},
        tags=["analisi"],
    )
    def get(self, request, istat_code: str):
        return Response(comune_report(istat_code))


class ZonaAnalysisView(_AnalysisView):
    csv_filename = "analisi-zona"

    @extend_schema(
        summary="Analisi di una Zona omogenea",
        operation_id="analisi_zona_retrieve",
        description="Gli stessi indicatori del Comune, sull'insieme dei Comuni della Zona; le "
        "distanze dai servizi più vicini per ciascun Comune della Zona.",
        responses={200: OpenApiTypes.OBJECT},
        tags=["analisi"],
    )
    def get(self, request, slug: str):
        return Response(zona_report(slug))


class ProximityView(_AnalysisView):
    csv_filename = "vicinanza"
    query_params = (
        OpenApiParameter("lon", float, description="Longitudine, -180…180"),
        OpenApiParameter("lat", float, description="Latitudine, -90…90"),
        OpenApiParameter("layer", str, description="Layer dell'elemento di riferimento"),
        OpenApiParameter("id", str, description="Id dell'elemento di riferimento"),
        OpenApiParameter(
            "distanza", float, required=True, description=f"Metri, 1…{MAX_DISTANCE_M}"
        ),
        OpenApiParameter("layers", str, description="Elenco di id di layer, separati da ,"),
        FORMAT,
    )

    @extend_schema(
        summary="Che cosa c'è entro X metri",
        operation_id="analisi_vicinanza",
        description="Per ogni layer pubblicato (o quelli in `layers`), gli elementi entro "
        "`distanza` metri da un punto (`lon`, `lat` in WGS 84) o da un elemento (`layer`, "
        "`id`), dal più vicino; distanze nel CRS metrico (UTM 32N).",
        responses={200: OpenApiTypes.OBJECT},
        tags=["analisi"],
    )
    def get(self, request):
        query = proximity_query_parse(request.query_params)
        return Response(
            {
                "riferimento": query.described_as,
                "distanza_m": query.distance_m,
                "layers": [features_near(layer, query) for layer in query.layers],
            }
        )

    @staticmethod
    def csv_rows(data: dict) -> tuple[list[str], list[list]]:
        header = ["layer", "id", "label", "distance_m"]
        rows = [
            [group["layer"], f["id"], f["label"], f["distance_m"]]
            for group in data["layers"]
            for f in group["features"]
        ]
        return header, rows
