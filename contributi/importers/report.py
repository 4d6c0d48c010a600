"""The per-feature report shown before anything is stored.

For every feature: geometry present, valid (or safely repaired when the user asked), of the
right type, inside the CMM and inside the operator's Comuni; required fields filled, choices
known, numbers numbers, CUP well formed and not already used, funding not above cost. The
report also carries the cleaned values, so committing is a pure write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import shapely
from django.contrib.gis.geos import GEOSGeometry
from shapely.geometry.base import BaseGeometry

from contributi.importers import messages as m
from contributi.importers.mapping import FieldSpec, Target
from contributi.importers.reader import Read
from contributi.permissions import is_reviewer, operator_comuni_ids
from layers.srid import STORAGE_SRID
from remix.errors import UserInputError
from rigenerazione.models import CUP_REGEX, Intervento
from rules.geometry import as_multi
from rules.spatial import comuni_ids_of_geometry, is_inside_cmm, main_comune_id_of_geometry
from territorio.models import Comune

__all__ = ["FeatureReport", "UploadReport", "build_report", "check_geometry", "check_place"]

_FAMILY = {
    "Point": "punti",
    "MultiPoint": "punti",
    "LineString": "linee",
    "MultiLineString": "linee",
    "Polygon": "poligoni",
    "MultiPolygon": "poligoni",
}
_LOCALIZZAZIONE = {"punti": "punto", "linee": "linea", "poligoni": "area"}


@dataclass
class FeatureReport:
    """One feature of the file: what will be stored, or why it cannot be."""

    number: int
    title: str = ""
    geom_type: str = ""
    comuni: list[Comune] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    geom: GEOSGeometry | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def comuni_names(self) -> str:
        return ", ".join(c.name for c in self.comuni)


@dataclass
class UploadReport:
    """The whole file: notes about it, the mapping used and one report per feature."""

    filename: str
    target: Target
    columns: list[str]
    mapping: dict[str, str]
    notes: list[str]
    features: list[FeatureReport]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.features)

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.features if not f.ok)

    def as_dict(self) -> dict:
        return {
            "file": self.filename,
            "target": self.target.key,
            "columns": self.columns,
            "mapping": self.mapping,
            "notes": self.notes,
            "ok": self.ok,
            "features": [
                {
                    "number": f.number,
                    "title": f.title,
                    "geometry_type": f.geom_type,
                    "comuni": [c.istat_code for c in f.comuni],
                    "ok": f.ok,
                    "errors": f.errors,
                    "notes": f.notes,
                }
                for f in self.features
            ],
        }


def build_report(
    read: Read,
    spec: Target,
    mapping: dict[str, str],
    *,
    user,
    make_valid: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> UploadReport:
    """Check every feature of ``read`` for ``spec`` as ``user`` would store it."""
    for name, column in mapping.items():
        if column and column not in read.columns:
            raise UserInputError(
                m.MAPPING_UNKNOWN_COLUMN.format(column=column, field=name), field=f"map_{name}"
            )
    _check_single_family(read, spec)
    features = []
    cups_seen: dict[str, int] = {}
    records = read.frame.to_dict("records")
    geometry_name = read.frame.geometry.name
    for index, row in enumerate(records, start=1):
        report = FeatureReport(number=index)
        _check_values(report, row, spec, mapping)
        check_geometry(report, row[geometry_name], spec, make_valid)
        if report.geom is not None:
            check_place(report, spec, user)
        if spec.key == "interventi":
            _check_intervento(report, cups_seen)
        features.append(report)
        if progress:
            progress("checked", index, len(records))
    return UploadReport(read.filename, spec, read.columns, mapping, read.notes, features)


def _check_single_family(read: Read, spec: Target) -> None:
    types = {g.geom_type for g in read.frame.geometry if g is not None and not g.is_empty}
    families = {_FAMILY.get(t, t) for t in types}
    if len(families) > 1:
        raise UserInputError(
            m.MIXED_TYPES.format(file=read.filename, types=", ".join(sorted(types))),
            field="file",
        )


def check_geometry(
    report: FeatureReport, geom: BaseGeometry | None, spec: Target, make_valid: bool
) -> None:
    n = report.number
    if geom is None or geom.is_empty:
        report.errors.append(str(m.F_NO_GEOMETRY.format(feature=n)))
        return
    report.geom_type = geom.geom_type
    family = _FAMILY.get(geom.geom_type)
    wanted = "poligoni" if spec.polygons_only else "punti, linee o poligoni"
    if family is None or (spec.polygons_only and family != "poligoni"):
        report.errors.append(
            str(
                m.F_WRONG_TYPE.format(
                    feature=n, type=geom.geom_type, model=spec.label, wanted=wanted
                )
            )
        )
        return
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        fixed = _repaired(geom, family) if make_valid else None
        if make_valid and fixed is None:
            report.errors.append(str(m.F_INVALID_UNFIXABLE.format(feature=n, reason=reason)))
            return
        if fixed is None:
            report.errors.append(str(m.F_INVALID_GEOMETRY.format(feature=n, reason=reason)))
            return
        geom = fixed
        report.notes.append(str(m.F_FIXED.format(feature=n)))
    report.values["localizzazione"] = _LOCALIZZAZIONE[family]
    report.geom = as_multi(GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=STORAGE_SRID))


def _repaired(geom: BaseGeometry, family: str) -> BaseGeometry | None:
    """``make_valid`` only when the result is still the same kind of geometry."""
    fixed = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(fixed) if _FAMILY.get(p.geom_type) == family]
    if not parts or len(parts) != len(shapely.get_parts(fixed)):
        return None
    if family == "poligoni":
        return shapely.multipolygons([q for p in parts for q in shapely.get_parts(p)])
    return shapely.union_all(parts)


def check_place(report: FeatureReport, spec: Target, user) -> None:
    """Inside the CMM, in which Comuni (computed by :mod:`rules.spatial`, the one place that
    derives them), and are those the user's?"""
    geom = report.geom
    if not is_inside_cmm(geom):
        report.errors.append(str(m.F_OUTSIDE_CMM.format(feature=report.number)))
        return
    if spec.polygons_only:
        main = main_comune_id_of_geometry(geom)
        ids = [main] if main is not None else []
    else:
        ids = comuni_ids_of_geometry(geom)
    report.comuni = list(
        Comune.objects.filter(pk__in=ids).only("pk", "name", "istat_code").order_by("istat_code")
    )
    if not report.comuni:
        report.errors.append(str(m.F_OUTSIDE_CMM.format(feature=report.number)))
        return
    if is_reviewer(user):
        return
    foreign = [c.name for c in report.comuni if c.pk not in operator_comuni_ids(user)]
    if foreign:
        report.errors.append(
            str(m.F_OUTSIDE_OPERATOR.format(feature=report.number, comuni=", ".join(foreign)))
        )


