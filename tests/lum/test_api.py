"""The /api/analisi/ endpoints: JSON and CSV, the proximity query and its bad inputs."""

from __future__ import annotations

import csv
import io

import pytest

from lum import proximity
from lum.models import Lum, Servizio
from tests.lum.conftest import PX, PY, make_lum, point

P_LON_LAT = point(PX, PY)


def counts(body) -> dict:
    return {group["layer"]: group["count"] for group in body["layers"]}


def near_p(client, distance, layers="lum,servizi,opportunita,interventi", **extra):
    params = {"lon": P_LON_LAT.x, "lat": P_LON_LAT.y, "distanza": distance, "layers": layers}
    return client.get("/api/analisi/vicinanza/", {**params, **extra})


def test_what_lies_within_600_m_of_a_point(client, tiny_world):
    response = near_p(client, 600)
    assert response.status_code == 200
    body = response.json()
    # L at 0 m; uni_in and cultura at 500 m; A at 100 m; I1 at 300 m (the drafts never show).
    assert counts(body) == {"lum": 1, "servizi": 2, "opportunita": 1, "interventi": 1}
    services = body["layers"][1]["features"]
    assert [f["distance_m"] for f in services] == [pytest.approx(500, abs=0.2)] * 2
    assert body["layers"][2]["features"][0]["distance_m"] == pytest.approx(100, abs=0.2)


def test_what_lies_within_750_m_of_a_feature(client, tiny_world):
    params = {
        "layer": "lum",
        "id": tiny_world.lum.pk,
        "distanza": 750,
        "layers": "servizi,opportunita",
    }
    body = client.get("/api/analisi/vicinanza/", params).json()
    assert counts(body) == {"servizi": 3, "opportunita": 2}  # + sport and C at 700 m
    assert body["riferimento"] == {"layer": "lum", "id": str(tiny_world.lum.pk)}


def test_proximity_as_csv_lists_one_feature_per_line(client, tiny_world):
    response = near_p(client, 600, layers="servizi", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["layer", "id", "label", "distance_m"]
    assert sorted(r[2] for r in rows[1:]) == ["cultura", "uni_in"]


BAD_INPUTS = [
    ({"lon": 181, "lat": 45.5, "distanza": 100}, proximity.ERROR_LON, "lon"),
    ({"lon": -180.5, "lat": 45.5, "distanza": 100}, proximity.ERROR_LON, "lon"),
    ({"lon": "abc", "lat": 45.5, "distanza": 100}, proximity.ERROR_LON, "lon"),
    ({"lon": 9.1, "lat": 91, "distanza": 100}, proximity.ERROR_LAT, "lat"),
    ({"lon": 9.1, "lat": "nan", "distanza": 100}, proximity.ERROR_LAT, "lat"),
    ({"lon": 9.1, "lat": 45.5, "distanza": 0}, proximity.ERROR_DISTANCE, "distanza"),
    ({"lon": 9.1, "lat": 45.5, "distanza": 5001}, proximity.ERROR_DISTANCE, "distanza"),
    ({"lon": 9.1, "lat": 45.5}, proximity.ERROR_DISTANCE, "distanza"),
    ({"distanza": 100}, proximity.ERROR_REFERENCE, "lon"),
    (
        {"lon": 9.1, "lat": 45.5, "layer": "lum", "id": 1, "distanza": 100},
        proximity.ERROR_REFERENCE,
        "lon",
    ),
    (
        {"lon": 9.1, "lat": 45.5, "distanza": 100, "layers": "nope"},
        proximity.ERROR_LAYER.format(id="nope"),
        "layers",
    ),
    ({"layer": "nope", "id": 1, "distanza": 100}, proximity.ERROR_LAYER.format(id="nope"), "layer"),
    (
        {"layer": "lum", "id": 0, "distanza": 100},
        proximity.ERROR_FEATURE.format(id="0", layer="lum"),
        "id",
    ),
    (
        {"layer": "lum", "id": "x", "distanza": 100},
        proximity.ERROR_FEATURE.format(id="x", layer="lum"),
        "id",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), BAD_INPUTS)
def test_bad_proximity_input_is_a_400_naming_the_parameter(
    client, tiny_world, params, message, field
):
    before = (Lum.objects.count(), Servizio.objects.count())
    response = client.get("/api/analisi/vicinanza/", params)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "field": field}
    assert (Lum.objects.count(), Servizio.objects.count()) == before


