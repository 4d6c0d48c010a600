"""Filters of the territorial layers, with the shared parameter names (``comune``, ``zona``, ``q``).

:class:`InComuneFilterSet` is the base of every FilterSet of records lying in a Comune, so
``comune`` and ``zona`` mean the same on every layer.
"""

from __future__ import annotations

import django_filters

from layers.filters import CharInFilter
from territorio.models import Comune, ZonaOmogenea

__all__ = ["ComuneFilter", "ZonaOmogeneaFilter", "InComuneFilterSet"]


class InComuneFilterSet(django_filters.FilterSet):
    """Base of the FilterSets of records that lie in one Comune (a ``comune`` foreign key):
    ``comune`` (ISTAT codes) and ``zona`` (Zona omogenea slug)."""

    comune = CharInFilter(field_name="comune__istat_code", lookup_expr="in")
    zona = django_filters.CharFilter(field_name="comune__zona_omogenea__slug")


class ComuneFilter(django_filters.FilterSet):
    """Comuni by ISTAT code, Zona omogenea slug or name."""

    comune = CharInFilter(field_name="istat_code", lookup_expr="in")
    zona = django_filters.CharFilter(field_name="zona_omogenea__slug")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Comune
        fields = ["comune", "zona", "q"]


class ZonaOmogeneaFilter(django_filters.FilterSet):
    """Zone omogenee by slug or name."""

    zona = django_filters.CharFilter(field_name="slug")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = ZonaOmogenea
        fields = ["zona", "q"]
