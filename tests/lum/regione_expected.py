"""What the real registers of Regione Lombardia should give, computed here with pandas and
geopandas straight from the CSV files — independently of the loaders and queries under test.

The rules are the specification (SOURCES.md, issue 19), written again in pandas:

* schools: upper-secondary sites (``MACROTIPOLOGIA_SEDE`` "Istituto Istruzione Secondario
  Secondo grado", category ``scuola_secondaria``) and CFP (``Cfp``, category ``formazione``);
  ``coorY`` is the latitude, ``coorX`` the longitude, with a decimal comma; ``COD_ISTAT_SEDE``
  padded to 6 digits, 015235/015246 → 015251; the named Comune must be one of the CMM;
* hospitals: ``COORDINATA GEOGRAFICA X`` is the latitude, ``Y`` the longitude;
* a point outside every Comune of the CMM is left out; the Comune of a kept point is the one
  that contains it (point in polygon on cmm_comuni_2023.geojson).

Distances are measured in EPSG:32632.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from django.conf import settings

METRIC = "EPSG:32632"
MERGED = {"015235": "015251", "015246": "015251"}


def data(name: str) -> Path:
    return Path(settings.REMIX_DATA_DIR) / name


@cache
def comuni() -> gpd.GeoDataFrame:
    """The 133 Comuni: ``istat_code``, ``comune`` (name), geometry (EPSG:4326)."""
    frame = gpd.read_file(data("cmm_comuni_2023.geojson"))
    return frame.rename(columns={"com_istat_code": "istat_code", "name": "comune"})[
        ["istat_code", "comune", "geometry"]
    ]


def _number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.str.replace(",", ".", regex=False), errors="coerce")


def _placed(frame: pd.DataFrame, lat: str, lon: str) -> gpd.GeoDataFrame:
    """Rows with coordinates, joined to the Comune containing their point (outside: dropped)."""
    frame = frame.assign(lat=_number(frame[lat]), lon=_number(frame[lon]))
    frame = frame.dropna(subset=["lat", "lon"])
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326"
    )
    joined = gpd.sjoin(points, comuni(), how="inner", predicate="within")
    return joined.drop(columns="index_right")


@cache
def schools() -> gpd.GeoDataFrame:
    """Kept school sites: ``code``, ``categoria``, ``istat_code`` (of the point),
    ``named`` (normalised code of the source), ``studenti`` (NaN for CFP), geometry."""
    raw = pd.read_csv(data("cmm_scuole_secondo_ciclo.csv"), dtype=str, keep_default_na=False)
    kinds = {
        "Istituto Istruzione Secondario Secondo grado": "scuola_secondaria",
        "Cfp": "formazione",
    }
    raw = raw[raw.MACROTIPOLOGIA_SEDE.isin(kinds)].copy()
    raw["categoria"] = raw.MACROTIPOLOGIA_SEDE.map(kinds)
    raw["named"] = raw.COD_ISTAT_SEDE.str.zfill(6).replace(MERGED)
    raw = raw[raw.named.isin(set(comuni().istat_code))]
    raw["studenti"] = pd.to_numeric(raw.ALLIEVI_SEDE, errors="coerce")
    raw["code"] = raw.COD_MECCANOGRAFICO_SEDE
    return _placed(raw, lat="coorY", lon="coorX")


@cache
def hospitals() -> gpd.GeoDataFrame:
    """Kept hospitals: ``code``, ``name``, ``istat_code`` (of the point), ``LOCALITA``."""
    raw = pd.read_csv(data("cmm_strutture_ricovero.csv"), dtype=str, keep_default_na=False)
    raw["code"] = raw["CODICE STRUTTURA DI RICOVERO"]
    raw["categoria"] = "sanita"
    return _placed(raw, lat="COORDINATA GEOGRAFICA X", lon="COORDINATA GEOGRAFICA Y")


def services() -> gpd.GeoDataFrame:
    """Schools, CFP and hospitals together (``categoria``, ``istat_code``, ``studenti``)."""
    columns = ["code", "categoria", "istat_code", "studenti", "geometry"]
    both = pd.concat([schools()[columns], hospitals().assign(studenti=float("nan"))[columns]])
    return gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")


def zona_of_comuni() -> dict[str, str]:
    """ISTAT code → name of its Zona omogenea (cmm_zone_omogenee_comuni.csv)."""
    frame = pd.read_csv(data("cmm_zone_omogenee_comuni.csv"), dtype=str)
    return dict(zip(frame.istat_code.str.zfill(6), frame.zona_omogenea, strict=True))