def test_lum_analysis_json(client, tiny_world):
    body = client.get(f"/api/analisi/lum/{tiny_world.lum.pk}/").json()
    assert body["lum"]["radius_m"] == 800
    assert body["totali"]["interventi"] == 1
    assert body["totali"]["finanziamento"] == 1_250_000
    assert body["totali"]["opportunita"] == 2
    assert body["totali"]["opportunita_ettari"] == pytest.approx(3.0, abs=1e-3)
    assert [r["name"] for r in body["comuni_raggiunti"]] == ["Est", "Ovest"]
    assert body["servizi_per_categoria"][0]["categoria_label"] == "Cultura"
    sizes = {s["name"]: s["dimensione"] for s in body["servizi"]}
    assert sizes == {"cultura": "", "uni_in": "Iscritti 1200, Corsi di laurea 4", "sport": ""}


def test_lum_analysis_follows_the_radius_setting(client, tiny_world, settings):
    settings.REMIX_LUM_RADIUS_M = 250
    body = client.get(f"/api/analisi/lum/{tiny_world.lum.pk}/").json()
    assert body["lum"]["radius_m"] == 250
    assert body["servizi"] == []  # the nearest published service is 500 m away
    assert [r["name"] for r in body["comuni_raggiunti"]] == ["Est"]  # the border is 300 m away


def test_lum_analysis_csv_is_long_format(client, tiny_world):
    response = client.get(f"/api/analisi/lum/{tiny_world.lum.pk}/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["sezione", "riga", "campo", "valore"]
    assert ["totali", "", "interventi", "1"] in rows
    assert ["servizi_per_categoria", "3", "categoria", "universita"] in rows


def test_an_unpublished_lum_has_no_analysis(client, tiny_world):
    tiny_world.lum.publication_state = "bozza"
    tiny_world.lum.save()
    assert client.get(f"/api/analisi/lum/{tiny_world.lum.pk}/").status_code == 404


def test_comune_and_zona_analyses(client, tiny_world):
    est = client.get("/api/analisi/comuni/999002/").json()
    assert est["totali"] == {
        "servizi": 3,  # uni_in, uni_out, sport (the draft is not counted)
        "scuole": 0,
        "cfp": 0,
        "studenti": 0,
        "interventi": 3,
        "finanziamento": 1_820_000,
        "opportunita": 3,
        "opportunita_ettari": pytest.approx(7.0, abs=1e-3),
    }
    assert est["lum"] == [
        {"id": tiny_world.lum.pk, "name": "L", "rank": "metropolitano", "modes": ["treno"]}
    ]
    zona = client.get("/api/analisi/zone/zona-prova/").json()
    assert zona["zona"] == {"slug": "zona-prova", "name": "Zona di prova", "comuni": 2}
    assert zona["opportunita_nei_bacini_lum"]["quota"] == pytest.approx(0.28497, abs=0.001)


def test_unknown_comune_and_zona_are_404(client, tiny_world):
    assert client.get("/api/analisi/comuni/000000/").status_code == 404
    assert client.get("/api/analisi/zone/nessuna/").status_code == 404


def test_the_analyses_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("lum/{id}/", "comuni/", "comuni/{istat_code}/", "zone/{slug}/", "vicinanza/"):
        assert f"/api/analisi/{path}" in schema["paths"]


def test_the_summary_of_every_lum_matches_its_sheet(client, tiny_world):
    make_lum(tiny_world.est, PX + 200, PY, name="Bozza", publication_state="bozza")
    rows = client.get("/api/analisi/lum/").json()["results"]
    assert [r["name"] for r in rows] == ["L"]  # the draft LUM is not listed
    row = rows[0]
    assert (row["servizi"], row["interventi"], row["opportunita"]) == (3, 1, 2)
    assert row["finanziamento"] == 1_250_000
    assert row["opportunita_ettari_nel_bacino"] == pytest.approx(1 + 0.99479, abs=0.005)
    assert row["radius_m"] == 800


def test_the_summary_as_csv_has_one_line_per_lum(client, tiny_world):
    response = client.get("/api/analisi/lum/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["id", "name", "comune"]
    assert len(rows) == 2 and rows[1][1] == "L"
