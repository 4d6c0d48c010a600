"""A deterministic, plausible *sample* of services of supra-municipal rank.

Only for the categories with no open data in ``REMIX_DATA_DIR``: upper-secondary schools,
vocational training and hospitals are real (:data:`lum.models.SOURCED_CATEGORIES`, loaded by
:mod:`lum.servizi_regione`) and never generated; loading the sample again removes any sample
record of those categories left by an older version. The other categories need invented
records. They are placed inside the real Comuni (more in Milano and in the poli urbani
attrattori, some near each LUM so that the Atlante has something to show), flagged
``is_sample=True``, named "… (esempio)" and labelled "Dato di esempio" everywhere. Same seed,
same records: loading twice changes nothing and writes nothing (natural key ``code``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction
from django.db.models import Q

from layers.records import record_is_unchanged
from layers.srid import STORAGE_SRID
from lum.models import SOURCED_CATEGORIES, CategoriaServizio, Lum, Servizio
from lum.sql import comune_random_points, point_offset, square_around
from rules.publication import PublicationState
from rules.spatial import comune_ids_of_points
from territorio.models import Comune, RuoloPTM

__all__ = [
    "SAMPLE_SEED",
    "SAMPLE_SOURCE",
    "SAMPLE_CATEGORIES",
    "SampleReport",
    "servizi_sample_load",
]

SAMPLE_SEED = 20260702
SAMPLE_SOURCE = "Dato di esempio generato da Remix (non è un dato ufficiale)"
C = CategoriaServizio

# name pattern, whether the service is drawn as an area, size attributes (key: (min, max)).
CATALOGUE: dict[str, tuple[str, bool, dict[str, tuple[int, int]]]] = {
    C.UNIVERSITA: (
        "Polo universitario di {comune}",
        True,
        {"iscritti": (800, 9000), "corsi": (2, 18)},
    ),
    C.CULTURA: (
        "Polo culturale di {comune}",
        False,
        {"superficie_m2": (400, 6000), "posti": (80, 900)},
    ),
    C.SPORT: ("Centro sportivo di {comune}", True, {"capienza": (300, 5000)}),
    C.PERSONA: ("Centro servizi alla persona di {comune}", False, {"utenti": (500, 12000)}),
    C.PA: ("Sede territoriale della PA a {comune}", False, {"sportelli": (2, 25)}),
}
# The categories drawn: those of the catalogue, none of them with a real source.
SAMPLE_CATEGORIES = [c for c in C.values if c in CATALOGUE and c not in SOURCED_CATEGORIES]
PER_COMUNE = {RuoloPTM.CITTA_CENTRALE: 24, RuoloPTM.POLO_ATTRATTORE: 6, RuoloPTM.ALTRO: 1}
NEAR_LUM = 2  # services placed within 700 m of each LUM
AREA_HALF_SIDE_M = (60, 140)


@dataclass
class SampleReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def lines(self) -> list[str]:
        return [
            f"Servizi di esempio: {self.created} creati, {self.updated} aggiornati, "
            f"{self.unchanged} invariati, {self.deleted} eliminati."
        ]


@dataclass(frozen=True)
class _Draft:
    code: str
    categoria: str
    comune: Comune
    lon: float
    lat: float


def _drafts(rng: random.Random) -> list[_Draft]:
    drafts = []
    for comune in Comune.objects.order_by("istat_code").defer("geom"):
        count = PER_COMUNE.get(comune.ruolo_ptm, 1) + rng.randint(0, 1)
        points = comune_random_points(comune.id, count, SAMPLE_SEED + int(comune.istat_code))
        for i, (lon, lat) in enumerate(points):
            categoria = rng.choice(SAMPLE_CATEGORIES)
            drafts.append(_Draft(f"S-{comune.istat_code}-{i:02d}", categoria, comune, lon, lat))
    comuni = {c.id: c for c in Comune.objects.defer("geom")}
    for lum in Lum.objects.published().order_by("code"):
        for i in range(NEAR_LUM):
            dx, dy = rng.uniform(-650, 650), rng.uniform(-450, 450)
            lon, lat = point_offset(lum.geom.x, lum.geom.y, dx, dy)
            comune_id = comune_ids_of_points([(lon, lat)])[0]
            if comune_id:
                code = f"S-{lum.code}-{i}"[:40]
                drafts.append(
                    _Draft(code, rng.choice(SAMPLE_CATEGORIES), comuni[comune_id], lon, lat)
                )
    return drafts


def _fields(draft: _Draft, rng: random.Random, numbers: dict[str, int]) -> dict:
    pattern, is_area, sizes = CATALOGUE[draft.categoria]
    numbers[draft.comune.name] = numbers.get(draft.comune.name, 0) + 1
    name = pattern.format(comune=draft.comune.name, n=numbers[draft.comune.name])
    if is_area:
        geom = GEOSGeometry(square_around(draft.lon, draft.lat, rng.randint(*AREA_HALF_SIDE_M)))
    else:
        geom = Point(draft.lon, draft.lat, srid=STORAGE_SRID)
    return {
        "name": f"{name} (esempio)",
        "categoria": draft.categoria,
        "comune": draft.comune,
        "geom": geom,
        "attributi": {key: rng.randint(*bounds) for key, bounds in sizes.items()},
        "is_sample": True,
        "source": SAMPLE_SOURCE,
        "licence": "CC0-1.0",
        "publication_state": PublicationState.PUBBLICATO,
    }


@transaction.atomic
def servizi_sample_load() -> SampleReport:
    """Create or update the sample services; drop sample services no longer generated."""
    rng = random.Random(SAMPLE_SEED)
    report = SampleReport()
    numbers: dict[str, int] = {}
    codes = []
    drafts = _drafts(rng)
    existing = Servizio.objects.in_bulk([d.code for d in drafts], field_name="code")
    for draft in drafts:
        codes.append(draft.code)
        fields = _fields(draft, rng, numbers)  # always: it draws from the seeded generator
        if draft.code in existing and record_is_unchanged(existing[draft.code], fields):
            report.unchanged += 1
            continue
        _obj, created = Servizio.objects.update_or_create(code=draft.code, defaults=fields)
        report.created += created
        report.updated += not created
    stale = Servizio.objects.filter(is_sample=True).filter(
        ~Q(code__in=codes) | Q(categoria__in=SOURCED_CATEGORIES)
    )
    report.deleted = stale.delete()[0]
    return report
