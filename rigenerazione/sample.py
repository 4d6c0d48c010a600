"""A deterministic, realistic sample of interventions and opportunities (``is_sample=True``).

Everything here is invented and flagged as such: ``is_sample=True``, source "Dato di esempio
generato da Remix", no CUP (a plausible-looking CUP would pass for a real one). The generator
is seeded, so every run produces the same records; each has a stable ``external_id``
(``remix-sample:intervento:0001``) and ``sample_load`` creates, updates or leaves it alone, in
one transaction.

Records are spread round-robin over the Zone omogenee and, inside a Zona, over its real
Comuni. Shapes are drawn in the metric CRS around random points of the Comune polygon shrunk
by :data:`INNER_MARGIN_M`, and kept only when they lie wholly inside it, so every record is
inside its Comune.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, box

from layers.records import record_is_unchanged
from layers.srid import METRIC_SRID, STORAGE_SRID
from remix.errors import UserInputError
from rigenerazione import sample_vocabulary as vocab
from rigenerazione.importers import is_unchanged
from rigenerazione.models import Intervento, Opportunita
from rigenerazione.services import (
    FinanziamentoInput,
    intervento_create,
    intervento_update,
    opportunita_create,
    opportunita_update,
)
from rules.publication import PublicationState
from territorio.models import Comune

__all__ = [
    "SEED",
    "SAMPLE_SOURCE",
    "N_INTERVENTI",
    "N_OPPORTUNITA",
    "SampleReport",
    "sample_load",
    "ERROR_NO_TERRITORIO",
]

SEED = 20211230
SAMPLE_SOURCE = "Dato di esempio generato da Remix"
SAMPLE_LICENCE = "CC0-1.0"
N_INTERVENTI = 160
N_OPPORTUNITA = 320
REFERENCE_YEAR = 2026  # fixed, so the derived states do not change with the clock
INNER_MARGIN_M = 25.0
ERROR_NO_TERRITORIO = "Nessun Comune caricato: eseguire prima `manage.py load_territorio`."


@dataclass
class SampleReport:
    """What a sample load did, per model."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def lines(self) -> list[str]:
        return [
            f"Dati di esempio: {self.created} creati, {self.updated} aggiornati, "
            f"{self.unchanged} invariati."
        ]


@dataclass(frozen=True)
class Place:
    """A Comune and its polygon in the metric CRS, shrunk by the margin."""

    comune: Comune
    inner: shapely.Geometry


_TO_METRIC = Transformer.from_crs(STORAGE_SRID, METRIC_SRID, always_xy=True)
_TO_STORAGE = Transformer.from_crs(METRIC_SRID, STORAGE_SRID, always_xy=True)


def _project(geom: shapely.Geometry, transformer: Transformer) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(*xy.T)))


def _lonlat(metric: shapely.Geometry) -> shapely.Geometry:
    """The metric shape in the storage CRS, rounded to 7 decimals (about 1 cm)."""
    lonlat = _project(metric, _TO_STORAGE)
    return shapely.transform(lonlat, lambda xy: np.round(xy, 7))


def _to_geos(metric: shapely.Geometry) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(_lonlat(metric))), srid=STORAGE_SRID)


def _places_by_zona() -> list[list[Place]]:
    """Comuni grouped by Zona omogenea (slug order), each list in ISTAT order."""
    zone: dict[str, list[Place]] = {}
    comuni = Comune.objects.select_related("zona_omogenea").order_by("istat_code")
    for comune in comuni:
        metric = _project(shapely.from_wkb(bytes(comune.geom.wkb)), _TO_METRIC)
        inner = shapely.buffer(metric, -INNER_MARGIN_M)
        shapely.prepare(inner)
        slug = comune.zona_omogenea.slug if comune.zona_omogenea else ""
        zone.setdefault(slug, []).append(Place(comune, inner))
    return [zone[slug] for slug in sorted(zone)]


