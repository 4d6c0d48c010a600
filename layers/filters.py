"""Filters of the territorial layers, with the shared parameter names (``comune``, ``zona``, ``q``).

``bbox`` is applied by the publishing engine itself (:mod:`layers.params`) for every layer.
"""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django.db.models import Q, QuerySet

from layers.models import Comune, ZonaOmogenea

__all__ = [
    "ComuneFilter",
    "ZonaOmogeneaFilter",
    "CharInFilter",
    "TextSearchFilter",
    "StrictBooleanFilter",
    "InComuneFilterSet",
]


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """A comma-separated list of codes: ``comune=015146,015009``."""


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false``; any other value is refused (a 400 naming the parameter), where
    django-filter's BooleanFilter would silently ignore it (``sample=maybe``)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class TextSearchFilter(django_filters.CharFilter):
    """Free text (``q``): the rows where any of ``lookups`` matches the text; blank keeps all."""

    def __init__(self, *args, lookups: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def filter(self, qs: QuerySet, value: str | None) -> QuerySet:
        text = (value or "").strip()
        if not text:
            return qs
        return qs.filter(reduce(operator.or_, (Q(**{lookup: text}) for lookup in self.lookups)))


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
