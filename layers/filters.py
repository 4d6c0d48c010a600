"""Filters of the territorial layers, with the shared parameter names (``comune``, ``zona``, ``q``).

``bbox`` is applied by the publishing engine itself (:mod:`layers.params`) for every layer.
"""

from __future__ import annotations

import django_filters

from layers.models import Comune, ZonaOmogenea

__all__ = ["ComuneFilter", "ZonaOmogeneaFilter", "CharInFilter"]


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """A comma-separated list of codes: ``comune=015146,015009``."""


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