def _check_values(report: FeatureReport, row: dict, spec: Target, mapping: dict[str, str]) -> None:
    for fs in spec.fields:
        column = mapping.get(fs.name)
        raw = row.get(column) if column else None
        value = _clean(report, fs, raw)
        if value is not None:
            report.values[fs.name] = value
    report.title = report.values.get("title", "")


def _as_text(raw) -> str:
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _clean(report: FeatureReport, fs: FieldSpec, raw):
    n, text = report.number, _as_text(raw)
    if not text:
        if fs.required:
            report.errors.append(str(m.F_REQUIRED.format(feature=n, field=fs.label)))
        return None
    if fs.max_length and len(text) > fs.max_length:
        report.errors.append(
            str(m.F_TOO_LONG.format(feature=n, field=fs.label, limit=fs.max_length))
        )
        return None
    if fs.kind == "choice":
        return _choice(report, fs, text)
    if fs.kind == "decimal":
        return _decimal(report, fs, text)
    if fs.kind == "year":
        if not re.fullmatch(r"(19|20|21)\d\d", text):
            report.errors.append(str(m.F_BAD_YEAR.format(feature=n, field=fs.label, value=text)))
            return None
        return int(text)
    return text


def _choice(report: FeatureReport, fs: FieldSpec, text: str):
    wanted = text.casefold().replace(" ", "_")
    for value, label in fs.choices.choices:
        if wanted in (value.casefold(), str(label).casefold().replace(" ", "_")):
            return value
    allowed = ", ".join(value for value, _label in fs.choices.choices)
    report.errors.append(
        str(
            m.F_BAD_CHOICE.format(
                feature=report.number, field=fs.label, value=text, allowed=allowed
            )
        )
    )
    return None


def _decimal(report: FeatureReport, fs: FieldSpec, text: str):
    cleaned = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal("1e12"):
        report.errors.append(
            str(m.F_BAD_NUMBER.format(feature=report.number, field=fs.label, value=text))
        )
        return None
    if value < 0:
        report.errors.append(str(m.F_NEGATIVE.format(feature=report.number, field=fs.label)))
        return None
    return value.quantize(Decimal("0.01"))


def _check_intervento(report: FeatureReport, cups_seen: dict[str, int]) -> None:
    values, n = report.values, report.number
    start, end = values.get("anno_inizio"), values.get("anno_fine")
    if start and end and end < start:
        report.errors.append(str(m.F_YEARS_ORDER.format(feature=n)))
    cost, funding = values.get("costo_totale"), values.get("importo_finanziato")
    if cost is not None and funding is not None and funding > cost:
        report.errors.append(
            str(m.F_FUNDING_OVER_COST.format(feature=n, funding=funding, cost=cost))
        )
    cup = values.get("cup")
    if not cup:
        return
    cup = values["cup"] = cup.upper()
    if not re.fullmatch(CUP_REGEX, cup):
        report.errors.append(str(m.F_BAD_CUP.format(feature=n, value=cup)))
    elif cup in cups_seen:
        where = f"nell'elemento {cups_seen[cup]} dello stesso file"
        report.errors.append(str(m.F_DUPLICATE_CUP.format(feature=n, value=cup, where=where)))
    elif Intervento.objects.filter(cup=cup).exists():
        report.errors.append(
            str(
                m.F_DUPLICATE_CUP.format(
                    feature=n, value=cup, where="in un intervento già registrato"
                )
            )
        )
    cups_seen.setdefault(cup, n)
