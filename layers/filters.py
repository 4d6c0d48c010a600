"""Generic filters any layer's FilterSet may use (lists of codes, free text).

``bbox`` is applied by the publishing engine itself (:mod:`layers.params`) for every layer;
the filters of the territorial base (``comune``, ``zona``) are in :mod:`territorio.filters`.
"""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django.db.models import Q, QuerySet

__all__ = ["CharInFilter", "ChoiceInFilter", "StrictBooleanFilter", "TextSearchFilter"]


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """A comma-separated list of codes: ``comune=015146,015009``."""


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false``; any other value is refused (a 400 naming the parameter), where
    django-filter's BooleanFilter would silently ignore it (``sample=maybe``)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """A comma-separated list of codes, each checked against the choices (else a 400)."""


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