def _random_point(rng: random.Random, inner: shapely.Geometry) -> Point:
    minx, miny, maxx, maxy = inner.bounds
    while True:
        point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if inner.contains(point):
            return point


def _rectangle(rng: random.Random, centre: Point, area_m2: float) -> shapely.Geometry:
    aspect = rng.uniform(0.5, 2.0)
    width = math.sqrt(area_m2 * aspect)
    height = area_m2 / width
    rect = box(
        centre.x - width / 2, centre.y - height / 2, centre.x + width / 2, centre.y + height / 2
    )
    if rng.random() < 0.4:  # cut a corner: fewer perfect rectangles
        cut = box(centre.x, centre.y, centre.x + width, centre.y + height)
        rect = rect.difference(affinity.scale(cut, 0.5, 0.5, origin=(centre.x, centre.y)))
    return affinity.rotate(rect, rng.uniform(0, 180), origin=centre)


def _polyline(rng: random.Random, start: Point) -> LineString:
    heading = rng.uniform(0, 2 * math.pi)
    coords = [(start.x, start.y)]
    for _step in range(rng.randint(2, 5)):
        heading += rng.uniform(-0.6, 0.6)
        length = rng.uniform(120, 450)
        x, y = coords[-1]
        coords.append((x + length * math.cos(heading), y + length * math.sin(heading)))
    return LineString(coords)


def _shape_inside(rng: random.Random, place: Place, kind: str, area_m2: float = 0):
    """A shape of ``kind`` wholly inside the Comune (falls back to a point after 30 tries)."""
    for _attempt in range(30):
        centre = _random_point(rng, place.inner)
        if kind == "punto":
            return MultiPoint([centre]), "punto"
        shape = _rectangle(rng, centre, area_m2) if kind == "area" else _polyline(rng, centre)
        if shape.geom_type not in ("Polygon", "LineString") or not place.inner.contains(shape):
            continue
        multi = MultiPolygon([shape]) if kind == "area" else MultiLineString([shape])
        if shapely.is_valid(_lonlat(multi)):  # still valid once rounded
            return multi, kind
    return MultiPoint([_random_point(rng, place.inner)]), "punto"


