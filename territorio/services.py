"""Writes to the territorial base: loading the real boundaries and keeping derived values.

``territorio_load`` reads the open data of the CMM in place (``REMIX_DATA_DIR``) and is
idempotent on the ISTAT code: running it twice changes nothing the second time, and writes
nothing either (unchanged Comuni, Zone and derived values are skipped), so the layers' data
versions stay as they were.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.utils.text import slugify

from layers.records import record_is_unchanged
from layers.srid import STORAGE_SRID
from remix.errors import UserInputError
from territorio.models import (
    MILANO_ISTAT_CODE,
    Comune,
    MembershipVerification,
    RuoloPTM,
    ZonaOmogenea,
)
from territorio.sql import comune_areas_refresh, zona_boundaries_refresh

__all__ = [
    "COMUNI_FILE",
    "MEMBERSHIP_FILE",
    "POLI_FILE",
    "TerritorioReport",
    "territorio_load",
    "comune_derived_refresh",
    "as_multipolygon",
]

COMUNI_FILE = "cmm_comuni_2023.geojson"
MEMBERSHIP_FILE = "cmm_zone_omogenee_comuni.csv"
# Sourced list of poli urbani attrattori (PTM); lives in the repository because we compiled it.
POLI_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "ptm_poli_attrattori.csv"

COMUNI_SOURCE = (
    "Confini amministrativi © ISTAT (CC BY), elaborazione Openpolis (CC BY 4.0), "
    "limiti al giugno 2023"
)
ZONE_SOURCE = (
    "Delibera del Consiglio metropolitano n. 11 del 22/02/2017 e modifiche successive; "
    "composizione verificata come indicato nel campo 'verifica'."
)

ERROR_FILE_MISSING = "File dei dati mancante: {path}."
ERROR_NOT_POLYGON = "{file}, Comune {code}: il confine non è un poligono ({kind})."
ERROR_INVALID = "{file}, Comune {code}: confine non valido ({reason})."
ERROR_UNKNOWN_COMUNE = "{file}, riga {line}: codice ISTAT {code} non presente nei confini."


@dataclass
class TerritorioReport:
    """What a territorial load did."""

    comuni_created: int = 0
    comuni_updated: int = 0
    comuni_unchanged: int = 0
    zone_created: int = 0
    unassigned: list[str] = field(default_factory=list)
    poli: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Comuni: {self.comuni_created} creati, {self.comuni_updated} aggiornati, "
            f"{self.comuni_unchanged} invariati.",
            f"Zone omogenee create: {self.zone_created}.",
            f"Poli urbani attrattori: {len(self.poli)}.",
        ]
        if self.unassigned:
            out.append("Comuni senza Zona omogenea (fonte mancante): " + ", ".join(self.unassigned))
        return out


def as_multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    """Return a polygonal geometry as a MultiPolygon (single geometries become multi)."""
    if geom.geom_type == "Polygon":
        return MultiPolygon(geom, srid=geom.srid)
    if geom.geom_type == "MultiPolygon":
        return geom
    raise ValueError(geom.geom_type)


def _read_comuni(path: Path) -> list[dict]:
    if not path.exists():
        raise UserInputError(ERROR_FILE_MISSING.format(path=path), field="REMIX_DATA_DIR")
    meta, geometries, field_data = _read_raw(path)
    names = meta["fields"].tolist()
    rows = []
    for i, wkb in enumerate(geometries):
        props = {name: field_data[j][i] for j, name in enumerate(names)}
        code = str(props["com_istat_code"])
        geom = GEOSGeometry(memoryview(wkb), srid=STORAGE_SRID)
        try:
            geom = as_multipolygon(geom)
        except ValueError as exc:
            raise UserInputError(
                ERROR_NOT_POLYGON.format(file=path.name, code=code, kind=exc), field="geometry"
            ) from exc
        if not geom.valid:
            raise UserInputError(
                ERROR_INVALID.format(file=path.name, code=code, reason=geom.valid_reason),
                field="geometry",
            )
        rows.append(
            {
                "istat_code": code,
                "name": str(props["name"]),
                "cadastral_code": str(props.get("com_catasto_code") or ""),
                "geom": geom,
            }
        )
    return rows


def _read_raw(path: Path):
    """Read a vector file with pyogrio: (meta, WKB geometries, field arrays)."""
    meta, _fids, geometries, field_data = pyogrio.raw.read(path)
    return meta, geometries, field_data


def _read_membership(path: Path, known_codes: set[str]) -> dict[str, tuple[str, str]]:
    """Map ISTAT code → (zona name, verification) from the membership CSV."""
    if not path.exists():
        return {}
    membership = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            code = row["istat_code"].strip()
            if code not in known_codes:
                raise UserInputError(
                    ERROR_UNKNOWN_COMUNE.format(file=path.name, line=line, code=code),
                    field="istat_code",
                )
            zona = row["zona_omogenea"].strip()
            if zona:
                membership[code] = (zona, row.get("verification", "").strip())
    return membership


def _read_poli(path: Path) -> dict[str, str]:
    """Map ISTAT code → source for the sourced list of poli urbani attrattori."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["istat_code"].strip(): row["source"].strip() for row in csv.DictReader(fh)}


