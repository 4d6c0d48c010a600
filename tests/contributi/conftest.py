"""A small world for the contribution tests: two Comuni, their operators, a reviewer, and
builders of upload files written with geopandas/pyogrio into ``tmp_path``."""

from __future__ import annotations

import io
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import MultiPolygon, Polygon
from shapely.geometry import box

from contributi.models import OperatoreComunale
from contributi.roles import OPERATORI, REVISORI
from rigenerazione.models import Intervento, Opportunita
from rules.publication import PublicationState
from territorio.models import Comune

RHO, MILANO = "015182", "015146"
# Points well inside each Comune (PostGIS ST_PointOnSurface of their boundaries, rounded).
RHO_POINT = (9.0474, 45.5318)
MILANO_POINT = (9.1732, 45.4617)
PASSWORD = "una-password-di-prova-42"


def square(lon: float, lat: float, half: float = 0.001):
    """A shapely square of side 2*half degrees centred on (lon, lat)."""
    return box(lon - half, lat - half, lon + half, lat + half)


def geos_square(lon: float, lat: float, half: float = 0.001) -> MultiPolygon:
    ring = square(lon, lat, half).exterior.coords
    return MultiPolygon(Polygon(list(ring)), srid=4326)


def intervento_rows(n: int = 2, point=RHO_POINT, **extra) -> list[dict]:
    rows = []
    for i in range(n):
        row = {
            "titolo": f"Riqualificazione piazza {i + 1}",
            "stato": "in_corso",
            "costo_totale": 100000.0 * (i + 1),
            "cup": f"C47H2100103000{i}",
            "geometry": square(point[0] + i * 0.003, point[1]),
        }
        row.update(extra)
        rows.append(row)
    return rows


def geojson_bytes(rows: list[dict], crs: str | int = 4326) -> bytes:
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    return frame.to_json(drop_id=True).encode("utf-8")


def shapefile_zip(
    tmp_path: Path, rows: list[dict], *, crs=4326, drop=(), extra=None, encoding: str | None = None
) -> bytes:
    """A zipped Shapefile of ``rows``; ``drop`` omits parts (e.g. ``(".prj",)``)."""
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    kwargs = {"encoding": encoding} if encoding else {}
    with warnings.catch_warnings():  # DBF names are cut to 10 characters: that is the point
        warnings.simplefilter("ignore")
        frame.to_file(folder / "interventi.shp", driver="ESRI Shapefile", **kwargs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix not in drop:
                archive.write(part, part.name)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def rho(territorio) -> Comune:
    return Comune.objects.get(istat_code=RHO)


@pytest.fixture
def milano(territorio) -> Comune:
    return Comune.objects.get(istat_code=MILANO)


def _operator(username: str, *comuni: Comune) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=OPERATORI))
    operatore = OperatoreComunale.objects.create(user=user, ente=f"Comune di {comuni[0]}")
    operatore.comuni.set(comuni)
    return user


@pytest.fixture
def operator_rho(rho) -> User:
    """A municipality operator of Rho only."""
    return _operator("op-rho", rho)


@pytest.fixture
def operator_milano(milano) -> User:
    return _operator("op-milano", milano)


@pytest.fixture
def reviewer(db) -> User:
    user = User.objects.create_user("revisore", password=PASSWORD)
    user.groups.add(Group.objects.get(name=REVISORI))
    return user


def make_intervento(
    comune: Comune, point, *, state=PublicationState.BOZZA, title="Parco", **extra
) -> Intervento:
    record = Intervento.objects.create(
        title=title,
        geom=geos_square(*point),
        localizzazione="area",
        stato="in_corso",
        publication_state=state,
        costo_totale=Decimal("1000.00"),
        **extra,
    )
    record.comuni.set([comune])
    return record


@pytest.fixture
def draft_rho(rho) -> Intervento:
    return make_intervento(rho, RHO_POINT, title="Bozza di Rho")


@pytest.fixture
def draft_milano(milano) -> Intervento:
    return make_intervento(milano, MILANO_POINT, title="Bozza di Milano")


@pytest.fixture
def opportunita_rho(rho) -> Opportunita:
    return Opportunita.objects.create(
        title="Area dismessa di Rho",
        tipo="area_dismessa",
        stato="disponibile",
        comune=rho,
        geom=geos_square(*RHO_POINT),
    )


def snapshot() -> tuple:
    """What the tests compare to prove that nothing changed."""
    return (
        list(Intervento.objects.order_by("pk").values_list("pk", "title", "publication_state")),
        list(Opportunita.objects.order_by("pk").values_list("pk", "title", "publication_state")),
        Intervento.history.count(),
        Opportunita.history.count(),
    )


from tests.contributi.worker import worker  # noqa: E402, F401
