"""Reads of the territorial base, returning QuerySets that already do their joins."""

from __future__ import annotations

from django.db.models import QuerySet

from territorio.models import Comune, ZonaOmogenea

__all__ = ["comuni_list", "zone_list"]


def comuni_list() -> QuerySet[Comune]:
    """All Comuni with their Zona omogenea joined."""
    return Comune.objects.select_related("zona_omogenea").order_by("name")


def zone_list() -> QuerySet[ZonaOmogenea]:
    """All Zone omogenee."""
    return ZonaOmogenea.objects.order_by("name")
