"""Reads behind the portal's pages: only published records, with their joins done."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from rigenerazione.models import (
    AmbitoRicaduta,
    FonteFinanziamento,
    Intervento,
    Localizzazione,
    Opportunita,
    StatoIntervento,
    StatoOpportunita,
    TipoOpportunita,
)
from territorio.models import Comune, ZonaOmogenea

__all__ = [
    "intervento_published_get",
    "opportunita_published_get",
    "comune_get",
    "comune_interventi",
    "comune_opportunita",
    "filter_options",
]


def intervento_published_get(pk: int) -> Intervento:
    """A published intervento with its Comuni and funding, or Http404."""
    queryset = Intervento.objects.published().prefetch_related("comuni", "finanziamenti")
    return get_object_or_404(queryset, pk=pk)


def opportunita_published_get(pk: int) -> Opportunita:
    """A published opportunità with its Comune, or Http404."""
    queryset = Opportunita.objects.published().select_related("comune__zona_omogenea")
    return get_object_or_404(queryset, pk=pk)


def comune_get(istat_code: str) -> Comune:
    """The Comune with this ISTAT code, with its Zona omogenea, or Http404."""
    return get_object_or_404(Comune.objects.select_related("zona_omogenea"), istat_code=istat_code)


def comune_interventi(comune: Comune) -> QuerySet[Intervento]:
    """Published interventi touching ``comune`` (no geometry)."""
    return Intervento.objects.published().filter(comuni=comune).defer("geom").order_by("title")


def comune_opportunita(comune: Comune) -> QuerySet[Opportunita]:
    """Published opportunità in ``comune`` (no geometry)."""
    return Opportunita.objects.published().filter(comune=comune).defer("geom").order_by("title")


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices]


def filter_options() -> dict:
    """The values offered by the portal's filter form (codes and translated labels)."""
    comuni = Comune.objects.order_by("name").values_list("istat_code", "name")
    zone = ZonaOmogenea.objects.order_by("name").values_list("slug", "name")
    return {
        "comune": [{"value": code, "label": name} for code, name in comuni],
        "zona": [{"value": slug, "label": name} for slug, name in zone],
        "stato": _choices(StatoIntervento.choices),
        "stato_opportunita": _choices(StatoOpportunita.choices),
        "fonte": _choices(FonteFinanziamento.choices),
        "ambito": _choices(AmbitoRicaduta.choices),
        "tipo": _choices(TipoOpportunita.choices),
        "localizzazione": _choices(Localizzazione.choices),
    }
