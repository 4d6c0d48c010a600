"""FilterSets of the LUM and Servizio layers (shared parameter names, see the team contract).

The same FilterSet serves the layer engine (GeoJSON, tiles, OGC API, exports) and the analyses.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q

from layers.filters import ChoiceInFilter
from lum.models import CategoriaServizio, Lum, RangoLum, Servizio, StatoLum
from territorio.filters import InComuneFilterSet

__all__ = ["LumFilter", "ServizioFilter"]


class LumFilter(InComuneFilterSet):
    """LUM by Comune (ISTAT codes), Zona omogenea slug, state, rank or text."""

    # Unknown codes are a 400 naming the parameter, as on every layer (not an empty 200).
    stato = ChoiceInFilter(field_name="stato", choices=StatoLum.choices)
    rank = ChoiceInFilter(field_name="rank", choices=RangoLum.choices)
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Lum
        fields = ["comune", "zona", "stato", "rank", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(lines__contains=[value.upper()]))


class ServizioFilter(InComuneFilterSet):
    """Services by Comune (ISTAT codes), Zona omogenea slug, category or name."""

    categoria = ChoiceInFilter(field_name="categoria", choices=CategoriaServizio.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Servizio
        fields = ["comune", "zona", "categoria", "q"]
