"""The template files a Comune downloads, fills in and uploads (GeoJSON or GeoPackage).

Built from the importable fields of :mod:`contributi.importers.mapping`, with one example
feature, so the template and the importer cannot drift apart.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

from contributi.importers.mapping import TARGETS
from layers.srid import STORAGE_SRID

__all__ = ["template_file", "EXAMPLES"]

EXAMPLES = {
    "interventi": {
        "title": "Esempio: riqualificazione della piazza del mercato",
        "description": "Sostituisci questa riga con i tuoi interventi.",
        "stato": "programmato",
        "anno_inizio": 2025,
        "anno_fine": 2027,
        "costo_totale": 250000.0,
        "soggetto_attuatore": "Comune",
        "cup": "",
        "tipologia": "",
        "fonte": "pnrr",
        "importo_finanziato": 200000.0,
        "misura": "M5C2 I2.1",
    },
    "opportunita": {
        "title": "Esempio: area dismessa ex deposito",
        "description": "Sostituisci questa riga con le tue aree.",
        "tipo": "area_dismessa",
        "stato": "disponibile",
        "riferimento_pgt": "",
        "atto_numero": "",
    },
}
# A small square in Milano: the example must be replaced by the Comune's own geometry.
_EXAMPLE_GEOMETRY = box(9.1890, 45.4630, 9.1910, 45.4650)
CONTENT_TYPES = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3"}


def template_file(target_key: str, fmt: str) -> tuple[bytes, str]:
    """The template's bytes and content type; ``fmt`` is ``geojson`` or ``gpkg``."""
    spec = TARGETS[target_key]
    row = {f.name: EXAMPLES[target_key].get(f.name, "") for f in spec.fields}
    frame = gpd.GeoDataFrame([row], geometry=[_EXAMPLE_GEOMETRY], crs=STORAGE_SRID)
    if fmt == "geojson":
        return frame.to_json(drop_id=True, indent=1).encode("utf-8"), CONTENT_TYPES[fmt]
    with tempfile.TemporaryDirectory(prefix="remix-template-") as tmp:
        path = Path(tmp) / "modello.gpkg"
        frame.to_file(path, layer=target_key, driver="GPKG")
        return path.read_bytes(), CONTENT_TYPES["gpkg"]
