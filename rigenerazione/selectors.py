"""Reads of interventions and opportunities: public QuerySets that already do their joins,
and the aggregates of the statistics endpoints, computed in the database.

Only published records (``.published()``) come out of the public selectors.

Allocation rule for the aggregates by Comune or Zona: an intervento spanning *n* Comuni gives
each of them ``importo / n`` of every funding row (an equal split: the public data has no
per-Comune breakdown, and an equal split is transparent and reproducible). A Zona receives the
shares of its Comuni. The groups therefore add up exactly to the overall total: nothing is
counted twice.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery, Sum

from rigenerazione.models import (
    Finanziamento,
    FonteFinanziamento,
    Intervento,
    Opportunita,
    StatoIntervento,
    TipoOpportunita,
)
from territorio.models import Comune

__all__ = [
    "GROUPS",
    "interventi_list",
    "opportunita_list",
    "funding_by_group",
    "interventi_by_state",
    "funding_by_source",
    "opportunita_hectares_by_group",
]

# Accepted values of the aggregates' ``group_by`` parameter.
GROUPS = ("zona", "comune")


def interventi_list() -> QuerySet[Intervento]:
    """Published interventi with their Comuni (code and name) and funding rows prefetched."""
    comuni = Comune.objects.only("id", "istat_code", "name").order_by("istat_code")
    return (
        Intervento.objects.published()
        .prefetch_related(Prefetch("comuni", queryset=comuni), "finanziamenti")
        .order_by("title", "pk")
    )


def opportunita_list() -> QuerySet[Opportunita]:
    """Published opportunità with their Comune and Zona joined."""
    return (
        Opportunita.objects.published()
        .select_related("comune__zona_omogenea")
        .order_by("title", "pk")
    )


def _group_fields(prefix: str, group_by: str) -> dict:
    if group_by == "comune":
        return {"group_id": F(f"{prefix}istat_code"), "group_name": F(f"{prefix}name")}
    return {
        "group_id": F(f"{prefix}zona_omogenea__slug"),
        "group_name": F(f"{prefix}zona_omogenea__name"),
    }


def funding_by_group(interventi: QuerySet[Intervento], *, group_by: str) -> list[dict]:
    """Funding per (Zona or Comune, source) of the given interventi, split equally by Comune.

    Returns ``[{"group": {"id", "name"}, "fonte", "fonte_label", "importo"}]`` ordered by
    group name then source; ``importo`` in euro rounded to the cent.
    """
    through = Intervento.comuni.through
    n_comuni = (
        through.objects.filter(intervento_id=OuterRef("intervento_id"))
        .values("intervento_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    rows = (
        through.objects.filter(intervento__in=interventi.values("pk"))
        .annotate(n=Subquery(n_comuni))
        .values(**_group_fields("comune__", group_by), fonte=F("intervento__finanziamenti__fonte"))
        .filter(fonte__isnull=False)
        .annotate(importo=Sum(F("intervento__finanziamenti__importo") / F("n")))
        .order_by("group_name", "fonte")
    )
    labels = dict(FonteFinanziamento.choices)
    return [
        {
            "group": {"id": r["group_id"], "name": r["group_name"]},
            "fonte": r["fonte"],
            "fonte_label": str(labels[r["fonte"]]),
            "importo": round(float(r["importo"]), 2),
        }
        for r in rows
    ]


def interventi_by_state(interventi: QuerySet[Intervento]) -> list[dict]:
    """Count and total cost of the given interventi per state, in the states' order."""
    rows = {
        r["stato"]: r
        for r in interventi.order_by()
        .values("stato")
        .annotate(count=Count("pk"), costo_totale=Sum("costo_totale"))
    }
    return [
        {
            "stato": value,
            "stato_label": str(label),
            "count": rows[value]["count"],
            "costo_totale": float(rows[value]["costo_totale"] or 0),
        }
        for value, label in StatoIntervento.choices
        if value in rows
    ]


def funding_by_source(interventi: QuerySet[Intervento]) -> list[dict]:
    """Total funding and number of funded interventi per source, largest first."""
    rows = (
        Finanziamento.objects.filter(intervento__in=interventi.values("pk"))
        .values("fonte")
        .annotate(importo=Sum("importo"), interventi=Count("intervento", distinct=True))
        .order_by("-importo", "fonte")
    )
    labels = dict(FonteFinanziamento.choices)
    return [
        {
            "fonte": r["fonte"],
            "fonte_label": str(labels[r["fonte"]]),
            "importo": float(r["importo"]),
            "interventi": r["interventi"],
        }
        for r in rows
    ]


def opportunita_hectares_by_group(opportunita: QuerySet[Opportunita], *, group_by: str) -> list:
    """Hectares and count of the given opportunità per (Zona or Comune, type)."""
    rows = (
        opportunita.order_by()
        .values(**_group_fields("comune__", group_by), tipo_code=F("tipo"))
        .annotate(m2=Sum("superficie_m2"), count=Count("pk"))
        .order_by("group_name", "tipo_code")
    )
    labels = dict(TipoOpportunita.choices)
    return [
        {
            "group": {"id": r["group_id"], "name": r["group_name"]},
            "tipo": r["tipo_code"],
            "tipo_label": str(labels[r["tipo_code"]]),
            "ettari": round(r["m2"] / 10_000, 4),
            "count": r["count"],
        }
        for r in rows
    ]
