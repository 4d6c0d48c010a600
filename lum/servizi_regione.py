"""Writes of the real services: upper-secondary schools, CFP and hospitals of Regione Lombardia.

``scuole_load`` and ``ospedali_load`` read their file in place from ``REMIX_DATA_DIR``
(:mod:`lum.importers`) and, in one transaction:

* skip, with the reason, rows that are not upper-secondary sites, lack a code or usable
  coordinates, name a Comune that is not one of the CMM, or whose point falls outside the CMM;
* check that each point lies in the Comune the source names. When it does not, the service is
  stored **at the source's point** and **in the Comune that contains the point** (what every map
  and every spatial analysis uses, as :meth:`lum.models.Servizio.clean` derives it); the Comune
  the source names is kept in ``istat_code_fonte`` and the loader reports the mismatch with the
  distance of the point from that Comune. Nothing is moved silently;
* create or update one :class:`~lum.models.Servizio` per source code (natural key
  ``RL-SCUOLA-<codice meccanografico>`` / ``RL-RICOVERO-<codice struttura>``), so a later
  export updates records instead of duplicating them; a record already holding its values is
  not written (its layer's data version stays);
* withdraw (``withdrawn_on``), never delete, records of the same source that the file no longer
  holds: they leave the public map and stay in the history; a later file can bring them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from layers.records import record_is_unchanged
from layers.srid import STORAGE_SRID
from lum.importers import (
    HOSPITALS_FILE,
    SCHOOLS_FILE,
    SourceRow,
    comune_name_key,
    hospitals_read,
    schools_read,
)
from lum.models import Servizio
from lum.sql import points_distance_to_comune
from remix.errors import UserInputError
from rules.publication import PublicationState
from rules.spatial import comune_ids_of_points
from territorio.models import Comune

__all__ = [
    "SCHOOLS",
    "HOSPITALS",
    "SKIP_COMUNE_OUTSIDE_CMM",
    "SKIP_POINT_OUTSIDE_CMM",
    "ERROR_NO_COMUNI",
    "LICENCE",
    "RegionalSource",
    "Mismatch",
    "ServiziReport",
    "scuole_load",
    "ospedali_load",
]

ERROR_NO_COMUNI = "Carica prima i Comuni (manage.py load_territorio)."
SKIP_COMUNE_OUTSIDE_CMM = "il Comune indicato ({comune}) non è della Città metropolitana"
SKIP_POINT_OUTSIDE_CMM = "il punto cade fuori dal confine della Città metropolitana"


@dataclass(frozen=True)
class RegionalSource:
    """One register: its file, the prefix of its natural keys and what the records credit."""

    title: str
    file_name: str
    code_prefix: str
    source: str
    source_url: str
    licence: str


LICENCE = "Open data Regione Lombardia (CC BY 4.0 / IODL 2.0)"
SCHOOLS = RegionalSource(
    title="Scuole secondarie di secondo grado e CFP",
    file_name=SCHOOLS_FILE,
    code_prefix="RL-SCUOLA-",
    source="Fonte: Regione Lombardia – dati.lombardia.it, Anagrafe Scuole Lombarde",
    source_url="https://www.dati.lombardia.it/",
    licence=LICENCE,
)
HOSPITALS = RegionalSource(
    title="Strutture di ricovero",
    file_name=HOSPITALS_FILE,
    code_prefix="RL-RICOVERO-",
    source="Fonte: Regione Lombardia – dati.lombardia.it, Georeferenziazione strutture di ricovero",
    source_url="https://www.dati.lombardia.it/",
    licence=LICENCE,
)


@dataclass(frozen=True)
class Mismatch:
    """A point that lies in another Comune than the one its source names."""

    row: SourceRow
    named: str  # "Sesto San Giovanni (015209)"
    found: str  # "Cinisello Balsamo (015077)"
    distance_m: float  # from the point to the named Comune

    def line(self) -> str:
        return (
            f"Comune diverso: {self.row.label}: la fonte indica {self.named}, il punto cade in "
            f"{self.found} a {self.distance_m:.0f} m dal Comune indicato; "
            f"registrato in {self.found}, nel punto della fonte."
        )


@dataclass
class ServiziReport:
    title: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    skipped: list[tuple[SourceRow, str]] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = [
            f"{self.title}: {self.read} righe lette; {self.created} creati, {self.updated} "
            f"aggiornati, {self.unchanged} invariati, {len(self.skipped)} saltati, "
            f"{self.withdrawn} ritirati (non più nel file); {len(self.mismatches)} in un Comune "
            "diverso da quello indicato.",
        ]
        ordered = sorted(self.skipped, key=lambda item: item[0].line)
        skipped = [f"Saltata: {row.label}: {reason}." for row, reason in ordered]
        return head + skipped + [m.line() for m in self.mismatches]


@dataclass(frozen=True)
class _Placed:
    row: SourceRow
    comune: Comune  # the Comune containing the point
    named: Comune


def _named_comune(row: SourceRow, comuni: dict[str, Comune], by_name: dict[str, Comune]):
    if row.istat_code is not None:
        return comuni.get(row.istat_code)
    return by_name.get(comune_name_key(row.comune_name))


def _place(rows: list[SourceRow], report: ServiziReport) -> list[_Placed]:
    """Rows kept, each with the Comune its point falls in and the Comune its source names."""
    comuni = {c.istat_code: c for c in Comune.objects.defer("geom")}
    by_name = {comune_name_key(c.name): c for c in comuni.values()}
    named = []
    for row in rows:
        if row.skip:
            report.skipped.append((row, row.skip))
            continue
        comune = _named_comune(row, comuni, by_name)
        if comune is None:
            shown = f"{row.comune_name} {row.istat_code or ''}".strip()
            report.skipped.append((row, SKIP_COMUNE_OUTSIDE_CMM.format(comune=shown)))
            continue
        named.append((row, comune))
    by_id = {c.id: c for c in comuni.values()}
    found = comune_ids_of_points([(row.lon, row.lat) for row, _c in named])
    placed = []
    for (row, comune), found_id in zip(named, found, strict=True):
        if found_id is None:
            report.skipped.append((row, SKIP_POINT_OUTSIDE_CMM))
        else:
            placed.append(_Placed(row, by_id[found_id], comune))
    _report_mismatches([p for p in placed if p.comune.id != p.named.id], report)
    return placed


def _report_mismatches(placed: list[_Placed], report: ServiziReport) -> None:
    points = [(p.row.lon, p.row.lat) for p in placed]
    distances = points_distance_to_comune(points, [p.named.id for p in placed])
    for p, distance in zip(placed, distances, strict=True):
        named = f"{p.named.name} ({p.named.istat_code})"
        found = f"{p.comune.name} ({p.comune.istat_code})"
        report.mismatches.append(Mismatch(p.row, named, found, distance))


def _fields(placed: _Placed, source: RegionalSource) -> dict:
    row = placed.row
    return {
        "name": row.name,
        "categoria": row.categoria,
        "comune": placed.comune,
        "geom": Point(row.lon, row.lat, srid=STORAGE_SRID),
        "attributi": {},
        "tipologia": row.tipologia,
        "studenti": row.studenti,
        "indirizzo": row.indirizzo,
        "istat_code_fonte": placed.named.istat_code,
        "source": source.source,
        "source_url": source.source_url,
        "licence": source.licence,
        "is_sample": False,
        "publication_state": PublicationState.PUBBLICATO,
        "withdrawn_on": None,
    }


def _write(placed: list[_Placed], source: RegionalSource, report: ServiziReport) -> list[str]:
    """Create, update or leave each record; returns the codes written or confirmed."""
    codes = [source.code_prefix + p.row.code for p in placed]
    existing = Servizio.objects.in_bulk(codes, field_name="code")
    new, changed = [], []
    for code, item in zip(codes, placed, strict=True):
        fields = _fields(item, source)
        record = existing.get(code)
        if record is not None and record_is_unchanged(record, fields):
            report.unchanged += 1
            continue
        record = record or Servizio(code=code)
        for name, value in fields.items():
            setattr(record, name, value)
        record.full_clean()  # derives the Comune from the point again: the same one
        if record.pk:
            record.updated_at = timezone.now()  # bulk_update does not touch auto_now
            changed.append(record)
        else:
            new.append(record)
    Servizio.objects.bulk_create(new)
    if changed:
        Servizio.objects.bulk_update(changed, [*_fields(placed[0], source), "updated_at"])
    report.created, report.updated = len(new), len(changed)
    return codes


def _withdraw_missing(source: RegionalSource, kept: list[str]) -> int:
    stale = Servizio.objects.filter(
        code__startswith=source.code_prefix, withdrawn_on__isnull=True
    ).exclude(code__in=kept)
    return stale.update(withdrawn_on=timezone.localdate(), updated_at=timezone.now())


def _load(rows: list[SourceRow], source: RegionalSource) -> ServiziReport:
    if not Comune.objects.exists():
        raise UserInputError(ERROR_NO_COMUNI, field="comune")
    report = ServiziReport(title=source.title, read=len(rows))
    placed = _place(rows, report)
    kept = _write(placed, source, report)
    report.withdrawn = _withdraw_missing(source, kept)
    return report


@transaction.atomic
def scuole_load(*, data_dir: Path) -> ServiziReport:
    """Load the upper-secondary school sites and CFP of ``cmm_scuole_secondo_ciclo.csv``."""
    return _load(schools_read(data_dir / SCHOOLS.file_name), SCHOOLS)


@transaction.atomic
def ospedali_load(*, data_dir: Path) -> ServiziReport:
    """Load the hospitals and inpatient facilities of ``cmm_strutture_ricovero.csv``."""
    return _load(hospitals_read(data_dir / HOSPITALS.file_name), HOSPITALS)
