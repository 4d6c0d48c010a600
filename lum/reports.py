"""The documents the analyses endpoints and the Atlases show: one function per sheet.

Each builds a plain dict from :mod:`lum.queries` (labels added here, numbers rounded for
display only in templates). Used by the JSON/CSV endpoints and by the Atlas pages alike.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lum import queries
from lum.models import SIZE_ATTRIBUTES, CategoriaServizio, Lum
from rigenerazione.models import FonteFinanziamento, StatoIntervento, TipoOpportunita
from territorio.models import Comune, ZonaOmogenea

__all__ = [
    "published_lums",
    "lum_report",
    "comune_report",
    "zona_report",
    "area_report",
]


def published_lums() -> QuerySet[Lum]:
    """Published LUM with their Comune and Zona omogenea, by name."""
    return Lum.objects.published().select_related("comune__zona_omogenea").order_by("name")


def _label(choices, rows: list[dict], key: str) -> list[dict]:
    labels = dict(choices.choices)
    for row in rows:
        row[f"{key}_label"] = str(labels.get(row[key], row[key]))
    return rows


def _with_size(rows: list[dict]) -> list[dict]:
    """Add ``dimensione``: the category's size attributes in words, e.g. "Posti letto 120"."""
    for row in rows:
        labels = SIZE_ATTRIBUTES.get(row["categoria"], {})
        sizes = row.get("attributi") or {}
        if isinstance(sizes, str):  # Django leaves jsonb as text on raw cursors
            sizes = row["attributi"] = json.loads(sizes)
        row["dimensione"] = ", ".join(
            f"{label} {sizes[key]}" for key, label in labels.items() if key in sizes
        )
    return rows


def _sum(rows: list[dict], key: str) -> float:
    return sum(row[key] or 0 for row in rows)


def lum_report(lum: Lum) -> dict:
    """Everything the sheet of a LUM shows: catchment, services, interventi, opportunità,
    Comuni reached."""
    default = settings.REMIX_LUM_RADIUS_M
    interventi = _label(StatoIntervento, queries.lum_interventi(lum.pk, default), "stato")
    opportunita = _label(TipoOpportunita, queries.lum_opportunita(lum.pk, default), "tipo")
    return {
        "lum": {
            "id": lum.pk,
            "name": lum.name,
            "comune": lum.comune.name,
            "istat_code": lum.comune.istat_code,
            "modes": lum.modes,
            "lines": lum.lines,
            "rank": lum.rank,
            "stato": lum.stato,
            "radius_m": lum.catchment_radius_m,
            "lon": lum.geom.x,
            "lat": lum.geom.y,
            "source": lum.source,
            "is_sample": lum.is_sample,
        },
        "servizi_per_categoria": _label(
            CategoriaServizio, queries.lum_services_by_category(lum.pk, default), "categoria"
        ),
        "servizi": _with_size(
            _label(CategoriaServizio, queries.lum_services(lum.pk, default), "categoria")
        ),
        "interventi": interventi,
        "finanziamenti_per_fonte": _label(
            FonteFinanziamento, queries.lum_funding_by_source(lum.pk, default), "fonte"
        ),
        "opportunita": opportunita,
        "comuni_raggiunti": queries.lum_comuni_reached(lum.pk, default),
        "totali": {
            "interventi": len(interventi),
            "interventi_ettari": _sum(interventi, "ettari"),
            "finanziamento": _sum(interventi, "finanziamento"),
            "opportunita": len(opportunita),
            "opportunita_ettari": _sum(opportunita, "ettari"),
            "opportunita_ettari_nel_bacino": _sum(opportunita, "ettari_nel_bacino"),
        },
    }


def area_report(comune_ids: list[int]) -> dict:
    """Indicators of a set of Comuni (a Comune, or the Comuni of a Zona omogenea)."""
    interventi = _label(StatoIntervento, queries.area_interventi(comune_ids), "stato")
    funding = _label(FonteFinanziamento, queries.area_funding_by_source(comune_ids), "fonte")
    opportunita = _label(TipoOpportunita, queries.area_opportunita_by_tipo(comune_ids), "tipo")
    return {
        "interventi": interventi,
        "finanziamenti_per_fonte": funding,
        "opportunita_per_tipo": opportunita,
        "opportunita_nei_bacini_lum": queries.area_opportunita_catchment_share(
            comune_ids, settings.REMIX_LUM_RADIUS_M
        ),
        "servizi_per_categoria": _label(
            CategoriaServizio, queries.area_services_by_category(comune_ids), "categoria"
        ),
        "totali": {
            "interventi": len(interventi),
            "finanziamento": _sum(funding, "importo"),
            "opportunita": sum(row["count"] for row in opportunita),
            "opportunita_ettari": _sum(opportunita, "ettari"),
        },
    }


def comune_report(istat_code: str) -> dict:
    """The indicators of one Comune (404 when the ISTAT code is unknown)."""
    comune = get_object_or_404(
        Comune.objects.select_related("zona_omogenea"), istat_code=istat_code
    )
    report = area_report([comune.pk])
    zona = comune.zona_omogenea
    report["comune"] = {
        "istat_code": comune.istat_code,
        "name": comune.name,
        "zona_omogenea": zona.name if zona else None,
        "ruolo_ptm": comune.ruolo_ptm,
        "area_km2": comune.area_km2,
    }
    report["lum"] = [
        {"id": lum.pk, "name": lum.name, "rank": lum.rank, "modes": lum.modes}
        for lum in published_lums().filter(comune=comune)
    ]
    return report


def zona_report(slug: str) -> dict:
    """The indicators of one Zona omogenea (404 when the slug is unknown)."""
    zona = get_object_or_404(ZonaOmogenea, slug=slug)
    comune_ids = list(zona.comuni.values_list("pk", flat=True))
    report = area_report(comune_ids)
    report["zona"] = {"slug": zona.slug, "name": zona.name, "comuni": len(comune_ids)}
    return report
