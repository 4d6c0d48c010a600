"""The documents the analyses endpoints and the Atlases show: one function per sheet.

Each builds a plain dict from :mod:`lum.queries` (labels added here, numbers rounded for
display only in templates). Used by the JSON/CSV endpoints and by the Atlas pages alike.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lum import queries
from lum.models import SIZE_ATTRIBUTES, SOURCED_CATEGORIES, CategoriaServizio, Lum
from lum.samples import SAMPLE_SOURCE
from lum.servizi_regione import HOSPITALS, SCHOOLS
from rigenerazione.models import FonteFinanziamento, StatoIntervento, TipoOpportunita
from territorio.models import Comune, ZonaOmogenea

__all__ = [
    "NEAREST_CATEGORIES",
    "SCHOOL_CATEGORIES",
    "service_sources",
    "published_lums",
    "lum_report",
    "comune_report",
    "zona_report",
    "area_report",
    "comuni_summary",
]

C = CategoriaServizio
# The services each Comune's distance is measured to: the nearest hospital and the nearest
# upper-secondary school (state schools; the CFP are counted, not used for the distance).
NEAREST_CATEGORIES = (C.SANITA, C.SCUOLA_SECONDARIA)
SCHOOL_CATEGORIES = (C.SCUOLA_SECONDARIA, C.FORMAZIONE)


def service_sources() -> list[dict]:
    """Where the services of each category come from, with licence: what sheets credit."""
    labels = dict(C.choices)
    sample = [str(labels[c]) for c in C.values if c not in SOURCED_CATEGORIES]
    return [
        {
            "categorie": [str(labels[c]) for c in SCHOOL_CATEGORIES],
            "fonte": SCHOOLS.source,
            "licenza": SCHOOLS.licence,
            "url": SCHOOLS.source_url,
            "dato_di_esempio": False,
        },
        {
            "categorie": [str(labels[C.SANITA])],
            "fonte": HOSPITALS.source,
            "licenza": HOSPITALS.licence,
            "url": HOSPITALS.source_url,
            "dato_di_esempio": False,
        },
        {
            "categorie": sample,
            "fonte": SAMPLE_SOURCE,
            "licenza": "CC0-1.0",
            "url": "",
            "dato_di_esempio": True,
        },
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
    """Add ``dimensione``: the students and the category's size attributes in words, e.g.
    "Studenti 474" or "Posti letto 120"."""
    for row in rows:
        labels = SIZE_ATTRIBUTES.get(row["categoria"], {})
        sizes = row.get("attributi") or {}
        if isinstance(sizes, str):  # Django leaves jsonb as text on raw cursors
            sizes = row["attributi"] = json.loads(sizes)
        parts = [f"{_('Studenti')} {row['studenti']}"] if row.get("studenti") is not None else []
        parts += [f"{label} {sizes[key]}" for key, label in labels.items() if key in sizes]
        row["dimensione"] = ", ".join(parts)
    return rows


def _nearest(comune_ids: list[int]) -> list[dict]:
    rows = queries.comuni_nearest_services(comune_ids, NEAREST_CATEGORIES)
    return _label(CategoriaServizio, rows, "categoria")


def _schools(by_category: list[dict]) -> dict:
    """Upper-secondary schools, CFP and the students of both, from counts by category."""
    count = {r["categoria"]: r["count"] for r in by_category}
    rows = [r for r in by_category if r["categoria"] in SCHOOL_CATEGORIES]
    return {
        "scuole": count.get(C.SCUOLA_SECONDARIA, 0),
        "cfp": count.get(C.FORMAZIONE, 0),
        "studenti": _sum(rows, "studenti"),
    }


def _sum(rows: list[dict], key: str) -> float:
    return sum(row[key] or 0 for row in rows)


def lum_report(lum: Lum) -> dict:
    """Everything the sheet of a LUM shows: catchment, services, interventi, opportunità,
    Comuni reached."""
    default = settings.REMIX_LUM_RADIUS_M
    interventi = _label(StatoIntervento, queries.lum_interventi(lum.pk, default), "stato")
    opportunita = _label(TipoOpportunita, queries.lum_opportunita(lum.pk, default), "tipo")
    by_category = queries.lum_services_by_category(lum.pk, default)
    schools = _schools(by_category)
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
        "servizi_per_categoria": _label(CategoriaServizio, by_category, "categoria"),
        "servizi": _with_size(
            _label(CategoriaServizio, queries.lum_services(lum.pk, default), "categoria")
        ),
        "interventi": interventi,
        "finanziamenti_per_fonte": _label(
            FonteFinanziamento, queries.lum_funding_by_source(lum.pk, default), "fonte"
        ),
        "opportunita": opportunita,
        "comuni_raggiunti": queries.lum_comuni_reached(lum.pk, default),
        "fonti_servizi": service_sources(),
        "totali": {
            "servizi": sum(r["count"] for r in by_category),
            **schools,
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
    by_category = _label(
        CategoriaServizio, queries.area_services_by_category(comune_ids), "categoria"
    )
    schools = _schools(by_category)
    return {
        "interventi": interventi,
        "finanziamenti_per_fonte": funding,
        "opportunita_per_tipo": opportunita,
        "opportunita_nei_bacini_lum": queries.area_opportunita_catchment_share(
            comune_ids, settings.REMIX_LUM_RADIUS_M
        ),
        "servizi_per_categoria": by_category,
        "servizi_piu_vicini": _nearest(comune_ids),
        "fonti_servizi": service_sources(),
        "totali": {
            "servizi": sum(r["count"] for r in by_category),
            **schools,
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


def comuni_summary() -> list[dict]:
    """One row per Comune: ``{"istat_code", "name", "zona_omogenea", "ruolo_ptm", "scuole",
    "studenti", "cfp", "ospedali", "<categoria>_distance_m", "<categoria>_nearest"}`` for the
    categories of :data:`NEAREST_CATEGORIES` — the services indicators of every Comune."""
    comuni = list(
        Comune.objects.select_related("zona_omogenea").defer("geom").order_by("istat_code")
    )
    counts: dict[tuple[int, str], dict] = {
        (row["comune_id"], row["categoria"]): row for row in queries.services_count_by_comune()
    }
    nearest = {
        (row["istat_code"], row["categoria"]): row
        for row in queries.comuni_nearest_services([c.pk for c in comuni], NEAREST_CATEGORIES)
    }
    return [_comune_summary(comune, counts, nearest) for comune in comuni]


def _comune_summary(comune: Comune, counts: dict, nearest: dict) -> dict:
    def count(categoria: str, key: str = "count") -> int:
        return (counts.get((comune.pk, categoria)) or {}).get(key) or 0

    row = {
        "istat_code": comune.istat_code,
        "name": comune.name,
        "zona_omogenea": getattr(comune.zona_omogenea, "name", None),
        "ruolo_ptm": comune.ruolo_ptm,
        "scuole": count(C.SCUOLA_SECONDARIA),
        "studenti": count(C.SCUOLA_SECONDARIA, "studenti"),
        "cfp": count(C.FORMAZIONE),
        "ospedali": count(C.SANITA),
    }
    for categoria in NEAREST_CATEGORIES:
        hit = nearest[(comune.istat_code, categoria)]
        row[f"{categoria}_distance_m"] = hit["distance_m"]
        row[f"{categoria}_nearest"] = hit["servizio"]
    return row
