"""Filters of interventions and opportunities, with the parameter names of the team contract.

The same FilterSet serves the REST list API and is the layers' ``filterset_class``, so the
publishing engine's GeoJSON, tiles, OGC API and exports accept the same parameters. Filters
that cross a many-valued relation (Comuni, funding rows) use ``EXISTS`` subqueries: the
result never repeats a record and needs no ``DISTINCT`` (which would break the engine's SQL).
``bbox`` is applied by the engine and by the REST views, not here.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from layers.filters import CharInFilter, ChoiceInFilter, StrictBooleanFilter, TextSearchFilter
from rigenerazione.models import (
    AmbitoRicaduta,
    Finanziamento,
    FonteFinanziamento,
    Intervento,
    Opportunita,
    StatoIntervento,
    StatoOpportunita,
    TipoOpportunita,
)
from territorio.filters import InComuneFilterSet

__all__ = ["InterventoFilter", "OpportunitaFilter"]


def _comuni_through():
    return Intervento.comuni.through.objects.filter(intervento_id=OuterRef("pk"))


class InterventoFilter(django_filters.FilterSet):
    """Interventi by Comune, Zona, state, funding source, impact domain, type, year, text."""

    comune = CharInFilter(method="filter_comune", label="Codici ISTAT dei Comuni")
    zona = django_filters.CharFilter(method="filter_zona", label="Zona omogenea (codice)")
    stato = ChoiceInFilter(field_name="stato", choices=StatoIntervento.choices)
    fonte = ChoiceInFilter(
        method="filter_fonte", choices=FonteFinanziamento.choices, label="Fonte di finanziamento"
    )
    ambito = ChoiceInFilter(
        method="filter_ambito", choices=AmbitoRicaduta.choices, label="Ambito di ricaduta"
    )
    tipologia = django_filters.CharFilter(field_name="tipologia", lookup_expr="iexact")
    anno = django_filters.NumberFilter(method="filter_anno", label="Anno di attività")
    q = TextSearchFilter(
        lookups=(
            "title__icontains",
            "description__icontains",
            "cup__iexact",
            "soggetto_attuatore__icontains",
        ),
        label="Testo libero",
    )
    sample = StrictBooleanFilter(field_name="is_sample", label="Dato di esempio")

    class Meta:
        model = Intervento
        fields = ["comune", "zona", "stato", "fonte", "ambito", "tipologia", "anno", "q", "sample"]

    def filter_comune(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(Exists(_comuni_through().filter(comune__istat_code__in=value)))

    def filter_zona(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = _comuni_through().filter(comune__zona_omogenea__slug=value)
        return queryset.filter(Exists(through))

    def filter_fonte(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        rows = Finanziamento.objects.filter(intervento_id=OuterRef("pk"), fonte__in=value)
        return queryset.filter(Exists(rows))

    def filter_ambito(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(ambiti_ricaduta__overlap=value)

    def filter_anno(self, queryset: QuerySet, name: str, value) -> QuerySet:
        year = int(value)
        starts = Q(anno_inizio__isnull=True) | Q(anno_inizio__lte=year)
        ends = Q(anno_fine__isnull=True) | Q(anno_fine__gte=year)
        return queryset.filter(starts & ends)


class OpportunitaFilter(InComuneFilterSet):
    """Opportunità by Comune, Zona, state, type, text and sample flag."""

    stato = ChoiceInFilter(field_name="stato", choices=StatoOpportunita.choices)
    tipo = ChoiceInFilter(field_name="tipo", choices=TipoOpportunita.choices)
    q = TextSearchFilter(
        lookups=(
            "title__icontains",
            "description__icontains",
            "riferimento_pgt__icontains",
            "comune__name__icontains",
        ),
        label="Testo libero",
    )
    sample = StrictBooleanFilter(field_name="is_sample", label="Dato di esempio")

    class Meta:
        model = Opportunita
        fields = ["comune", "zona", "stato", "tipo", "q", "sample"]
