"""Writes of the lum app: seeding the LUM from the real station files and the sample services.

``lum_load`` reads ``cmm_stazioni_ferroviarie.geojson`` and ``cmm_stazioni_metro.geojson`` in
place from ``REMIX_DATA_DIR``. Rules (documented in docs/lum.md):

* a stop whose point falls in the Comune di Milano (or in no Comune of the CMM) is left out;
* stops within ``MERGE_DISTANCE_M`` of each other (chained, any mode) make one LUM, whose point
  is the first rail station of the group (else the first metro stop), by source code;
* rank: *metropolitano* when the LUM is served by the metro or by suburban S lines,
  *sovracomunale* otherwise (regional R/RE trains only);
* every stop in the files exists today: state *esistente*.

Both loaders run in one transaction and are idempotent on the natural key ``code``; a LUM that
already holds its values is not written again (so the layer's data version stays).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction

from layers.records import record_is_unchanged
from layers.srid import STORAGE_SRID
from lum.models import Lum, ModoTrasporto, RangoLum, StatoLum
from lum.sql import points_cluster
from remix.errors import UserInputError
from rules.publication import PublicationState
from rules.spatial import comune_ids_of_points
from territorio.models import MILANO_ISTAT_CODE, Comune

__all__ = [
    "RAIL_FILE",
    "METRO_FILE",
    "MERGE_DISTANCE_M",
    "RAIL_SOURCE",
    "METRO_SOURCE",
    "Stop",
    "LumReport",
    "stops_read",
    "lum_rank",
    "lum_load",
]

RAIL_FILE = "cmm_stazioni_ferroviarie.geojson"
METRO_FILE = "cmm_stazioni_metro.geojson"
MERGE_DISTANCE_M = 300.0
RAIL_SOURCE = "Fonte: Regione Lombardia – dati.lombardia.it, Flussi Stazioni Ferroviarie"
RAIL_URL = "https://www.dati.lombardia.it/d/m2u2-frtq"
METRO_SOURCE = "Fonte: Comune di Milano – dati.comune.milano.it (tpl_metrofermate)"
METRO_URL = "https://dati.comune.milano.it/dataset/b7344a8f-0ef5-424b-a902-f7f06e32dd67"
METRO_LICENCE = "CC-BY-4.0"
RAIL_LICENCE = "Open data Regione Lombardia"

ERROR_FILE_MISSING = "File dei dati mancante: {path}."
ERROR_BAD_STOP = "{file}, fermata {code}: {reason}."

SMALL_WORDS = {"di", "de", "del", "della", "dei", "al", "alla", "sul", "sulla", "in", "e", "de'"}


@dataclass(frozen=True)
class Stop:
    """One stop read from a station file."""

    code: str
    name: str
    mode: str
    lines: tuple[str, ...]
    suburban: bool
    boardings: int | None
    lon: float
    lat: float
    source: str

    @property
    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "mode": self.mode,
            "lines": list(self.lines),
            "source": self.source,
        }


@dataclass
class LumReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    stops_read: int = 0
    stops_in_milano: int = 0

    def lines(self) -> list[str]:
        return [
            f"Fermate lette: {self.stops_read}; nel Comune di Milano (escluse): "
            f"{self.stops_in_milano}.",
            f"LUM: {self.created} creati, {self.updated} aggiornati, {self.unchanged} invariati, "
            f"{self.deleted} eliminati.",
        ]


def _cap(word: str) -> str:
    """Capitalise each part of a word split by '.', '-', '/' or "'" ("s.zenone" → "S.Zenone")."""
    out, upper_next = [], True
    for ch in word.lower():
        out.append(ch.upper() if upper_next else ch)
        upper_next = ch in ".-'/"
    return "".join(out)


def _nice_name(raw: str) -> str:
    """Station names from upper case to title case, keeping FS/FN and small words."""
    words = []
    for word in raw.strip().split():
        low = word.lower()
        if low in SMALL_WORDS and words:
            words.append(low)
        elif low in ("fs", "fn") or any(ch.isdigit() for ch in word):
            words.append(word.upper())
        else:
            words.append(_cap(word))
    return " ".join(words)


def _read_features(path: Path) -> list[dict]:
    if not path.exists():
        raise UserInputError(ERROR_FILE_MISSING.format(path=path), field="REMIX_DATA_DIR")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def _stop_from_feature(feature: dict, file_name: str) -> Stop:
    props = feature["properties"]
    geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=STORAGE_SRID)
    if geometry.geom_type != "Point":
        raise UserInputError(
            ERROR_BAD_STOP.format(file=file_name, code=props.get("id"), reason="non è un punto"),
            field="geometry",
        )
    if props.get("mode") == "metro":
        lines = tuple(x.strip() for x in str(props.get("lines") or "").split(",") if x.strip())
        mode, suburban, boardings, source = ModoTrasporto.METRO, False, None, METRO_SOURCE
    else:
        lines = tuple(
            label
            for label, present in (
                ("S", props.get("suburban_s")),
                ("R", props.get("boardings_r")),
                ("RE", props.get("boardings_re")),
            )
            if present
        )
        mode, suburban, source = ModoTrasporto.TRENO, bool(props.get("suburban_s")), RAIL_SOURCE
        boardings = props.get("boardings_24h")
    return Stop(
        code=str(props["id"]),
        name=_nice_name(str(props["name"])),
        mode=mode,
        lines=lines,
        suburban=suburban,
        boardings=boardings,
        lon=geometry.x,
        lat=geometry.y,
        source=source,
    )


def stops_read(data_dir: Path) -> list[Stop]:
    """Every stop of both station files, rail first, each file in code order."""
    stops = []
    for file_name in (RAIL_FILE, METRO_FILE):
        features = _read_features(data_dir / file_name)
        file_stops = [_stop_from_feature(f, file_name) for f in features]
        stops.extend(sorted(file_stops, key=lambda s: s.code))
    return stops


def lum_rank(stops: list[Stop]) -> str:
    """Metropolitano when served by the metro or by suburban S lines, else sovracomunale."""
    if any(s.mode == ModoTrasporto.METRO or s.suburban for s in stops):
        return RangoLum.METROPOLITANO
    return RangoLum.SOVRACOMUNALE


def _lum_fields(group: list[Stop], comune_id: int) -> dict:
    head = group[0]
    names = list(dict.fromkeys(s.name for s in group))
    modes = [m for m in ModoTrasporto.values if any(s.mode == m for s in group)]
    lines = list(dict.fromkeys(line for s in group for line in s.lines))
    rail = [s for s in group if s.mode == ModoTrasporto.TRENO]
    sources = list(dict.fromkeys(s.source for s in group))
    return {
        "name": " / ".join(names),
        "comune_id": comune_id,
        "geom": Point(head.lon, head.lat, srid=STORAGE_SRID),
        "modes": modes,
        "lines": lines,
        "rank": lum_rank(group),
        "stato": StatoLum.ESISTENTE,
        "stations": [s.as_json for s in group],
        "boardings_24h": sum(s.boardings or 0 for s in rail) if rail else None,
        "source": "; ".join(sources),
        "source_url": RAIL_URL if rail else METRO_URL,
        "licence": RAIL_LICENCE if rail else METRO_LICENCE,
        "publication_state": PublicationState.PUBBLICATO,
        "is_sample": False,
    }


def _groups_outside_milano(stops: list[Stop], report: LumReport) -> list[tuple[list[Stop], int]]:
    comune_ids = comune_ids_of_points([(s.lon, s.lat) for s in stops])
    milano_id = Comune.objects.filter(istat_code=MILANO_ISTAT_CODE).values_list("id", flat=True)
    milano = milano_id.first()
    kept = [(s, c) for s, c in zip(stops, comune_ids, strict=True) if c and c != milano]
    report.stops_in_milano = len(stops) - len(kept)
    clusters = points_cluster([(s.lon, s.lat) for s, _c in kept], MERGE_DISTANCE_M)
    groups: dict[int, list[tuple[Stop, int]]] = {}
    for item, cluster in zip(kept, clusters, strict=True):
        groups.setdefault(cluster, []).append(item)
    # The head of a group is its first stop in reading order: rail before metro, by code.
    return [([s for s, _c in items], items[0][1]) for items in groups.values()]


@transaction.atomic
def lum_load(*, data_dir: Path) -> LumReport:
    """Create or update one LUM per group of stops outside Milano; drop LUM no longer seeded."""
    report = LumReport()
    stops = stops_read(data_dir)
    report.stops_read = len(stops)
    if not Comune.objects.exists():
        raise UserInputError("Carica prima i Comuni (manage.py load_territorio).", field="comune")
    seen = []
    groups = _groups_outside_milano(stops, report)
    existing = Lum.objects.in_bulk(
        ["+".join(s.code for s in g) for g, _c in groups], field_name="code"
    )
    for group, comune_id in groups:
        code = "+".join(s.code for s in group)
        seen.append(code)
        fields = _lum_fields(group, comune_id)
        if code in existing and record_is_unchanged(existing[code], fields):
            report.unchanged += 1
            continue
        _lum, created = Lum.objects.update_or_create(code=code, defaults=fields)
        report.created += created
        report.updated += not created
    stale = Lum.objects.filter(source__in=_seeded_sources()).exclude(code__in=seen)
    report.deleted = stale.delete()[0]
    for lum in Lum.objects.filter(code__in=seen):
        lum.full_clean()
    return report


def _seeded_sources() -> list[str]:
    both = (f"{RAIL_SOURCE}; {METRO_SOURCE}", f"{METRO_SOURCE}; {RAIL_SOURCE}")
    return [RAIL_SOURCE, METRO_SOURCE, *both]
