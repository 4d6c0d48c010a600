"""The portal's search box, ``GET /api/search/?q=``: Comuni and every layer with search_fields.

Each layer declares the ORM lookups its records are found by (``Layer.search_fields``); the
Comuni are always searchable by name. Only what the layer publishes (``get_queryset()``) is
searched, so drafts never show up. The search forgives: accents and case (PostgreSQL
``unaccent``), partial words and abbreviations (word-start regular expressions), and ranks hits by
trigram word similarity (``pg_trgm``), real records before sample ones, one hit per name. Each
hit carries its bounding box and a point on its surface, computed by PostGIS, so the map can
zoom to it.
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib.gis.db.models.functions import Envelope, PointOnSurface
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.params import publishing_view
from layers.registry import Layer, registry
from remix.errors import UserInputError

__all__ = ["MIN_CHARS", "MAX_CHARS", "PER_LAYER", "QUERY_TOO_SHORT", "QUERY_TOO_LONG", "search"]

MIN_CHARS = 2
MAX_CHARS = 100
PER_LAYER = 8
QUERY_TOO_SHORT = f"q: scrivere almeno {MIN_CHARS} caratteri da cercare."
QUERY_TOO_LONG = f"q: il testo da cercare può avere al massimo {MAX_CHARS} caratteri."
MAX_RESULTS = 20
PREFIX_BONUS = 0.5
# Words people type for what names abbreviate ("Sesto San Giovanni" → "Sesto S. Giovanni").
ABBREVIATIONS = {
    "san": ("s",), "santo": ("s",), "santa": ("s",), "s": ("san", "santo", "santa"),
    "stazione": ("fs", "staz"), "ferrovia": ("fs",), "primo": ("1",), "1": ("primo",),
}  # fmt: skip
# Words that say what kind of place is meant, not which: dropped when others remain.
GENERIC_WORDS = {"stazione", "staz", "fermata", "fs", "comune", "di", "del", "della"}
# Layers searchable even when their declaration names no search_fields.
DEFAULT_SEARCH_FIELDS = {"comuni": ("name",)}


def searchable_layers() -> list[tuple[Layer, tuple[str, ...]]]:
    """Every available layer that can be searched, with the lookups to match."""
    found = []
    for layer in registry.all():
        fields = layer.search_fields or DEFAULT_SEARCH_FIELDS.get(layer.id, ())
        if fields:
            found.append((layer, tuple(fields)))
    return found


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: what unaccent(lower()) gives in SQL."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def token_patterns(text: str) -> list[str]:
    """One PostgreSQL regular expression per word of ``text``, each matching a word start
    (so "giov" finds "Giovanni") or a known abbreviation ("San" finds "S."). Generic words
    ("stazione") are dropped when other words remain: "Rho stazione" finds Rho's stations."""
    words = normalise(text).split()
    specific = [w for w in words if w not in GENERIC_WORDS] or words
    patterns = []
    for word in specific:
        variants = [word, *ABBREVIATIONS.get(word, ())]
        alternatives = [rf"\m{v}\M" if len(v) == 1 else rf"\m{v}" for v in variants]
        patterns.append("(" + "|".join(alternatives) + ")")
    return patterns


def _haystack(fields: tuple[str, ...]):
    """unaccent(lower(field1 || ' ' || field2 ...)) of the searched fields."""
    parts = []
    for lookup in fields:
        text = Cast(F(lookup), TextField())
        parts += [Coalesce(text, Value(""), output_field=TextField()), Value(" ")]
    joined = Concat(*parts, output_field=TextField())
    return Unaccent(Lower(joined, output_field=TextField()), output_field=TextField())


def layer_hits(layer: Layer, fields: tuple[str, ...], text: str) -> list[dict]:
    """Published records of ``layer`` whose ``fields`` hold every word of ``text`` (accents,
    case and abbreviations forgiven), best match first (trigram word similarity), sample
    records after real ones, one hit per name; at most PER_LAYER."""
    patterns = token_patterns(text)
    if not patterns:
        return []
    rows = layer.get_queryset().annotate(rx_hay=_haystack(fields))
    for pattern in patterns:
        rows = rows.filter(rx_hay__regex=pattern)
    model_fields = {f.name for f in layer.model._meta.get_fields()}
    sample = F("is_sample") if "is_sample" in model_fields else Value(False)
    rows = rows.annotate(
        rx_id=F(layer.id_field),
        rx_name=F(fields[0]),
        rx_score=TrigramWordSimilarity(Value(normalise(text), output_field=TextField()), "rx_hay"),
        rx_sample=sample,
        rx_box=Envelope(layer.geometry_field),
        rx_point=PointOnSurface(layer.geometry_field),
    ).order_by("rx_sample", "-rx_score", fields[0])
    values = list(
        rows.values("rx_id", "rx_name", "rx_score", "rx_box", "rx_point")[: PER_LAYER * 5]
    )
    # A name that starts with the text beats one that only contains it ("mila" → Milano).
    needle = normalise(text)
    for row in values:
        row["rx_score"] += PREFIX_BONUS if normalise(str(row["rx_name"])).startswith(needle) else 0
    hits, seen = [], set()
    for row in sorted(values, key=lambda r: -r["rx_score"]):
        if row["rx_name"] in seen:
            continue
        seen.add(row["rx_name"])
        hits.append(_hit(layer, row))
    return hits[:PER_LAYER]


def _hit(layer: Layer, row: dict) -> dict:
    point = row["rx_point"]
    return {
        "name": str(row["rx_name"]),
        "layer": layer.id,
        "layer_title": layer.title,
        "id": row["rx_id"],
        "bbox": [round(v, 6) for v in row["rx_box"].extent] if row["rx_box"] else None,
        "centroid": [round(point.x, 6), round(point.y, 6)] if point else None,
        "url": layer.detail_url(row["rx_id"]),
        "score": round(float(row["rx_score"]), 4),
    }


def search_text(value: str | None) -> str:
    """The cleaned search text, or UserInputError when too short or too long."""
    text = (value or "").strip()
    if len(text) < MIN_CHARS:
        raise UserInputError(QUERY_TOO_SHORT, field="q")
    if len(text) > MAX_CHARS:
        raise UserInputError(QUERY_TOO_LONG, field="q")
    return text


@require_GET
@publishing_view(accepts=("q",))
def search(request: HttpRequest) -> JsonResponse:
    """``{"query": ..., "results": [{"name", "layer", "layer_title", "id", "bbox", "centroid",
    "url"}]}``, Comuni first, then the layers in registration order."""
    text = search_text(request.GET.get("q"))
    results = []
    for rank, (layer, fields) in enumerate(searchable_layers()):
        results.extend((hit, rank) for hit in layer_hits(layer, fields, text))
    # Best match first across layers; on a tie, Comuni, then the layers in registration order.
    results.sort(key=lambda item: (-item[0]["score"], item[1]))
    results = [hit for hit, _ in results[:MAX_RESULTS]]
    return JsonResponse(
        {"query": text, "results": results}, json_dumps_params={"ensure_ascii": False}
    )
