"""Every DRF endpoint, with every renderer it offers (``?format=``), answers every method without
a server error: OPTIONS describes it, the methods it lacks are a 405 (issue 12: OPTIONS with
``format=csv`` on the analyses was a 500, ``KeyError 'results'``)."""

from __future__ import annotations

import csv
import io

import pytest

from lum.renderers import LONG_COLUMNS
from tests.api.routes import api_routes, url_of, view_of

pytestmark = pytest.mark.django_db

METHODS = ("options", "head", "post", "put", "patch", "delete")


def drf_routes_and_formats() -> list[tuple[str, tuple[str, ...], str]]:
    """(route, URL kwargs, format) for each DRF view and each of its renderers' formats."""
    found = []
    for name, kwargs in api_routes():
        view_class = getattr(view_of(name), "cls", None)
        if view_class is None:
            continue
        renderers = view_class().get_renderers()
        found += [(name, kwargs, r.format) for r in renderers]
    return found


@pytest.mark.parametrize(("name", "kwargs", "fmt"), drf_routes_and_formats())
def test_every_method_in_every_format_answers_without_a_server_error(
    client, tiny_world, name, kwargs, fmt
):
    url = f"{url_of(name, kwargs, tiny_world['parco'].pk)}?format={fmt}"
    for method in METHODS:
        response = getattr(client, method)(url)
        assert response.status_code < 500, (method, url, response.content[:300])


@pytest.mark.parametrize(
    "url",
    [
        "/api/analisi/lum/?format=csv",
        "/api/analisi/vicinanza/?lon=9.19&lat=45.46&distanza=100&format=csv",
    ],
)
def test_options_of_an_analysis_as_csv_is_its_description_in_long_format(client, db, url):
    response = client.options(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == LONG_COLUMNS
    assert ["renders", "", "", "application/json,text/csv"] in rows


def test_a_method_an_analysis_lacks_is_a_405_in_the_asked_format(client, db):
    response = client.post("/api/analisi/lum/?format=csv")

    assert response.status_code == 405
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == LONG_COLUMNS
    assert rows[1][0] == "detail"
