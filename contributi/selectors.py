"""Reads of the contribution pages."""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contributi.permissions import editable_records, is_reviewer, operator_comuni_ids
from rigenerazione.models import Intervento, Opportunita
from rules.publication import PublicationState
from territorio.models import Comune

__all__ = [
    "records_for",
    "records_search",
    "review_queue",
    "comuni_boundaries",
    "report_preview",
    "history_rows",
    "neighbour_records",
    "record_istat_codes",
]

NEIGHBOURS_MAX = 300

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


HISTORY_KINDS = {
    "+": gettext_noop("Creato"),
    "~": gettext_noop("Modificato"),
    "-": gettext_noop("Eliminato"),
}


def _readable(field, value) -> str:
    """A stored value as a person reads it: the choice's label, a name, a date, «sì/no»."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first()
        return str(target) if target is not None else str(value)
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if hasattr(value, "year"):
        return formats.localize(value)
    return str(value)


def history_rows(record) -> list[dict]:
    """The record's versions, newest first, each with its changes named by the fields'
    verbose names and shown as readable values; a changed geometry comes as the GeoJSON of
    before and after, for the side-by-side maps."""
    versions = list(record.history.select_related("history_user").order_by("-history_date"))
    rows = []
    for version, previous in zip(versions, [*versions[1:], None], strict=True):
        changes, geometry = [], None
        delta = version.diff_against(previous).changes if previous is not None else []
        for change in delta:
            field = record._meta.get_field(change.field)
            if isinstance(change.new, GEOSGeometry) or isinstance(change.old, GEOSGeometry):
                geometry = {
                    "before": json.loads(change.old.json) if change.old else None,
                    "after": json.loads(change.new.json) if change.new else None,
                }
                continue
            changes.append(
                {
                    "label": str(field.verbose_name),
                    "old": _readable(field, change.old),
                    "new": _readable(field, change.new),
                }
            )
        kind = HISTORY_KINDS.get(version.history_type, version.history_type)
        rows.append({"version": version, "kind": _(kind), "changes": changes, "geometry": geometry})
    return rows


def record_istat_codes(record) -> list[str]:
    """The ISTAT codes of the record's Comuni (one for an opportunità)."""
    if isinstance(record, Opportunita):
        return [record.comune.istat_code] if record.comune_id else []
    return list(record.comuni.values_list("istat_code", flat=True))


def neighbour_records(record) -> dict:
    """The published records of the same layer in the record's Comuni, the record itself
    left out (at most :data:`NEIGHBOURS_MAX`): context drawn around the edited shape."""
    model = type(record)
    codes = record_istat_codes(record)
    where = (
        {"comune__istat_code__in": codes}
        if model is Opportunita
        else {"comuni__istat_code__in": codes}
    )
    rows = (
        model.objects.published()
        .filter(**where)
        .exclude(pk=record.pk)
        .distinct()
        .annotate(shape=AsGeoJSON("geom", precision=6))
        .values_list("pk", "title", "shape")[:NEIGHBOURS_MAX]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "properties": {"title": title},
                "geometry": json.loads(shape),
            }
            for pk, title, shape in rows
        ],
    }
