"""FilterSets of the LUM and Servizio layers (shared parameter names, see the team contract).

The same FilterSet serves the layer engine (GeoJSON, tiles, OGC API, exports) and the analyses.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from layers.filters import CharInFilter
from lum.models import Lum, Servizio
from territorio.filters import InComuneFilterSet

__all__ = ["LumFilter", "ServizioFilter"]


class LumFilter(InComuneFilterSet):
    """LUM by Comune (ISTAT codes), Zona omogenea slug, state, rank or text."""

    stato = CharInFilter(field_name="stato", lookup_expr="in")
    rank = CharInFilter(field_name="rank", lookup_expr="in")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Lum
        fields = ["comune", "zona", "stato", "rank", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(lines__contains=[value.upper()]))


class ServizioFilter(InComuneFilterSet):
    """Services by Comune (ISTAT codes), Zona omogenea slug, category or name."""

    categoria = CharInFilter(field_name="categoria", lookup_expr="in")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Servizio
        fields = ["comune", "zona", "categoria", "q"]
