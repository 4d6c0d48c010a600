"""Reading Regione Lombardia's registers of schools and hospitals (CSV files in REMIX_DATA_DIR).

Both files keep the source's columns (SOURCES.md): coordinates with a decimal comma, in the
hospitals file ``COORDINATA GEOGRAFICA X`` is the *latitude*; ISTAT codes in the schools file
lack the leading zero. Each row becomes a :class:`SourceRow`: either ready to load or carrying
the reason it is skipped. Nothing here touches the database; :mod:`lum.servizi_regione` checks
the rows against the Comuni and writes them.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lum.istat import istat_code_normalise
from lum.models import CategoriaServizio
from remix.errors import UserInputError

__all__ = [
    "ERROR_FILE_MISSING",
    "ERROR_COLUMNS",
    "SKIP_NOT_UPPER_SECONDARY",
    "SKIP_NO_CODE",
    "SKIP_DUPLICATE",
    "SKIP_NO_COORDINATES",
    "SKIP_BAD_COORDINATES",
    "SKIP_BAD_STUDENTS",
    "SKIP_BAD_ISTAT",
    "SCHOOLS_FILE",
    "HOSPITALS_FILE",
    "SourceRow",
    "comune_name_key",
    "decimal_comma",
    "schools_read",
    "hospitals_read",
]

SCHOOLS_FILE = "cmm_scuole_secondo_ciclo.csv"
HOSPITALS_FILE = "cmm_strutture_ricovero.csv"

ERROR_FILE_MISSING = "File dei dati mancante: {path}."
ERROR_COLUMNS = "{file}: mancano le colonne {columns}."

SKIP_NOT_UPPER_SECONDARY = "sede non di secondo ciclo ({kind})"
SKIP_NO_CODE = "senza codice della sede"
SKIP_DUPLICATE = "codice ripetuto (già alla riga {line})"
SKIP_NO_COORDINATES = "senza coordinate"
SKIP_BAD_COORDINATES = "coordinate non valide ({lat}, {lon})"
SKIP_BAD_STUDENTS = "numero di allievi non valido ({value!r})"
SKIP_BAD_ISTAT = "codice ISTAT del Comune non valido ({value!r})"

UPPER_SECONDARY = "Istituto Istruzione Secondario Secondo grado"
CFP = "Cfp"
ORDINARY_SITE = "Ordinaria"

SCHOOL_COLUMNS = (
    "CLASSIFICAZIONE",
    "COD_MECCANOGRAFICO_SEDE",
    "DENOM_SEDE",
    "TIPO_SEDE",
    "MACROTIPOLOGIA_SEDE",
    "TIPOLOGIA_SEDE",
    "ALLIEVI_SEDE",
    "COMUNE_SEDE",
    "INDIRIZZO_SEDE",
    "CIVICO_SEDE",
    "CAP_SEDE",
    "COD_ISTAT_SEDE",
    "coorY",
    "coorX",
)
HOSPITAL_COLUMNS = (
    "DESCRIZIONE STRUTTURA DI RICOVERO",
    "CODICE STRUTTURA DI RICOVERO",
    "INDIRIZZO",
    "CAP",
    "LOCALITA",
    "COORDINATA GEOGRAFICA X",
    "COORDINATA GEOGRAFICA Y",
)


@dataclass(frozen=True)
class SourceRow:
    """One row of a register: what to store, or ``skip`` saying why it is left out.

    ``istat_code`` is the Comune the source names, normalised (schools), or None when the
    source names it only in words (hospitals: ``comune_name``).
    """

    line: int
    code: str
    name: str
    categoria: str
    comune_name: str
    istat_code: str | None = None
    lon: float | None = None
    lat: float | None = None
    tipologia: str = ""
    studenti: int | None = None
    indirizzo: str = ""
    skip: str | None = None

    @property
    def label(self) -> str:
        """How the report names the row: line, code and name."""
        return f"riga {self.line}, {self.code or '—'} «{self.name}»"


def comune_name_key(name: str) -> str:
    """A Comune's name folded for comparison: no accents, upper case, one kind of apostrophe,
    single spaces ("Cassano d’Adda" and "CASSANO D'ADDA" give the same key)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("’", "'").upper().split())


def decimal_comma(value: str) -> float | None:
    """``"45,4547"`` → 45.4547; empty → None; anything else raises ValueError."""
    text = value.strip()
    return float(text.replace(",", ".")) if text else None


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise UserInputError(ERROR_FILE_MISSING.format(path=path), field="REMIX_DATA_DIR")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            message = ERROR_COLUMNS.format(file=path.name, columns=", ".join(missing))
            raise UserInputError(message, field="columns")
        for number, record in enumerate(reader, start=2):  # line 1 is the header
            yield number, {key: (value or "").strip() for key, value in record.items() if key}