def _cents(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _funding(rng: random.Random, kind: vocab.InterventoKind, year: int, cost: Decimal):
    """A plausible mix of 1-3 sources covering 60-100% of the cost (never above it)."""
    sources = [s for s in vocab.FUNDING_SOURCES if s.fits(kind.ambiti, year)]
    main = rng.choices(sources, weights=[s.weight for s in sources])[0]
    others = [s for s in sources if s.fonte != main.fonte]
    extra = rng.sample(others, k=min(len(others), rng.choice((0, 1, 1, 2))))
    funded = float(cost) * rng.uniform(0.6, 1.0)
    shares = [1.0]
    if extra:
        shares = [rng.uniform(0.5, 0.9)]
        shares += [(1.0 - shares[0]) / len(extra)] * len(extra)
    return [
        FinanziamentoInput(s.fonte, _cents(funded * share), s.misura(year), s.atto)
        for s, share in zip([main, *extra], shares, strict=True)
    ]


def _years(rng: random.Random) -> tuple[int, int, str]:
    start = rng.randint(2015, 2028)
    end = start + rng.randint(1, 5)
    if end < REFERENCE_YEAR:
        return start, end, "concluso"
    return start, end, "programmato" if start > REFERENCE_YEAR else "in_corso"


def _intervento_fields(rng: random.Random, index: int, place: Place) -> dict:
    kind = rng.choice(vocab.INTERVENTO_KINDS)
    geom_kind = rng.choice(kind.geometries)
    geom, localizzazione = _shape_inside(rng, place, geom_kind, rng.uniform(1_500, 60_000))
    start, end, stato = _years(rng)
    cost = Decimal(round(math.exp(rng.uniform(math.log(8e4), math.log(1.5e7))), -3))
    return {
        "external_id": f"remix-sample:intervento:{index:04d}",
        "title": f"{kind.title(rng)} a {place.comune.name}",
        "description": kind.description,
        "geom": _to_geos(geom),
        "localizzazione": localizzazione,
        "stato": stato,
        "anno_inizio": start,
        "anno_fine": end,
        "costo_totale": cost,
        "soggetto_attuatore": kind.soggetto(rng, place.comune.name),
        "ambiti_ricaduta": list(kind.ambiti),
        "sttm": sorted(rng.sample([1, 2, 3], k=rng.choice((1, 1, 2)))),
        "finanziamenti": _funding(rng, kind, start, cost),
        "comuni": [place.comune],
        **_sample_flags(),
    }


def _opportunita_fields(rng: random.Random, index: int, place: Place) -> dict:
    kind = rng.choices(
        vocab.OPPORTUNITA_KINDS, weights=[k.weight for k in vocab.OPPORTUNITA_KINDS]
    )[0]
    area = math.exp(rng.uniform(math.log(3_000), math.log(150_000)))
    geom, _kind = _shape_inside(rng, place, "area", area)
    if geom.geom_type != "MultiPolygon":  # Comune too small for this area: a smaller one
        geom, _kind = _shape_inside(rng, place, "area", 2_000)
    title, pgt = kind.render(rng)
    act_year = rng.randint(2012, 2025)
    act = {
        "atto_numero": f"DCC n. {rng.randint(1, 90)}" if kind.has_act else "",
        "atto_data": date(act_year, rng.randint(1, 12), rng.randint(1, 28))
        if kind.has_act
        else None,
    }
    return {
        "external_id": f"remix-sample:opportunita:{index:04d}",
        "title": title,
        "description": kind.description,
        "tipo": kind.tipo,
        "geom": _to_geos(geom),
        "comune": place.comune,
        "destinazioni_uso": sorted(rng.sample(vocab.DESTINAZIONI_USO, k=rng.randint(1, 3))),
        "stato": rng.choices(("disponibile", "in_attuazione", "attuata"), (6, 3, 1))[0],
        "riferimento_pgt": pgt,
        **act,
        **_sample_flags(),
    }


def _sample_flags() -> dict:
    return {
        "publication_state": PublicationState.PUBBLICATO,
        "is_sample": True,
        "source": SAMPLE_SOURCE,
        "licence": SAMPLE_LICENCE,
    }


def generate() -> tuple[list[dict], list[dict]]:
    """The sample's field dicts (interventi, opportunità), the same on every call."""
    rng = random.Random(SEED)
    zone = _places_by_zona()
    if not zone:
        raise UserInputError(ERROR_NO_TERRITORIO)
    interventi = [
        _intervento_fields(rng, i + 1, rng.choice(zone[i % len(zone)])) for i in range(N_INTERVENTI)
    ]
    opportunita = [
        _opportunita_fields(rng, i + 1, rng.choice(zone[i % len(zone)]))
        for i in range(N_OPPORTUNITA)
    ]
    return interventi, opportunita


def _upsert(model, fields: dict, report: SampleReport) -> None:
    current = model.objects.filter(external_id=fields["external_id"]).first()
    if model is Intervento:
        unchanged, create, update = is_unchanged, intervento_create, intervento_update
        key = "intervento"
    else:
        unchanged, create, update = record_is_unchanged, opportunita_create, opportunita_update
        key = "opportunita"
    if current is None:
        create(**fields)
        report.created += 1
    elif unchanged(current, fields):
        report.unchanged += 1
    else:
        update(**{key: current}, **fields)
        report.updated += 1


@transaction.atomic
def sample_load() -> SampleReport:
    """Create or update the seeded sample (by ``external_id``); all or nothing."""
    report = SampleReport()
    interventi, opportunita = generate()
    for model, records in ((Intervento, interventi), (Opportunita, opportunita)):
        for fields in records:
            try:
                _upsert(model, fields, report)
            except ValidationError as exc:
                message = f"{fields['external_id']}: {'; '.join(exc.messages)}"
                raise UserInputError(message) from exc
    return report
