"""Reads of the contribution pages."""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Q, QuerySet

from contributi.permissions import editable_records, is_reviewer, operator_comuni_ids
from layers.models import Comune
from rigenerazione.models import Intervento, Opportunita, PublicationState

__all__ = [
    "records_for",
    "records_search",
    "review_queue",
    "comuni_boundaries",
    "report_preview",
]

# Comune boundaries drawn for context only: ~10 m of precision is plenty (GeoJSON digits).
BOUNDARY_DIGITS = 4


def records_for(user) -> dict[str, QuerySet]:
    """The interventi and opportunità the user may edit, newest first, without geometry."""
    return {
        "interventi": editable_records(user, Intervento.objects.all())
        .defer("geom")
        .order_by("-updated_at"),
        "opportunita": editable_records(user, Opportunita.objects.all())
        .select_related("comune")
        .defer("geom")
        .order_by("-updated_at"),
    }


def records_search(
    user,
    *,
    q: str = "",
    state: str = "",
    comune=None,
    layer: str = "",
    since=None,
    author=None,
) -> dict[str, QuerySet]:
    """The desk's lists: :func:`records_for` narrowed by text (title, CUP), publication
    state, Comune, layer, last change since a date and author; empty filters are ignored."""
    found = {}
    for key, queryset in records_for(user).items():
        if layer and key != layer:
            continue
        if q:
            text = Q(title__icontains=q)
            if key == "interventi":
                text |= Q(cup__iexact=q)
            queryset = queryset.filter(text)
        if state:
            queryset = queryset.filter(publication_state=state)
        if comune is not None:
            where = {"comuni": comune} if key == "interventi" else {"comune": comune}
            queryset = queryset.filter(**where)
        if since:
            queryset = queryset.filter(updated_at__date__gte=since)
        if author is not None:
            queryset = queryset.filter(created_by=author)
        found[key] = queryset.select_related("created_by").distinct()
    return found


def review_queue() -> dict[str, QuerySet]:
    """Records waiting for a reviewer."""
    waiting = {"publication_state": PublicationState.IN_REVISIONE}
    return {
        "interventi": Intervento.objects.filter(**waiting)
        .defer("geom")
        .prefetch_related("comuni")
        .order_by("updated_at"),
        "opportunita": Opportunita.objects.filter(**waiting)
        .select_related("comune")
        .defer("geom")
        .order_by("updated_at"),
    }


def comuni_boundaries(*, user, istat_codes=()) -> dict:
    """A GeoJSON FeatureCollection of the boundaries of the given Comuni and, for an operator,
    of their own Comuni: the context drawn under an upload's features or an edited record."""
    codes = set(istat_codes)
    queryset = Comune.objects.filter(istat_code__in=codes)
    if not is_reviewer(user):
        queryset = queryset | Comune.objects.filter(pk__in=operator_comuni_ids(user))
    rows = (
        queryset.distinct()
        .annotate(boundary=AsGeoJSON("geom", precision=BOUNDARY_DIGITS))
        .values_list("istat_code", "name", "boundary")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"istat_code": code, "name": name},
                "geometry": json.loads(boundary),
            }
            for code, name, boundary in rows
        ],
    }


def report_preview(report: dict) -> dict:
    """From a job's report: the features as GeoJSON (number, title, ok, errors) for the map,
    and the table of values the records would get (one column per field of the target)."""
    features = report.get("features", [])
    names = [f["name"] for f in report.get("fields", [])]
    return {
        "features": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "number": f["number"],
                        "title": f["title"],
                        "ok": f["ok"],
                        "errors": f["errors"],
                    },
                    "geometry": f.get("geometry"),
                }
                for f in features
                if f.get("geometry")
            ],
        },
        "columns": [(f["name"], f["label"]) for f in report.get("fields", [])],
        "rows": [
            {
                "number": f["number"],
                "ok": f["ok"],
                "cells": [f.get("values", {}).get(n, "") for n in names],
            }
            for f in features
        ],
        "istat_codes": sorted({c for f in features for c in f.get("comuni", [])}),
    }