def _located(row: SourceRow, lat_text: str, lon_text: str) -> SourceRow:
    """The row with its coordinates, or skipped when they are missing or out of range."""
    try:
        lat, lon = decimal_comma(lat_text), decimal_comma(lon_text)
    except ValueError:
        lat = lon = float("nan")
    if lat is None or lon is None:
        return replace(row, skip=SKIP_NO_COORDINATES)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for NaN
        return replace(row, skip=SKIP_BAD_COORDINATES.format(lat=lat_text, lon=lon_text))
    return replace(row, lat=lat, lon=lon)


def _unique(rows: list[SourceRow]) -> list[SourceRow]:
    """Skip every repetition of a code already seen on an earlier line."""
    first: dict[str, int] = {}
    out = []
    for row in rows:
        if row.skip is None and row.code in first:
            row = replace(row, skip=SKIP_DUPLICATE.format(line=first[row.code]))
        elif row.skip is None:
            first[row.code] = row.line
        out.append(row)
    return out


def _school_categoria(record: dict[str, str]) -> str | None:
    if CFP in (record["CLASSIFICAZIONE"], record["MACROTIPOLOGIA_SEDE"]):
        return CategoriaServizio.FORMAZIONE
    if record["MACROTIPOLOGIA_SEDE"] == UPPER_SECONDARY:
        return CategoriaServizio.SCUOLA_SECONDARIA
    return None


def _school_row(line: int, record: dict[str, str]) -> SourceRow:
    tipologia = record["TIPOLOGIA_SEDE"]
    if record["TIPO_SEDE"] and record["TIPO_SEDE"] != ORDINARY_SITE:
        tipologia = f"{tipologia} – sede {record['TIPO_SEDE'].lower()}"
    street = " ".join(x for x in (record["INDIRIZZO_SEDE"], record["CIVICO_SEDE"]) if x)
    row = SourceRow(
        line=line,
        code=record["COD_MECCANOGRAFICO_SEDE"],
        name=record["DENOM_SEDE"],
        categoria=_school_categoria(record) or "",
        comune_name=record["COMUNE_SEDE"],
        tipologia=tipologia,
        indirizzo=f"{street}, {record['CAP_SEDE']} {record['COMUNE_SEDE']}".strip(", "),
    )
    if not row.categoria:
        return replace(
            row, skip=SKIP_NOT_UPPER_SECONDARY.format(kind=record["MACROTIPOLOGIA_SEDE"])
        )
    if not row.code:
        return replace(row, skip=SKIP_NO_CODE)
    students = record["ALLIEVI_SEDE"]
    if students and not students.isdigit():
        return replace(row, skip=SKIP_BAD_STUDENTS.format(value=students))
    try:
        istat_code = istat_code_normalise(record["COD_ISTAT_SEDE"])
    except ValueError:
        return replace(row, skip=SKIP_BAD_ISTAT.format(value=record["COD_ISTAT_SEDE"]))
    row = replace(row, studenti=int(students) if students else None, istat_code=istat_code)
    return _located(row, record["coorY"], record["coorX"])  # coorY is the latitude


def _hospital_row(line: int, record: dict[str, str]) -> SourceRow:
    address = f"{record['INDIRIZZO']}, {record['CAP']} {record['LOCALITA']}".strip(", ")
    row = SourceRow(
        line=line,
        code=record["CODICE STRUTTURA DI RICOVERO"],
        name=record["DESCRIZIONE STRUTTURA DI RICOVERO"],
        categoria=CategoriaServizio.SANITA,
        comune_name=record["LOCALITA"],
        indirizzo=address,
    )
    if not row.code:
        return replace(row, skip=SKIP_NO_CODE)
    # NB: in this file X is the latitude and Y the longitude.
    return _located(row, record["COORDINATA GEOGRAFICA X"], record["COORDINATA GEOGRAFICA Y"])


def _read(
    path: Path, columns: tuple[str, ...], parse: Callable[[int, dict], SourceRow]
) -> list[SourceRow]:
    return _unique([parse(line, record) for line, record in _rows(path, columns)])


def schools_read(path: Path) -> list[SourceRow]:
    """Every row of the upper-secondary schools file (Anagrafe Scuole Lombarde), in order."""
    return _read(path, SCHOOL_COLUMNS, _school_row)


def hospitals_read(path: Path) -> list[SourceRow]:
    """Every row of the inpatient facilities file (strutture di ricovero), in order."""
    return _read(path, HOSPITAL_COLUMNS, _hospital_row)