def _zone_upsert(membership: dict[str, tuple[str, str]]) -> tuple[dict[str, ZonaOmogenea], int]:
    verification_by_zona: dict[str, set[str]] = {}
    for zona, verification in membership.values():
        verification_by_zona.setdefault(zona, set()).add(verification)
    zone, created = {}, 0
    for name, verifications in sorted(verification_by_zona.items()):
        # A zone is only as verified as its least-verified member.
        (only,) = verifications if len(verifications) == 1 else (None,)
        verification = (
            only
            if only in MembershipVerification.values
            else MembershipVerification.COUNT_AND_AREA_CHECK
        )
        values = {"name": name, "verification": verification, "source": ZONE_SOURCE}
        zona = ZonaOmogenea.objects.filter(slug=slugify(name)).first()
        if zona is None or not record_is_unchanged(zona, values):
            zona, was_created = ZonaOmogenea.objects.update_or_create(
                slug=slugify(name), defaults=values
            )
            created += was_created
        zone[name] = zona
    return zone, created


def _ruolo(code: str, poli: dict[str, str]) -> tuple[str, str]:
    if code == MILANO_ISTAT_CODE:
        return RuoloPTM.CITTA_CENTRALE, "PTM, art. 1 NdA: Milano città centrale"
    if code in poli:
        return RuoloPTM.POLO_ATTRATTORE, poli[code]
    return RuoloPTM.ALTRO, ""


def _comuni_upsert(comuni: list[Comune]) -> None:
    """Insert new Comuni and update changed ones, by ISTAT code, in one statement."""
    if not comuni:
        return
    Comune.objects.bulk_create(
        comuni,
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=[
            "name",
            "cadastral_code",
            "zona_omogenea",
            "ruolo_ptm",
            "ruolo_ptm_source",
            "geom",
            "source",
            "updated_at",
        ],
    )


@transaction.atomic
def territorio_load(*, data_dir: Path, poli_file: Path = POLI_FILE) -> TerritorioReport:
    """Load (or refresh) the Comuni and Zone omogenee of the CMM from ``data_dir``.

    All or nothing: a bad file leaves the database as it was.
    """
    rows = _read_comuni(Path(data_dir) / COMUNI_FILE)
    membership = _read_membership(
        Path(data_dir) / MEMBERSHIP_FILE, {row["istat_code"] for row in rows}
    )
    poli = _read_poli(poli_file)
    zone, zone_created = _zone_upsert(membership)
    report = TerritorioReport(zone_created=zone_created)
    existing = {c.istat_code: c for c in Comune.objects.all()}
    comuni = []
    for row in rows:
        code = row["istat_code"]
        zona_name = membership.get(code, (None, None))[0]
        ruolo, ruolo_source = _ruolo(code, poli)
        values = {
            **row,
            "zona_omogenea": zone.get(zona_name),
            "ruolo_ptm": ruolo,
            "ruolo_ptm_source": ruolo_source,
            "source": COMUNI_SOURCE,
        }
        if zona_name is None:
            report.unassigned.append(f"{row['name']} ({code})")
        if ruolo == RuoloPTM.POLO_ATTRATTORE:
            report.poli.append(row["name"])
        current = existing.get(code)
        if current is not None and record_is_unchanged(current, values):
            report.comuni_unchanged += 1
            continue
        comuni.append(Comune(**values))
        if current is not None:
            report.comuni_updated += 1
        else:
            report.comuni_created += 1
    _comuni_upsert(comuni)
    comune_areas_refresh()
    zona_boundaries_refresh()
    return report


def comune_derived_refresh(comune: Comune, *, previous_zona_id: int | None = None) -> None:
    """Recompute what depends on one Comune: its area and the boundary of its Zona (and of
    the Zona it left, if it moved)."""
    comune_areas_refresh([comune.pk])
    zona_boundaries_refresh({comune.zona_omogenea_id, previous_zona_id} - {None})
